/**
 * The prompt studio's recorder in a real browser: Debian's chromium with its fake media device (a 440 Hz beep as
 * the microphone, the permission prompt answered yes) records a take in the console with MediaRecorder, resamples
 * it to 8 kHz mono WAV with an OfflineAudioContext, listens back and uploads it; the take is stored 8 kHz mono, and
 * a supervisor then approves it.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, FAKE_MICROPHONE } from '../support/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHotline, type LocalHotline } from '../../infra/local';
import { SAMPLE_PASSWORD } from '../../infra/local-oidc';
import { readWav } from '../../shared/audio/wav';
import { SPOKEN_PROMPT_KEYS } from '../../shared/domain/voice';

const WELCOME = SPOKEN_PROMPT_KEYS.indexOf('voice.welcome') + 1;
let hotline: LocalHotline;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'safejob-e2e-studio-'));
  hotline = await startLocalHotline({
    PORT: '0',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:0',
    TABLE_NAME: 'safejob-e2e-studio',
    REPORT_JOURNAL_PATH: join(dir, 'intake-journal.jsonl'),
    STUDIO_AUDIO_DIR: join(dir, 'studio'),
  });
  // The take is played back without a click.
  browser = await chromium.launch({ ...CHROMIUM, args: [...CHROMIUM.args, ...FAKE_MICROPHONE, '--autoplay-policy=no-user-gesture-required'] });
});

afterAll(async () => {
  await browser?.close();
  await hotline?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function signIn(email: string, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${hotline.url}${path}`);
  await page.getByLabel('E-mail / Эл. почта').fill(email);
  await page.getByLabel('Password / Пароль').fill(SAMPLE_PASSWORD);
  await page.getByRole('button', { name: 'Sign in / Войти' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/console/studio'));
  return page;
}

describe('the prompt studio in the browser', () => {
  it('records a Tajik take from the microphone, uploads it as 8 kHz mono WAV, and a supervisor approves it', async () => {
    const officer = await signIn('officer@sample.test', '/console/studio?lang=tg');
    const errors: string[] = [];
    officer.on('pageerror', (error) => errors.push(error.message));
    const row = officer.locator(`#p-${WELCOME}`);
    await expect.poll(() => row.locator('.status').textContent()).toBe('missing');
    await row.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => row.getByRole('status').textContent()).toBe('Recording… press Stop when done.');
    // About a second and a half of the fake microphone's beep.
    await officer.waitForTimeout(1500);
    await row.getByRole('button', { name: 'Stop' }).click();
    await row.getByRole('button', { name: 'Save take' }).click();
    await expect.poll(() => row.getByRole('status').textContent()).toBe('Saved.');
    await expect.poll(() => row.locator('.status').textContent()).toBe('recorded');
    expect(errors).toEqual([]);

    const entry = (await hotline.console.studio.catalogue()).find((e) => e.lang === 'tg' && e.key === 'voice.welcome')!;
    expect(entry).toMatchObject({ status: 'current', recording: { take: { via: 'browser', recordedBy: 'Aziz Rahimov (SAMPLE)' } } });
    const audio = await fetch(`${hotline.url}/audio/${entry.recording!.file}`);
    const wav = readWav(new Uint8Array(await audio.arrayBuffer()));
    expect(wav).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    expect(wav.samples.length / 8000).toBeGreaterThan(0.5);

    const supervisor = await signIn('supervisor@sample.test', '/console/studio?lang=tg');
    await supervisor.locator(`#p-${WELCOME}`).getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => supervisor.getByRole('status').first().textContent()).toBe('Take approved.');
    await expect.poll(() => supervisor.locator(`#p-${WELCOME} .status`).textContent()).toBe('approved');
  });
});

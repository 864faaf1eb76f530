/**
 * Officers hear the caller (issue 16): an urgent voice page and INFO carry a short-lived signed link to the
 * recording; the link redirects to it while valid, and a tampered or expired link is refused. The provider's
 * recording URL is never in a page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleOfficerSms } from '../shared/escalation/service';
import { submitReport } from '../shared/intake';
import { RECORDING_LINK_TTL_SECONDS, RecordingLinks } from '../shared/recording-links';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';
import { createActiveTable } from './support/tables';

const SECRET = 'test-phone-hash-key-0123456789abcdef';
const RECORDING = 'https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE00000000000000000000000000000001';

describe('a recording link', () => {
  let now = Date.parse('2026-12-01T10:00:00Z');
  const links = new RecordingLinks(SECRET, 'https://hotline.example.org', () => now);

  it('is valid until it expires, and names only the reference, the expiry and the signature', () => {
    const link = new URL(links.linkFor('7K3R9M'));
    expect(link.origin + link.pathname).toBe('https://hotline.example.org/recordings/7K3R9M');
    expect([...link.searchParams.keys()]).toEqual(['exp', 'sig']);
    const exp = link.searchParams.get('exp')!;
    const sig = link.searchParams.get('sig')!;
    expect(Number(exp)).toBe(now / 1000 + RECORDING_LINK_TTL_SECONDS);
    expect(links.check('7K3R9M', exp, sig)).toBe('valid');
    now += RECORDING_LINK_TTL_SECONDS * 1000 + 1000;
    expect(links.check('7K3R9M', exp, sig)).toBe('expired');
  });

  it('is refused when any part is changed, or signed with another secret', () => {
    now = Date.parse('2026-12-01T10:00:00Z');
    const link = new URL(links.linkFor('7K3R9M'));
    const exp = link.searchParams.get('exp')!;
    const sig = link.searchParams.get('sig')!;
    expect(links.check('7K3R9N', exp, sig)).toBe('invalid');
    expect(links.check('7K3R9M', String(Number(exp) + 3600), sig)).toBe('invalid');
    expect(links.check('7K3R9M', exp, `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`)).toBe('invalid');
    expect(links.check('7K3R9M', exp, undefined)).toBe('invalid');
    expect(links.check('7K3R9M', 'soon', sig)).toBe('invalid');
    const other = new URL(new RecordingLinks('another-secret-0123456789abcdef0123', 'https://hotline.example.org', () => now).linkFor('7K3R9M'));
    expect(links.check('7K3R9M', other.searchParams.get('exp')!, other.searchParams.get('sig')!)).toBe('invalid');
  });
});

describe('an urgent voice report', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore('safejob-recordings');
  });
  afterAll(async () => store.close());

  it('pages with a signed link that redirects to the recording; INFO gives a fresh one; tampered links get 403', async () => {
    await createActiveTable(store.client, 'recordings-1');
    const hotline = testHotline(store, { TABLE_NAME: 'recordings-1' });
    const { deps } = hotline;
    const officer = '+992900009301';
    await deps.escalation.officers.putOfficers([{ key: deps.callerKey(officer), name: 'Emma', phone: officer, role: 'officer', languages: ['en'], level: 1 }]);
    const outcome = await submitReport(
      deps.intake,
      { channel: 'voice', lang: 'tg', category: 'abroad_in_trouble', paid: 'unknown', identifiers: [], callbackConsent: true, recordingUrl: RECORDING, recordingDurationSeconds: 40, reporterPhone: '+992900000801' },
      'voice:twilio:CA-recording-1',
    );
    if (!outcome.saved) throw new Error('not saved');
    const { reference } = outcome.report;
    const texts = async () => {
      await deps.localQueue.drain();
      return (await deps.localOutbox.list(deps.messages)).filter((m) => m.to === officer).map((m) => m.text);
    };
    const [page] = await texts();
    expect(page).not.toContain(RECORDING);
    const link = new RegExp(`Listen: (https://hotline\\.example\\.org/recordings/${reference}\\?exp=\\d+&sig=[\\w-]{43})`).exec(page!)?.[1];
    expect(link, page).toBeDefined();

    const get = (url: string) => {
      const { pathname, search } = new URL(url);
      return hotline.app.request(`${pathname}${search}`);
    };
    const followed = await get(link!);
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe(RECORDING);
    expect(followed.headers.get('cache-control')).toBe('no-store');

    const tampered = link!.replace(`/recordings/${reference}`, '/recordings/ZZZZZZ');
    expect((await get(tampered)).status).toBe(403);
    const forged = link!.replace(/sig=[\w-]+/, `sig=${'A'.repeat(43)}`);
    expect((await get(forged)).status).toBe(403);
    expect((await get(`https://hotline.example.org/recordings/${reference}`)).status).toBe(403);
    const expired = link!.replace(/exp=\d+/, `exp=${Math.floor(Date.now() / 1000) - 60}`);
    expect((await get(expired)).status).toBe(403);

    expect(await handleOfficerSms(deps.escalation, officer, `INFO ${reference}`)).toBe(true);
    const info = (await texts()).at(-1)!;
    expect(info).toMatch(new RegExp(`Listen: https://hotline\\.example\\.org/recordings/${reference}\\?exp=\\d+&sig=`));
    expect(info).not.toContain(RECORDING);
  });
});

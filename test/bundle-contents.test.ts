import { describe, expect, it } from 'vitest';
import { bundleFunction } from '../infra/bundling';
import { PROMPTS } from '../shared/domain/prompts';
import { catalogueTexts } from '../prompts/catalogue';

/** A function bundled as the stack bundles it (infra/bundling.ts), in memory: index.mjs, its chunks and their inputs. */
async function bundled(fn: string) {
  const { metafile, outputFiles } = await bundleFunction(`functions/${fn}/index.ts`, '/tmp/bundle-contents', { sourcemap: false, write: false });
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
  const inputsOf = (entry: boolean) =>
    outputs
      .filter(([path]) => path.endsWith('/index.mjs') === entry)
      .flatMap(([, output]) => Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path));
  return { loaded: inputsOf(true), lazy: inputsOf(false), code: outputFiles!.find((file) => file.path.endsWith('/index.mjs'))!.text };
}

/**
 * What a webhook a caller waits on must not carry (issue 20): the MP3 decoder, the twilio SDK, every country's phone
 * metadata, classic zod (its methods bring the whole library: the runtime uses zod/mini) and zod's other locales.
 */
const heavy = (inputs: string[]) =>
  inputs.filter(
    (path) =>
      /node_modules\/(mpg123-decoder|@wasm-audio-decoders|twilio|zod\/v4\/classic)\//.test(path) ||
      /node_modules\/zod\/v4\/locales\/(?!en\.js$)/.test(path) ||
      /libphonenumber-js\/metadata\.(min|max|mobile)\.json/.test(path),
  );
const decoder = (inputs: string[]) => inputs.filter((path) => /node_modules\/(mpg123-decoder|@wasm-audio-decoders)\//.test(path));

describe('what the bundles hold (esbuild metafile)', () => {
  it.each(['ussd', 'sms', 'voice'])('%s: no MP3 decoder, no twilio, no full phone metadata, no classic zod in what a cold start loads', async (fn) => {
    expect(heavy((await bundled(fn)).loaded)).toEqual([]);
  });

  it.each(['voice', 'console'])('%s: the MP3 decoder in a chunk of its own, imported only when a take arrives as MP3', async (fn) => {
    const { loaded, lazy } = await bundled(fn);
    expect(decoder(loaded)).toEqual([]);
    expect(decoder(lazy)).not.toEqual([]);
  });
});

describe("a bundle's texts (functions/<name>/speaks.ts)", () => {
  const english = catalogueTexts('en');

  it('ussd: the menus in every language, none of the voice line, officers\' commands or alerts, no reviewers\' notes', async () => {
    const { code } = await bundled('ussd');
    const has = (text: string) => code.includes(JSON.stringify(text).slice(1, -1));
    for (const lang of ['tg', 'ru', 'en', 'uz', 'ky'] as const) expect(has(PROMPTS[lang]['menu.title']), lang).toBe(true);
    for (const key of ['voice.menu', 'voice.welcome', 'officer.help', 'officer.usage.ack', 'alert.forApproval', 'bridge.connecting'] as const) {
      expect(has(PROMPTS.ru[key]), key).toBe(false);
      expect(code, key).not.toContain(`"${key}"`);
    }
    expect(has(english['_meta.review']!)).toBe(false);
    expect(code).not.toContain('_meta.');
  });

  it('outbox: only the word lists its parsing reads', async () => {
    const { code } = await bundled('outbox');
    expect(code).toContain('sms.keywords.check');
    for (const key of ['menu.title', 'sms.help', 'voice.menu', 'escalation.page'] as const) expect(code, key).not.toContain(`"${key}"`);
  });
});

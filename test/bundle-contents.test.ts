import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { STACK_OPTIONS } from '../bench/bundles';

const root = new URL('..', import.meta.url).pathname;

/** The inputs esbuild puts into a function's bundle, bundled as the stack bundles it (bench/bundles.ts). */
async function bundledInputs(fn: string): Promise<string[]> {
  const { metafile } = await build({ ...STACK_OPTIONS, sourcemap: false, write: false, entryPoints: [`functions/${fn}/index.ts`], outfile: `out/${fn}.mjs`, absWorkingDir: root });
  return Object.entries(Object.values(metafile!.outputs)[0]!.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
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

describe('what the webhook bundles hold (esbuild metafile)', () => {
  it.each(['ussd', 'sms'])('%s: no MP3 decoder, no twilio, no full phone metadata, no classic zod', async (fn) => {
    expect(heavy(await bundledInputs(fn))).toEqual([]);
  });

  it('voice: no twilio, no full phone metadata, no classic zod; the decoder only for the studio line (imported when an MP3 arrives)', async () => {
    const inputs = await bundledInputs('voice');
    expect(heavy(inputs).filter((path) => !/mpg123-decoder|@wasm-audio-decoders/.test(path))).toEqual([]);
  });
});

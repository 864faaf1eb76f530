import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, PHONE_METADATA_DATA_FILE, phoneMetadataFile, promptCatalogue, REPO_ROOT, spokenNamespaces } from '../infra/bundling';
import { PHONE_METADATA_FILE } from '../infra/phone-metadata';
import { LANGUAGES, PROMPTS, type Lang } from '../shared/domain/prompts';
import { CONSOLE_LANGS, CONSOLE_TEXTS } from '../shared/console/texts';
import { catalogueTexts } from '../prompts/catalogue';

const OUT = '/tmp/bundle-contents';
const builds = new Map<string, ReturnType<typeof build>>();
/**
 * A function bundled as the stack bundles it (infra/bundling.ts), in memory, once per file: index.mjs, its chunks and
 * their inputs, its texts files (each path under texts/ with its record) and its other data files (under data/).
 */
const bundled = (fn: string) => builds.get(fn) ?? builds.set(fn, build(fn)).get(fn)!;
async function build(fn: string) {
  const { metafile, outputFiles } = await bundleFunction(`functions/${fn}/index.ts`, OUT, { sourcemap: false, write: false });
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
  const inputsOf = (entry: boolean) =>
    outputs
      .filter(([path]) => path.endsWith('/index.mjs') === entry)
      .flatMap(([, output]) => Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path));
  const texts = outputFiles!
    .filter((file) => file.path.startsWith(`${OUT}/texts/`))
    .map((file) => [file.path.slice(`${OUT}/`.length), JSON.parse(file.text) as Record<string, string>] as const);
  const data = outputFiles!.filter((file) => file.path.startsWith(`${OUT}/data/`)).map((file) => [file.path.slice(`${OUT}/`.length), JSON.parse(file.text) as unknown] as const);
  return {
    loaded: inputsOf(true),
    lazy: inputsOf(false),
    code: outputFiles!.find((file) => file.path === `${OUT}/index.mjs`)!.text,
    texts: Object.fromEntries(texts),
    data: Object.fromEntries(data),
  };
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

/** The configuration's sections (shared/config.ts `loadConfig`), by the module that declares each. */
const SECTION_MODULES = {
  escalation: 'shared/escalation/config.ts',
  voice: 'shared/channels/voice-config.ts',
  quiz: 'shared/quiz/config.ts',
  outreach: 'shared/outreach/config.ts',
  console: 'shared/console/config.ts',
  studio: 'shared/studio/config.ts',
};

describe('what each function builds (shared/runtime.ts, shared/services-root.ts, shared/channels-root.ts)', () => {
  it.each([
    ['outbox', ['outreach']],
    ['escalation', ['escalation']],
    ['broadcast', ['outreach']],
    ['ussd', ['escalation', 'outreach', 'quiz']],
    ['sms', ['escalation', 'outreach', 'quiz']],
    ['voice', ['escalation', 'outreach', 'quiz', 'voice', 'studio']],
  ])('%s: the configuration sections it reads (%j), no other', async (fn, sections) => {
    const { loaded } = await bundled(fn);
    const bundledSections = Object.entries(SECTION_MODULES).filter(([, module]) => loaded.includes(module)).map(([name]) => name);
    expect(bundledSections.sort()).toEqual([...sections].sort());
  });

  /** Each channel's own part of the composition root, and the modules only it uses (the console's: shared/console/compose.ts). */
  const CHANNEL_PARTS = {
    ussd: ['shared/ussd/compose.ts', 'shared/store/ussd-sessions.ts', 'shared/ussd/start-languages.ts'],
    sms: ['shared/sms/compose.ts', 'shared/store/inbound.ts', 'shared/store/pending-reports.ts'],
    voice: [
      ...['shared/voice/compose.ts', 'shared/store/urgent-calls.ts', 'shared/voice/licences.ts', 'shared/voice/on-call.ts'],
      // The voice line's TwiML, speech plans and recordings (the SMS function's CALL bridge dials without them).
      ...['shared/channels/twilio-voice.ts', 'shared/channels/voice-speech.ts', 'prompts/audio-manifest.json'],
    ],
  };
  const CONSOLE_PART = ['shared/console/compose.ts', 'shared/store/console-sessions.ts', 'shared/store/partners.ts', 'shared/store/referrals.ts'];

  it.each(Object.keys(CHANNEL_PARTS) as (keyof typeof CHANNEL_PARTS)[])("%s: its own channel's part, no other channel's nor the console's", async (fn) => {
    const { loaded, lazy } = await bundled(fn);
    const bundledModules = [...loaded, ...lazy];
    expect(CHANNEL_PARTS[fn].filter((module) => !loaded.includes(module))).toEqual([]);
    const others = [...Object.entries(CHANNEL_PARTS).flatMap(([other, modules]) => (other === fn ? [] : modules)), ...CONSOLE_PART];
    expect(others.filter((module) => bundledModules.includes(module))).toEqual([]);
  });

  it('intake-replay: the channels\' common part only', async () => {
    const { loaded, lazy } = await bundled('intake-replay');
    expect(loaded).toContain('shared/channels-root.ts');
    expect([...Object.values(CHANNEL_PARTS).flat(), ...CONSOLE_PART].filter((module) => [...loaded, ...lazy].includes(module))).toEqual([]);
  });

  it('outbox: none of the callers\' repositories (reports, registry, languages), nor the channels\' services', async () => {
    const { loaded } = await bundled('outbox');
    for (const module of ['shared/store/reports.ts', 'shared/registry/cache.ts', 'shared/store/languages.ts', 'shared/escalation/service.ts', 'shared/store/quiz.ts']) {
      expect(loaded, module).not.toContain(module);
    }
  });
});

describe("a bundle's texts: data files beside the code, one per language (functions/<name>/speaks.ts)", () => {
  const WEBHOOKS_AND_CONSOLE = ['ussd', 'sms', 'voice', 'console'];

  it.each(WEBHOOKS_AND_CONSOLE)('%s: index.mjs holds no text of any language', async (fn) => {
    const { code } = await bundled(fn);
    // A text every one of these functions speaks, the officers' page of an urgent report, in Tajik and Russian, in
    // the form esbuild would write it into the code.
    const has = (text: string) => code.includes(JSON.stringify(text).slice(1, -1));
    for (const text of [PROMPTS.tg['escalation.page'], PROMPTS.ru['escalation.page']]) {
      expect(has(text), text).toBe(false);
    }
    // Nor any other text its files hold (the long ones: a two-letter word may be code too).
    for (const [path, texts] of Object.entries((await bundled(fn)).texts)) {
      for (const [key, text] of Object.entries(texts)) if (text.length >= 24) expect(has(text), `${path} ${key}`).toBe(false);
    }
  });

  it.each(['ussd', 'sms', 'voice', 'console', 'outbox', 'escalation', 'intake-replay', 'broadcast'])(
    '%s: a file per language holding exactly the namespaces it speaks, no reviewers\' notes',
    async (fn) => {
      const speaks = await spokenNamespaces(`functions/${fn}/index.ts`);
      const files = (await bundled(fn)).texts;
      const consoleFiles = fn === 'console' ? CONSOLE_LANGS.map((lang) => `texts/console/${lang}.json`) : [];
      expect(Object.keys(files).sort()).toEqual([...LANGUAGES.map((lang) => `texts/${lang}.json`), ...consoleFiles].sort());
      for (const lang of LANGUAGES) {
        const declared = Object.entries(catalogueTexts(lang)).filter(([key]) => !key.startsWith('_meta.') && speaks.some((ns) => key === ns || key.startsWith(`${ns}.`)));
        expect(files[`texts/${lang}.json`], lang).toEqual(Object.fromEntries(declared));
      }
      for (const lang of fn === 'console' ? CONSOLE_LANGS : []) {
        const words = Object.entries(CONSOLE_TEXTS[lang]).filter(([key]) => !key.startsWith('_meta.'));
        expect(files[`texts/console/${lang}.json`], lang).toEqual(Object.fromEntries(words));
      }
    },
  );

  it("ussd: the menus, none of the voice line, officers' commands or alerts", async () => {
    const files = (await bundled('ussd')).texts;
    for (const lang of LANGUAGES) {
      expect(files[`texts/${lang}.json`]!['menu.title'], lang).toBe(PROMPTS[lang]['menu.title']);
      for (const key of ['voice.menu', 'voice.welcome', 'officer.help', 'officer.usage.ack', 'alert.forApproval', 'bridge.connecting']) {
        expect(files[`texts/${lang}.json`], `${lang} ${key}`).not.toHaveProperty([key]);
      }
    }
  });

  it('outbox: only the word lists its parsing reads', async () => {
    const en = (await bundled('outbox')).texts['texts/en.json']!;
    expect(en).toHaveProperty(['outreach.topicWords.scam_alerts']);
    // It parses no SMS: the SMS keywords stay with the functions that do (shared/runtime.ts builds it no channel's services).
    for (const key of ['sms.keywords.check', 'sms.languageWords.ru', 'menu.title', 'sms.help', 'voice.menu', 'escalation.page']) {
      expect(en, key).not.toHaveProperty([key]);
    }
  });
});

describe("a bundle's catalogue reads a language's file when the language is first used", () => {
  // Under node_modules, as the bench builds: the bundle is imported as Node imports it on Lambda.
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'bundle-contents-catalogue');
  let t: (lang: Lang, key: string) => string;

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.ts'), `export { t } from ${JSON.stringify(join(REPO_ROOT, 'shared', 'domain', 'prompts'))};\n`);
    await bundleFunction(relative(REPO_ROOT, join(dir, 'entry.ts')), join(dir, 'out'), { sourcemap: false, plugins: [promptCatalogue(['menu'])] });
    ({ t } = (await import(pathToFileURL(join(dir, 'out', 'index.mjs')).href)) as { t: typeof t });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers from the file, read once and kept', () => {
    writeFileSync(join(dir, 'out', 'texts', 'tg.json'), JSON.stringify({ 'menu.title': 'Менюи санҷишӣ' }));
    expect(t('tg', 'menu.title')).toBe('Менюи санҷишӣ');
    rmSync(join(dir, 'out', 'texts', 'tg.json'));
    expect(t('tg', 'menu.title')).toBe('Менюи санҷишӣ');
  });

  it('is never built into a chunk, whose URL would look for the texts beside the chunk', async () => {
    const prompts = JSON.stringify(join(REPO_ROOT, 'shared', 'domain', 'prompts'));
    // The domain's texts reached from index.mjs and from a dynamic import: esbuild moves them into a shared chunk.
    writeFileSync(join(dir, 'late.ts'), `import { t } from ${prompts};\nexport const late = () => t('en', 'menu.title');\n`);
    writeFileSync(join(dir, 'split.ts'), `export { t } from ${prompts};\nexport const later = () => import('./late');\n`);
    await expect(bundleFunction(relative(REPO_ROOT, join(dir, 'split.ts')), join(dir, 'split'), { write: false, plugins: [promptCatalogue(['menu'])] })).rejects.toThrow(
      /its module landed in .*chunks\/chunk-\w+\.mjs, not index\.mjs/,
    );
  });

  it('fails loudly, naming the file, when a language\'s file is missing or not texts', () => {
    rmSync(join(dir, 'out', 'texts', 'uz.json'));
    expect(() => t('uz', 'menu.title')).toThrow(`this function's texts file ${join(dir, 'out', 'texts', 'uz.json')} cannot be read: ENOENT`);
    writeFileSync(join(dir, 'out', 'texts', 'ky.json'), '{"menu.title": ');
    expect(() => t('ky', 'menu.title')).toThrow(`this function's texts file ${join(dir, 'out', 'texts', 'ky.json')} cannot be read`);
    writeFileSync(join(dir, 'out', 'texts', 'ru.json'), JSON.stringify({ 'menu.title': 7 }));
    expect(() => t('ru', 'menu.title')).toThrow(`this function's texts file ${join(dir, 'out', 'texts', 'ru.json')} is not a record of texts`);
  });
});

describe("a bundle's phone metadata: a data file beside the code, read the first time a number is parsed", () => {
  const METADATA = JSON.parse(readFileSync(PHONE_METADATA_FILE, 'utf8')) as { countries: Record<string, unknown[]> };
  /** Each served country's national number pattern, as esbuild would write it into the code: no code has these. */
  const patterns = Object.entries(METADATA.countries).map(([country, fields]) => [country, JSON.stringify(fields[2]).slice(1, -1)] as const);

  it.each(['ussd', 'sms', 'voice', 'console', 'outbox', 'escalation', 'intake-replay', 'broadcast'])(
    `%s: index.mjs holds no country's metadata, ${PHONE_METADATA_DATA_FILE} beside it holds all of it`,
    async (fn) => {
      const { code, data } = await bundled(fn);
      for (const [country, pattern] of patterns) expect(code.includes(pattern), country).toBe(false);
      expect(data[PHONE_METADATA_DATA_FILE]).toEqual(METADATA);
    },
  );

  // Under node_modules, as the bench builds: the bundle is imported as Node imports it on Lambda.
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'bundle-contents-phone');
  const file = join(dir, 'out', PHONE_METADATA_DATA_FILE);
  /** A fresh instance of the bundle (a module is one per URL, its query included), which has read no metadata yet. */
  let instances = 0;
  const freshBundle = async () =>
    (await import(`${pathToFileURL(join(dir, 'out', 'index.mjs')).href}?instance=${++instances}`)) as { parsePhone: (written: string) => string | undefined };

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.ts'), `export { parsePhone } from ${JSON.stringify(join(REPO_ROOT, 'shared', 'domain', 'phone'))};\n`);
    await bundleFunction(relative(REPO_ROOT, join(dir, 'entry.ts')), join(dir, 'out'), { sourcemap: false, plugins: [phoneMetadataFile] });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a Tajik national number with the metadata from the file, read once and kept', async () => {
    expect(readFileSync(join(dir, 'out', 'index.mjs'), 'utf8')).not.toContain(patterns.find(([country]) => country === 'TJ')![1]);
    const { parsePhone } = await freshBundle();
    expect(parsePhone('90 000 1234')).toBe('+992900001234');
    const saved = readFileSync(file, 'utf8');
    rmSync(file);
    expect(parsePhone('8 90 000 1235')).toBe('+992900001235');
    writeFileSync(file, saved);
  });

  it('fails loudly, naming the file, at the first number when the file is missing or not metadata', async () => {
    const saved = readFileSync(file, 'utf8');
    rmSync(file);
    const missing = await freshBundle();
    expect(() => missing.parsePhone('90 000 1234')).toThrow(`this function's phone metadata file ${file} cannot be read: ENOENT`);
    writeFileSync(file, JSON.stringify({ version: 4, countries: {} }));
    const broken = await freshBundle();
    expect(() => broken.parsePhone('90 000 1234')).toThrow(`this function's phone metadata file ${file} is not libphonenumber's metadata`);
    writeFileSync(file, saved);
  });
});

/**
 * One language's texts as a Lambda bundle carries them: a JSON file beside its index.mjs (texts/<lang>.json, the
 * console's words in texts/console/<lang>.json), written by infra/bundling.ts. The catalogue that bundle puts in
 * place of prompts/catalogue.ts (and prompts/console/catalogue.ts) reads a language's file with this, synchronously,
 * when the language is first used: the domain's lookup `t()` is synchronous, and a container that speaks only Tajik
 * never reads the other four files.
 */
import { readBundleDataFile } from '../shared/bundle-data-file';
import * as z from '../shared/domain/zod';

const TEXTS_FILE = { name: 'texts file', holds: 'a record of texts', schema: z.record(z.string(), z.string()) };

/** The texts in the file at `url`; a file that is missing, unreadable or not a record of strings throws naming it. */
export const readTextsFile = (url: URL): Record<string, string> => readBundleDataFile(url, TEXTS_FILE);

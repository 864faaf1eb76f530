/**
 * One language's texts as a Lambda bundle carries them: a JSON file beside its index.mjs (texts/<lang>.json, the
 * console's words in texts/console/<lang>.json), written by infra/bundling.ts. The catalogue that bundle puts in
 * place of prompts/catalogue.ts (and prompts/console/catalogue.ts) reads a language's file with this, synchronously,
 * when the language is first used: the domain's lookup `t()` is synchronous, and a container that speaks only Tajik
 * never reads the other four files.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from '../shared/domain/zod';

const TextsFile = z.record(z.string(), z.string());

/**
 * The texts in the file at `url`. A file that is missing, unreadable or not a record of strings is a broken bundle:
 * it throws naming the file, rather than let a caller hear a blank.
 */
export function readTextsFile(url: URL): Record<string, string> {
  const path = fileURLToPath(url);
  let contents: unknown;
  try {
    contents = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`this function's texts file ${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const parsed = TextsFile.safeParse(contents);
  if (!parsed.success) throw new Error(`this function's texts file ${path} is not a record of texts: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

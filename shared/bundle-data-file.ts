/**
 * A JSON file a Lambda bundle carries beside its index.mjs instead of in its code (infra/bundling.ts writes them):
 * the texts (prompts/texts-file.ts) and the phone metadata (shared/phone-metadata-file.ts). The module a bundle puts
 * in place of their source reads its file with this, synchronously, when first asked: the domain's APIs that need
 * the data are synchronous.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from './domain/zod';

/** What a data file is called in an error (`texts file`) and what it must hold (`a record of texts`). */
export interface BundleDataKind<T> {
  name: string;
  holds: string;
  schema: z.ZodMiniType<T>;
}

/**
 * The contents of the file at `url`, checked by `kind.schema`. A file that is missing, unreadable or not what it must
 * hold is a broken bundle: it throws naming the file, rather than let a caller hear a blank or a number go unread.
 */
export function readBundleDataFile<T>(url: URL, kind: BundleDataKind<T>): T {
  const path = fileURLToPath(url);
  let contents: unknown;
  try {
    contents = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`this function's ${kind.name} ${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const parsed = kind.schema.safeParse(contents);
  if (!parsed.success) throw new Error(`this function's ${kind.name} ${path} is not ${kind.holds}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

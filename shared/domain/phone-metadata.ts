/**
 * libphonenumber's metadata for the countries the hotline reads numbers of (infra/phone-metadata.ts makes
 * phone-metadata.json), not all 245 of them: the full metadata was 80 KB of every bundle. This module compiles the
 * JSON in, as the tests and the local stack use it. A Lambda bundle never holds it: infra/bundling.ts puts in its
 * place one that reads data/phone-metadata.json beside the bundle's index.mjs (shared/phone-metadata-file.ts) when
 * first asked, so that a cold start compiles only code; shared/domain/phone.ts asks once and keeps it.
 */
import type { MetadataJson } from 'libphonenumber-js/core';
import metadata from './phone-metadata.json';

export function phoneMetadata(): MetadataJson {
  return metadata as unknown as MetadataJson;
}

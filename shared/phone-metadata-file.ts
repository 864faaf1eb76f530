/**
 * The phone metadata as a Lambda bundle carries it: data/phone-metadata.json beside its index.mjs, written by
 * infra/bundling.ts. The module that bundle puts in place of shared/domain/phone-metadata.ts reads it with this,
 * synchronously, the first time a number is parsed (shared/domain/phone.ts keeps it).
 */
import type { MetadataJson } from 'libphonenumber-js/core';
import { readBundleDataFile } from './bundle-data-file';
import * as z from './domain/zod';

/** What libphonenumber-js/core looks a number up in; the rest of each country's array is its own to read. */
const PHONE_METADATA_FILE = {
  name: 'phone metadata file',
  holds: "libphonenumber's metadata",
  schema: z.looseObject({
    version: z.number(),
    country_calling_codes: z.record(z.string(), z.array(z.string())),
    countries: z.record(z.string(), z.array(z.unknown())),
  }),
};

/** The metadata in the file at `url`; a file that is missing, unreadable or not metadata throws naming it. */
export const readPhoneMetadataFile = (url: URL): MetadataJson => readBundleDataFile(url, PHONE_METADATA_FILE) as unknown as MetadataJson;

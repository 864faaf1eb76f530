/**
 * The phone metadata as a Lambda bundle carries it: data/phone-metadata.json beside its index.mjs, written by
 * infra/bundling.ts. The module that bundle puts in place of shared/domain/phone-metadata.ts reads it with this,
 * synchronously, the first time a number is parsed (shared/domain/phone.ts keeps it).
 */
import type { MetadataJson } from 'libphonenumber-js/core';
import { readBundleDataFile } from './bundle-data-file';
import * as z from './domain/zod';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What libphonenumber-js/core looks a number up in: each calling code's countries, and each country's array. A
 * check of its own, not an object schema: zod's first run of an object, record and array schema cost the first
 * number of every cold start 1 ms here, more than the file's read and parse (docs/decisions.md).
 */
const isMetadata = (value: unknown): value is MetadataJson =>
  isRecord(value) &&
  isRecord(value.country_calling_codes) &&
  isRecord(value.countries) &&
  Object.values(value.country_calling_codes).every((countries) => Array.isArray(countries)) &&
  Object.values(value.countries).every((country) => Array.isArray(country));

const PHONE_METADATA_FILE = {
  name: 'phone metadata file',
  holds: "libphonenumber's metadata",
  schema: z.custom<MetadataJson>(isMetadata, 'not calling codes and countries as libphonenumber-js/core reads them'),
};

/** The metadata in the file at `url`; a file that is missing, unreadable or not metadata throws naming it. */
export const readPhoneMetadataFile = (url: URL): MetadataJson => readBundleDataFile(url, PHONE_METADATA_FILE);

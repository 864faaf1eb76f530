import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Real-format provider requests, one folder per provider (test/fixtures/<provider>/<case>.json). */
export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface Fixture {
  description: string;
  provider: string;
  method: string;
  path: string;
  contentType: string;
  body: Record<string, string>;
  url?: string;
  authToken?: string;
  headers?: Record<string, string>;
}

export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as Fixture;
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** A Request as the provider would send it to `path` (default: the fixture's own path). */
export function fixtureRequest(f: Fixture, overrides: Record<string, string> = {}, path = f.path): Request {
  return new Request(`http://localhost${path}`, {
    method: f.method,
    headers: { 'content-type': f.contentType, ...(f.headers ?? {}) },
    body: formBody({ ...f.body, ...overrides }),
  });
}

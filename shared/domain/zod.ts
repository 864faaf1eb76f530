/**
 * The runtime's zod: `zod/mini`, whose functions esbuild tree-shakes to what a bundle uses (about 40 KB against the
 * 97 KB that classic zod's methods pull into every bundle, docs/decisions.md). Every runtime module imports zod from
 * here, never from `zod` itself (a layer rule), so that the English messages below are set wherever a schema runs:
 * mini loads no locale of its own, and its bare "Invalid input" would reach operators and gateways' 400 replies.
 *
 * A schema that only some requests use is declared `z.lazy(() => …)`: built on its first parse, not when a bundle is
 * imported (a Lambda bundle holds every repository's and channel's schemas; each cold start would build them all).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';

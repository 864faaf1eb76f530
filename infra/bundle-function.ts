/**
 * `node --import tsx infra/bundle-function.ts <entry> <outdir>`: one function's bundle (infra/bundling.ts), as the
 * stack's assets are built at synthesis (infra/constructs/function.ts runs this in a child process, since CDK's
 * local bundling is synchronous and esbuild's plugins need its asynchronous API).
 */
import { bundleFunction } from './bundling';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) throw new Error('usage: infra/bundle-function.ts <entry> <outdir>');
await bundleFunction(entry, outdir);

/**
 * The prompt keys a function's code can name, read from its bundle as the stack builds it (infra/bundling.ts) but
 * with no texts: every string literal that is a key, and every literal or template head that a key starts with
 * (`report.category.${c}`, `'officer.bodyWords.' + lang`) standing for all the keys under it. What esbuild leaves in
 * a bundle is what its code may run, so a key the function can look up is among these (the converse does not hold:
 * code bundled but never run by the function, such as the studio its composition builds, counts too).
 */
import { join } from 'node:path';
import ts from 'typescript';
import { bundleFunction, promptCatalogue } from '../../infra/bundling';
import { PROMPTS } from '../../shared/domain/prompts';

/** The keys the code may look up (the `_meta` notes are for reviewers: the type of a key excludes them). */
const KEYS = Object.keys(PROMPTS.en).filter((key) => !key.startsWith('_meta.'));

/** Literals of a JavaScript module: a string or template without substitutions as it is; a template's head with `prefix`. */
function literals(code: string): { text: string; prefix: boolean }[] {
  const found: { text: string; prefix: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push({ text: node.text, prefix: node.text.endsWith('.') });
    else if (ts.isTemplateExpression(node)) found.push({ text: node.head.text, prefix: true });
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('bundle.mjs', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS));
  return found;
}

/** Each key the bundle of `entry` can name, with the literal that names it. */
export async function keysNamedBy(entry: string): Promise<Map<string, string>> {
  const { outputFiles } = await bundleFunction(entry, join('/tmp', 'prompt-keys'), { write: false, minify: false, sourcemap: false, plugins: [promptCatalogue([])] });
  const named = new Map<string, string>();
  for (const file of outputFiles!.filter((output) => output.path.endsWith('.mjs'))) {
    for (const { text, prefix } of literals(file.text)) {
      if (!text.includes('.') && !prefix) continue;
      for (const key of KEYS) if (key === text || (prefix && text.includes('.') && key.startsWith(text))) named.set(key, text);
    }
  }
  return named;
}

/**
 * An accessibility check of the page in the browser with axe-core (Deque's engine, the npm package, nothing
 * downloaded): the WCAG 2.1 A and AA rules. Its source is evaluated through the debugging protocol, so the
 * console's Content-Security-Policy (no script at all) stays as it is for the page itself.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The page's globals, as the callback below sees them in the browser (the tests' tsconfig has no DOM types). */
type InPage = { axe: { run(context: unknown, options: object): Promise<AxeResults> }; document: unknown };

/** The serious and critical violations on the page, each as `rule: target (why)` for a readable failure. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    () =>
      (globalThis as unknown as InPage).axe.run((globalThis as unknown as InPage).document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      }),
  );
  return results.violations
    .filter((violation: Result) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation: Result) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} (${node.failureSummary?.split('\n').slice(1).join(' ').trim()})`));
}

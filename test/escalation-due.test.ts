/**
 * Every urgent report is escalated (issue 15): its escalation is recorded as due before the report is written, and
 * the sweeper starts any whose start failed, a throttled rota read, a failed first write, a write whose response
 * was lost, so that the page arrives.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationDeps } from '../shared/escalation/deps';
import { startEscalation, sweepOverdue } from '../shared/escalation/service';
import { startTestStore, type TestStore } from './support/dynalite';
import { escalationHarness, OFFICERS, officerImport, storeReport, type EscalationHarness } from './support/escalation';

let store: TestStore;
const harnesses: EscalationHarness[] = [];
beforeAll(async () => {
  store = await startTestStore();
});
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.stop()));
});
afterAll(async () => store.close());

const { emma } = OFFICERS;
const throttled = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' });

async function hotline(): Promise<EscalationHarness> {
  const h = await escalationHarness(store, { ESCALATION_ACK_TIMEOUT_SECONDS: '600' });
  harnesses.push(h);
  await h.officers.putOfficers([officerImport(emma)]);
  return h;
}

const pagesTo = async (h: EscalationHarness, phone: string) =>
  (await h.sent()).filter((m) => m.to === phone && m.text.startsWith('SafeJob URGENT')).map((m) => m.text);

/** The harness's deps with one repository method failing once (before or after doing its work). */
function failingOnce<K extends 'officers' | 'escalations'>(
  deps: EscalationDeps,
  repository: K,
  method: string,
  when: 'before' | 'after',
): EscalationDeps {
  const real = deps[repository] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  let failed = false;
  const wrapped = Object.create(real) as Record<string, unknown>;
  wrapped[method] = async (...args: unknown[]) => {
    if (failed) return real[method]!.apply(real, args);
    failed = true;
    if (when === 'after') await real[method]!.apply(real, args);
    throw throttled();
  };
  return { ...deps, [repository]: wrapped };
}

describe('an urgent report whose escalation failed to start', () => {
  for (const [what, repository, method, when] of [
    ['the rota read is throttled', 'officers', 'list', 'before'],
    ['the first escalation write fails', 'escalations', 'save', 'before'],
    ['the first escalation write succeeds but its response is lost', 'escalations', 'save', 'after'],
  ] as const) {
    it(`is started by the sweeper when ${what}: the page arrives, once`, async () => {
      const h = await hotline();
      const report = await storeReport(h, `due-${method}-${when}`);
      expect(await h.deps.escalations.listDue()).toEqual([{ reference: report.reference, since: report.createdAt }]);
      await expect(startEscalation(failingOnce(h.deps, repository, method, when), report)).rejects.toThrow(/throughput/);
      expect(await pagesTo(h, emma.phone)).toEqual([]);

      expect(await sweepOverdue(h.deps)).toBe(1);
      expect(await pagesTo(h, emma.phone)).toHaveLength(1);
      expect((await h.deps.escalations.get(report.reference))?.status).toBe('paging');
      expect(await h.deps.escalations.listDue()).toEqual([]);
      // The next sweep has nothing to start: nobody is paged twice.
      expect(await sweepOverdue(h.deps)).toBe(0);
      expect(await pagesTo(h, emma.phone)).toHaveLength(1);
    });
  }

  it('a start that succeeds is no longer due; a report that is not urgent is never due', async () => {
    const h = await hotline();
    const report = await storeReport(h, 'due-ok');
    await startEscalation(h.deps, report);
    await storeReport(h, 'due-quiet', { urgency: { urgent: false, reasons: [] } });
    expect(await h.deps.escalations.listDue()).toEqual([]);
    expect(await sweepOverdue(h.deps)).toBe(0);
    expect(await pagesTo(h, emma.phone)).toHaveLength(1);
  });

  it('raises the operators’ alarm when a due escalation still cannot start after five minutes', async () => {
    const h = await hotline();
    const report = await storeReport(h, 'due-alarm');
    const later = Date.parse(report.createdAt) + 6 * 60_000;
    expect(await sweepOverdue({ ...failingOnce(h.deps, 'officers', 'list', 'before'), now: () => later })).toBe(0);
    const alarm = h.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.message === 'escalation exhausted');
    expect(alarm).toMatchObject({ level: 'error', reference: report.reference, reason: 'start_overdue' });
  });
});

/**
 * The conversation runner's protocol (shared/conversation/runner.ts), with a scripted step on the hotline's own
 * dependencies (dynalite): the needs in one batch and one more step, a submitted report filed once and the step
 * asked again with its outcome, the language kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, type Turn } from '../shared/conversation/runner';
import type { ConversationData, Need, StepOutcome } from '../shared/domain/conversation';
import type { Lang } from '../shared/domain/prompts';
import { createLogger } from '../shared/log';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

const CALLER = '+992900001234';

type Effect =
  | { type: 'submitReport'; lang: Lang }
  | { type: 'rememberLanguage'; lang: Lang }
  | { type: 'verified'; kind: 'handle'; verdict: 'warning' };
interface Result extends StepOutcome<Effect> {
  reply: string;
}

function setUp(logLines: string[] = []) {
  const { deps } = testHotline(store, {}, createLogger('test', (line) => logLines.push(line)));
  const seen: ConversationData[] = [];
  const remembered: Lang[] = [];
  const turn = (step: (data: ConversationData) => Result, key = 'runner:1'): Turn<Effect, Result> => ({
    caller: { phone: CALLER, key: deps.callerKey(CALLER) },
    channel: 'sms',
    data: { today: '2026-11-25', cardHash: deps.cardHash, reported: new Map() },
    step: (data) => {
      seen.push(data);
      return step(data);
    },
    filing: {
      reportOf: (effect) =>
        effect.type === 'submitReport'
          ? { channel: 'sms', lang: effect.lang, category: 'other', paid: 'unknown', freeText: 'a fake agency', identifiers: [], callbackConsent: false }
          : undefined,
      idempotencyKey: key,
      confirmBySms: true, reachableBySms: true,
    },
    rememberLanguage: async (lang) => {
      remembered.push(lang);
    },
  });
  return { deps, seen, remembered, turn };
}

const phone: Need = { type: 'identifier', identifier: { kind: 'phone', value: '+992900009999' } };

describe('converse', () => {
  it('looks every need up in one batch, then asks the step once more', async () => {
    const { deps, seen, turn } = setUp();
    const { result, submitted } = await converse(
      deps,
      turn((data) => {
        const needs: Need[] = [];
        if (!data.reported.has('phone:+992900009999')) needs.push(phone);
        if (!data.myReports) needs.push({ type: 'myReports' });
        if (!data.reports?.has('7K3R9M')) needs.push({ type: 'report', reference: '7K3R9M' });
        return { reply: needs.length ? 'incomplete' : 'complete', needs, effects: [] };
      }),
    );
    expect(result).toEqual({ reply: 'complete', needs: [], effects: [] });
    expect(submitted).toBeUndefined();
    expect(seen).toHaveLength(2);
    expect(seen[1]!.reported.get('phone:+992900009999')).toBeNull();
    expect(seen[1]!.myReports).toEqual([]);
    expect(seen[1]!.reports?.get('7K3R9M')).toBeNull();
  });

  it('answers without a look-up that fails, unless the turn is strict', async () => {
    const logLines: string[] = [];
    const { deps, seen, turn } = setUp(logLines);
    deps.reports.getIdentifierSummary = async () => {
      throw new Error('table unavailable');
    };
    const step = (data: ConversationData): Result => ({ reply: 'answer', needs: data.reported.size ? [] : [phone], effects: [] });
    await converse(deps, turn(step));
    expect(seen).toHaveLength(2);
    expect(seen[1]!.reported.get('phone:+992900009999')).toBeNull();
    expect(logLines.join('\n')).toMatch(/reported identifier lookup failed/);
    await expect(converse(deps, { ...turn(step), strictLookups: true })).rejects.toThrow('table unavailable');
  });

  it('files a submitted report once, asks the step again with its outcome, and texts the reporter its reference', async () => {
    const { deps, seen, remembered, turn } = setUp();
    const step = (data: ConversationData): Result => ({
      reply: data.submitted?.saved ? `received ${data.submitted.report.reference}` : 'sending',
      needs: [],
      effects: data.submitted ? [{ type: 'rememberLanguage', lang: 'ru' }] : [{ type: 'submitReport', lang: 'ru' }],
    });
    const first = await converse(deps, turn(step, 'runner:report'));
    expect(seen).toHaveLength(2);
    expect(first.submitted?.by).toEqual({ type: 'submitReport', lang: 'ru' });
    expect(first.submitted?.outcome.saved).toBe(true);
    const reference = first.submitted?.outcome.saved ? first.submitted.outcome.report.reference : '';
    expect(first.result.reply).toBe(`received ${reference}`);
    expect(remembered).toEqual(['ru']);

    // A retry of the same request: the same report, and no second SMS.
    const again = await converse(deps, turn(step, 'runner:report'));
    expect(again.result.reply).toBe(`received ${reference}`);
    await deps.localQueue.drain();
    const texts = (await deps.localOutbox.list(deps.messages)).filter((m) => m.to === CALLER).map((m) => m.text);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(reference);
  });

  it("counts a check on the caller's day by its verdict, and a failed count costs the caller nothing", async () => {
    const logLines: string[] = [];
    const { deps, turn } = setUp(logLines);
    const checkTurn = turn(() => ({ reply: 'WARNING', needs: [], effects: [{ type: 'verified', kind: 'handle', verdict: 'warning' }] }), 'runner:check');
    await converse(deps, checkTurn);
    expect(await deps.verifications.days('2026-11-25', '2026-11-25')).toEqual([
      { day: '2026-11-25', total: 1, verdicts: { licensed: 0, warning: 1, unknown: 0, unclear: 0 } },
    ]);
    const failing = { ...deps, verifications: { count: () => Promise.reject(new Error('table unavailable')) } };
    expect((await converse(failing, checkTurn)).result.reply).toBe('WARNING');
    expect(logLines.join('\n')).toMatch(/verification not counted/);
  });
});

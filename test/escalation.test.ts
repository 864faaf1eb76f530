/**
 * The escalation rules as a pure state machine, driven by a fake clock: no store, no timers.
 */
import { describe, expect, it } from 'vitest';
import {
  chainOf,
  onAck,
  onCall,
  onDone,
  onRefer,
  onTimeout,
  pageText,
  start,
  type EscalationEffect,
  type EscalationState,
  type RotaOfficer,
  type Transition,
} from '../shared/domain/escalation';
import { LANGUAGES } from '../shared/domain/prompts';
import type { Report } from '../shared/domain/report';
import { smsParts } from '../shared/domain/screen';

const T0 = Date.parse('2026-11-25T08:00:00.000Z');
const MIN = 60_000;
/** The officer's code for the case, as the shell would compute it. */
const CODE = '482193';
const settings = { ackTimeoutSeconds: 600, repeatCount: 1, codeFor: () => CODE };

const officer = (key: string, level: number, overrides: Partial<RotaOfficer> = {}): RotaOfficer => ({
  key,
  name: key.toUpperCase(),
  role: 'officer',
  languages: ['en'],
  level,
  onDuty: true,
  ...overrides,
});

/** Two level-1 officers (one writes Tajik), one at level 2, a supervisor at level 3. */
const ROTA: RotaOfficer[] = [
  officer('a1', 1),
  officer('a2', 1, { languages: ['tg', 'ru'] }),
  officer('b1', 2, { languages: ['ru'] }),
  officer('s1', 3, { role: 'supervisor' }),
];

const report: Report = {
  reference: '7K3R9M',
  channel: 'ussd',
  lang: 'tg',
  category: 'fee_requested',
  paid: 'about_to_pay',
  amount: { value: 3000, currency: 'TJS' },
  identifiers: [{ kind: 'phone', value: '+992927001122' }],
  callbackConsent: true,
  urgency: { urgent: true, reasons: ['about_to_pay', 'large_amount'] },
  status: 'received',
  createdAt: '2026-11-25T07:59:00.000Z',
  updatedAt: '2026-11-25T07:59:00.000Z',
  reporterKey: 'reporter-key',
};

const of = <T extends EscalationEffect['type']>(effects: EscalationEffect[], type: T) =>
  effects.filter((e): e is Extract<EscalationEffect, { type: T }> => e.type === type);
const smsTo = (effects: EscalationEffect[]) => of(effects, 'sms').map((e) => e.officerKey);
const smsText = (effects: EscalationEffect[], key: string) => of(effects, 'sms').find((e) => e.officerKey === key)?.text;

function timeout(t: Transition, rota = ROTA, at = Date.parse(t.state.dueAt!)): Transition {
  const result = onTimeout(t.state, { reference: report.reference, step: t.state.step }, report, rota, settings, at);
  if ('ignored' in result) throw new Error(`ignored: ${result.ignored}`);
  return result;
}

describe('start', () => {
  it('pages the level-1 officers on duty, each in their language, arms the timeout and marks the report escalated', () => {
    const t = start(report, ROTA, settings, T0);
    expect(t.state).toMatchObject({ status: 'paging', step: 1, round: 1, level: 1, version: 1, dueAt: '2026-11-25T08:10:00.000Z' });
    expect(t.state.paged.map((p) => p.key)).toEqual(['a1', 'a2']);
    expect(smsTo(t.effects)).toEqual(['a1', 'a2']);
    expect(of(t.effects, 'schedule')).toEqual([{ type: 'schedule', trigger: { reference: '7K3R9M', step: 1 }, at: '2026-11-25T08:10:00.000Z' }]);
    expect(of(t.effects, 'reportStatus')).toEqual([{ type: 'reportStatus', status: 'escalated' }]);
    expect(of(t.effects, 'audit')[0]).toMatchObject({ action: 'paged', detail: { step: 1, round: 1, level: 1, officers: ['A1', 'A2'] } });
    // The timer is armed before anyone is texted: a half-sent page still moves on.
    expect(t.effects.findIndex((e) => e.type === 'schedule')).toBeLessThan(t.effects.findIndex((e) => e.type === 'sms'));
  });

  it('says what an officer needs: reference, category, amount, why, reporter language, call-back, how to reply', () => {
    const t = start(report, ROTA, settings, T0);
    expect(smsText(t.effects, 'a1')).toBe(
      'SafeJob URGENT 7K3R9M: fee demanded, 3000 TJS. Why: about to pay, large amount. Reporter speaks Tajik; ' +
        'call-back allowed. Reply ACK 7K3R9M 482193',
    );
    expect(smsText(t.effects, 'a2')).toMatch(/^SafeJob ФАВРӢ 7K3R9M: .*ACK 7K3R9M 482193$/);
    const noCallback = pageText('en', { ...report, callbackConsent: false, amount: undefined }, 2, CODE);
    expect(noCallback).toBe(
      'SafeJob URGENT 7K3R9M (round 2): fee demanded. Why: about to pay, large amount. Reporter speaks Tajik; ' +
        'call-back not allowed. Reply ACK 7K3R9M 482193',
    );
  });

  it('keeps the longest page within four SMS parts in every language', () => {
    const worst: Report = {
      ...report,
      category: 'abroad_in_trouble',
      amount: { value: 150000, currency: 'RUB' },
      urgency: {
        urgent: true,
        reasons: ['about_to_pay', 'abroad_in_trouble', 'documents_held', 'threats', 'trafficking_indicators', 'large_amount', 'campaign'],
      },
    };
    for (const lang of LANGUAGES) expect(smsParts(pageText(lang, worst, 3, CODE)), lang).toBeLessThanOrEqual(4);
  });

  it('skips a level with nobody on duty', () => {
    const rota = ROTA.map((o) => (o.level === 1 ? { ...o, onDuty: false } : o));
    const t = start(report, rota, settings, T0);
    expect(t.state.level).toBe(2);
    expect(smsTo(t.effects)).toEqual(['b1']);
  });

  it('pages the supervisors at once, on duty or not, when nobody at all is on duty', () => {
    const rota = ROTA.map((o) => ({ ...o, onDuty: false }));
    const t = start(report, rota, settings, T0);
    expect(t.state).toMatchObject({ status: 'paging', level: null, step: 1 });
    expect(smsTo(t.effects)).toEqual(['s1']);
  });

  it('alerts and leaves the escalation open when there is nobody at all to page', () => {
    const t = start(report, [officer('x', 1, { onDuty: false })], settings, T0);
    expect(t.state).toMatchObject({ status: 'exhausted', step: 0, paged: [] });
    expect(t.effects).toEqual([
      { type: 'alert', reason: 'nobody_to_page' },
      { type: 'audit', action: 'exhausted', detail: { reason: 'nobody_to_page' } },
    ]);
  });
});

describe('onTimeout', () => {
  it('pages the next level and tells those paged before that it moved on', () => {
    const t1 = start(report, ROTA, settings, T0);
    const t2 = timeout(t1);
    expect(t2.state).toMatchObject({ status: 'paging', step: 2, round: 1, level: 2, version: 2, dueAt: '2026-11-25T08:20:00.000Z' });
    expect(smsText(t2.effects, 'a1')).toBe('SafeJob 7K3R9M: no ACK, passed to level 2. You can still reply ACK 7K3R9M 482193.');
    expect(smsText(t2.effects, 'a2')).toMatch(/ба сатҳи 2 дода шуд/);
    expect(smsText(t2.effects, 'b1')).toMatch(/^SafeJob СРОЧНО 7K3R9M: /);
    expect(of(t2.effects, 'schedule')[0]).toMatchObject({ trigger: { step: 2 } });
    expect(t2.state.notified.map((p) => p.key)).toEqual(['a1', 'a2', 'b1']);
  });

  it('runs the chain again after the last level, up to the repeat count, then stays open with an alert', () => {
    let t = start(report, ROTA, settings, T0);
    const levels = [t.state.level];
    for (let i = 0; i < 10; i++) {
      t = timeout(t);
      levels.push(t.state.level);
      if (t.state.status === 'exhausted') break;
    }
    // repeatCount 1: two rounds of levels 1, 2, 3, then exhausted (the level stays the last one paged).
    expect(levels).toEqual([1, 2, 3, 1, 2, 3, 3]);
    expect(t.state).toMatchObject({ status: 'exhausted', round: 2, dueAt: undefined });
    expect(of(t.effects, 'alert')).toEqual([{ type: 'alert', reason: 'exhausted' }]);
    expect(smsText(t.effects, 's1')).toBe('SafeJob 7K3R9M: nobody acknowledged after 2 round(s). It stays open: reply ACK 7K3R9M 482193 to take it.');
    expect(of(t.effects, 'schedule')).toEqual([]);
  });

  it('does not tell an officer paged again in the next round that it moved on', () => {
    const rota = [officer('only', 1)];
    const t1 = start(report, rota, settings, T0);
    const t2 = timeout(t1, rota);
    expect(t2.state).toMatchObject({ round: 2, level: 1 });
    expect(of(t2.effects, 'sms')).toEqual([{ type: 'sms', officerKey: 'only', text: expect.stringContaining('(round 2)') }]);
  });

  it('ignores a late or repeated trigger, and a trigger after an ACK', () => {
    const t1 = start(report, ROTA, settings, T0);
    const t2 = timeout(t1);
    const stale = onTimeout(t2.state, { reference: report.reference, step: 1 }, report, ROTA, settings, T0 + 30 * MIN);
    expect(stale).toEqual({ ignored: 'stale_step', effects: [] });
    const acked = onAck(t2.state, report, ROTA[0]!, ROTA, T0 + 11 * MIN);
    if (acked.outcome !== 'taken') throw new Error(acked.outcome);
    const late = onTimeout(acked.transition.state, { reference: report.reference, step: 2 }, report, ROTA, settings, T0 + 20 * MIN);
    expect(late).toEqual({ ignored: 'not_paging', effects: [] });
  });

  it('re-arms a trigger that fires early instead of moving on', () => {
    const t1 = start(report, ROTA, settings, T0);
    const early = onTimeout(t1.state, { reference: report.reference, step: 1 }, report, ROTA, settings, T0 + 5 * MIN);
    expect(early).toEqual({
      ignored: 'early',
      effects: [{ type: 'schedule', trigger: { reference: report.reference, step: 1 }, at: t1.state.dueAt }],
    });
  });

  it('skips an officer who went off duty mid-escalation, and a level left empty', () => {
    const t1 = start(report, ROTA, settings, T0);
    const rota = ROTA.map((o) => (o.key === 'b1' ? { ...o, onDuty: false } : o));
    const t2 = timeout(t1, rota);
    expect(t2.state.level).toBe(3);
    expect(smsTo(of(t2.effects, 'sms').filter((e) => /URGENT/.test(e.text)))).toEqual(['s1']);
  });

  it('pages the supervisors when everyone went off duty mid-escalation', () => {
    const t1 = start(report, ROTA, settings, T0);
    const nobody = ROTA.map((o) => ({ ...o, onDuty: false }));
    const t2 = timeout(t1, nobody);
    expect(t2.state).toMatchObject({ level: null, round: 2 });
    expect(smsText(t2.effects, 'a1')).toBe('SafeJob 7K3R9M: no ACK, passed to the supervisors. You can still reply ACK 7K3R9M 482193.');
    expect(smsText(t2.effects, 's1')).toMatch(/URGENT/);
  });

  it('skips officers removed from the rota when texting', () => {
    const t1 = start(report, ROTA, settings, T0);
    const t2 = timeout(t1, ROTA.filter((o) => o.key !== 'a1'));
    expect(smsTo(t2.effects)).not.toContain('a1');
  });
});

describe('chainOf', () => {
  it('orders levels, leaves out levels with nobody on duty, and falls back to the supervisors', () => {
    expect(chainOf(ROTA).map((s) => [s.level, s.officers.map((o) => o.key)])).toEqual([
      [1, ['a1', 'a2']],
      [2, ['b1']],
      [3, ['s1']],
    ]);
    expect(chainOf([officer('x', 5), officer('y', 2, { onDuty: false })]).map((s) => s.level)).toEqual([5]);
    expect(chainOf([])).toEqual([]);
  });
});

describe('taking a case', () => {
  const paging = () => timeout(start(report, ROTA, settings, T0));

  it('ACK stops paging, confirms, tells everyone paged so far who has it, and tells the reporter', () => {
    const { state } = paging();
    const result = onAck(state, report, ROTA[2]!, ROTA, T0 + 12 * MIN);
    if (result.outcome !== 'taken') throw new Error(result.outcome);
    const { state: acked, effects } = result.transition;
    expect(acked).toMatchObject({
      status: 'acknowledged',
      version: state.version + 1,
      step: 2,
      dueAt: undefined,
      acknowledgedBy: { key: 'b1', name: 'B1', at: '2026-11-25T08:12:00.000Z' },
    });
    expect(smsTo(effects)).toEqual(['a1', 'a2']);
    expect(smsText(effects, 'a1')).toBe('SafeJob 7K3R9M is being handled by B1. No action needed.');
    expect(effects).toContainEqual({ type: 'reportStatus', status: 'acknowledged' });
    expect(effects).toContainEqual({ type: 'notifyReporter', event: 'acknowledged' });
    expect(of(effects, 'audit')).toEqual([
      { type: 'audit', action: 'ack', actor: { key: 'b1', name: 'B1' }, detail: { status: 'paging', step: 2 } },
    ]);
    expect(of(effects, 'schedule')).toEqual([]);
  });

  it('a second ACK gets who has it; the same officer again gets the same answer as before, with nothing done', () => {
    const first = onAck(paging().state, report, ROTA[0]!, ROTA, T0 + 12 * MIN);
    if (first.outcome !== 'taken') throw new Error(first.outcome);
    const acked = first.transition.state;
    expect(onAck(acked, report, ROTA[1]!, ROTA, T0 + 13 * MIN)).toEqual({ outcome: 'taken_by_other', by: acked.acknowledgedBy });
    expect(onAck(acked, report, ROTA[0]!, ROTA, T0 + 13 * MIN)).toEqual({
      outcome: 'taken',
      already: true,
      transition: { state: acked, effects: [] },
    });
  });

  it('an ACK racing a timeout: whichever state is written first, the other is decided again on it', () => {
    const t1 = start(report, ROTA, settings, T0);
    // The timeout wins: the ACK, decided again on the new state, still takes the case and stops level 2's paging.
    const moved = timeout(t1);
    const ack = onAck(moved.state, report, ROTA[0]!, ROTA, Date.parse(t1.state.dueAt!) + 1);
    expect(ack.outcome).toBe('taken');
    // The ACK wins: the timeout, decided again on the acknowledged state, changes nothing.
    const acked = onAck(t1.state, report, ROTA[0]!, ROTA, Date.parse(t1.state.dueAt!) - 1);
    if (acked.outcome !== 'taken') throw new Error(acked.outcome);
    const trigger = { reference: report.reference, step: 1 };
    expect(onTimeout(acked.transition.state, trigger, report, ROTA, settings, Date.parse(t1.state.dueAt!))).toEqual({
      ignored: 'not_paging',
      effects: [],
    });
    // Both were computed from version 1: the store accepts only the first write (conditional on the version).
    expect(moved.state.version).toBe(acked.transition.state.version);
  });

  it('an ACK of a report that was never escalated takes it quietly', () => {
    const result = onAck(undefined, { ...report, urgency: { urgent: false, reasons: [] } }, ROTA[0]!, ROTA, T0);
    if (result.outcome !== 'taken') throw new Error(result.outcome);
    expect(result.transition.state).toMatchObject({ status: 'acknowledged', version: 1, step: 0, round: 0 });
    expect(smsTo(result.transition.effects)).toEqual([]);
  });

  it('DONE closes (taking it if nobody had), with the note, and the reporter is told; then everything gets "closed"', () => {
    const result = onDone(paging().state, report, ROTA[0]!, ROTA, 'card blocked', T0 + 15 * MIN);
    if (result.outcome !== 'taken') throw new Error(result.outcome);
    const { state, effects } = result.transition;
    expect(state).toMatchObject({ status: 'closed', version: 3, acknowledgedBy: { key: 'a1' }, closedBy: { key: 'a1' } });
    expect(of(effects, 'reportStatus')).toEqual([{ type: 'reportStatus', status: 'closed', statusNote: 'card blocked' }]);
    expect(of(effects, 'notifyReporter')).toEqual([{ type: 'notifyReporter', event: 'closed' }]);
    expect(of(effects, 'audit').map((e) => e.action)).toEqual(['ack', 'done']);
    expect(smsTo(effects)).toEqual(['a2', 'b1']);
    const by = state.closedBy;
    expect(onAck(state, report, ROTA[1]!, ROTA, T0 + 16 * MIN)).toEqual({ outcome: 'closed', by });
    expect(onDone(state, report, ROTA[1]!, ROTA, undefined, T0 + 16 * MIN)).toEqual({ outcome: 'closed', by });
    expect(onRefer(state, report, ROTA[1]!, ROTA, 'police', undefined, T0 + 16 * MIN)).toEqual({ outcome: 'closed', by });
  });

  it('DONE on a case someone else holds closes it, recorded under the closer', () => {
    const acked = onAck(paging().state, report, ROTA[0]!, ROTA, T0 + 12 * MIN);
    if (acked.outcome !== 'taken') throw new Error(acked.outcome);
    const done = onDone(acked.transition.state, report, ROTA[3]!, ROTA, undefined, T0 + 20 * MIN);
    if (done.outcome !== 'taken') throw new Error(done.outcome);
    expect(done.transition.state).toMatchObject({ status: 'closed', acknowledgedBy: { key: 'a1' }, closedBy: { key: 's1' } });
    expect(of(done.transition.effects, 'audit')).toEqual([{ type: 'audit', action: 'done', actor: { key: 's1', name: 'S1' }, detail: {} }]);
  });

  it('REFER takes the case and records the body; the report becomes referred', () => {
    const result = onRefer(paging().state, report, ROTA[1]!, ROTA, 'police', 'sent screenshots', T0 + 14 * MIN);
    if (result.outcome !== 'taken') throw new Error(result.outcome);
    const { state, effects } = result.transition;
    expect(state).toMatchObject({ status: 'acknowledged', referredTo: 'police', acknowledgedBy: { key: 'a2' } });
    expect(of(effects, 'reportStatus')).toEqual([{ type: 'reportStatus', status: 'referred', referredTo: 'police', statusNote: 'sent screenshots' }]);
    expect(of(effects, 'notifyReporter')).toEqual([{ type: 'notifyReporter', event: 'acknowledged' }]);
    expect(of(effects, 'audit').map((e) => e.action)).toEqual(['ack', 'refer']);
  });

  it('CALL: only with consent and a kept number; by the holder or a supervisor; taking the case if nobody had', () => {
    const state = paging().state;
    expect(onCall(state, { ...report, callbackConsent: false }, ROTA[0]!, ROTA, false, T0)).toEqual({ outcome: 'no_consent' });
    expect(onCall(state, report, ROTA[0]!, ROTA, false, T0)).toEqual({ outcome: 'no_consent' });

    const call = onCall(state, report, ROTA[0]!, ROTA, true, T0 + 12 * MIN);
    if (call.outcome !== 'taken') throw new Error(call.outcome);
    expect(call.transition.state.acknowledgedBy?.key).toBe('a1');
    expect(of(call.transition.effects, 'bridgeCall')).toEqual([{ type: 'bridgeCall', officerKey: 'a1' }]);
    expect(of(call.transition.effects, 'audit').map((e) => e.action)).toEqual(['ack', 'call_requested']);

    const acked = call.transition.state;
    expect(onCall(acked, report, ROTA[1]!, ROTA, true, T0 + 13 * MIN)).toMatchObject({ outcome: 'taken_by_other', by: { key: 'a1' } });
    const bySupervisor = onCall(acked, report, ROTA[3]!, ROTA, true, T0 + 13 * MIN);
    if (bySupervisor.outcome !== 'taken') throw new Error(bySupervisor.outcome);
    expect(bySupervisor.transition.state).toBe(acked);
    expect(bySupervisor.transition.effects).toEqual([
      { type: 'audit', action: 'call_requested', actor: { key: 's1', name: 'S1' } },
      { type: 'bridgeCall', officerKey: 's1' },
    ]);
  });
});

describe('a whole escalation on a fake clock', () => {
  it('walks start → timeout → timeout → ACK → DONE with a version bump per write and nothing paged after the ACK', () => {
    let clock = T0;
    const states: EscalationState[] = [];
    let t = start(report, ROTA, settings, clock);
    states.push(t.state);
    clock = Date.parse(t.state.dueAt!);
    t = timeout(t, ROTA, clock);
    states.push(t.state);
    clock += 3 * MIN;
    const ack = onAck(t.state, report, ROTA[2]!, ROTA, clock);
    if (ack.outcome !== 'taken') throw new Error(ack.outcome);
    states.push(ack.transition.state);
    // The step-2 trigger still fires later: ignored.
    const late = onTimeout(ack.transition.state, { reference: report.reference, step: 2 }, report, ROTA, settings, clock + 10 * MIN);
    expect(late).toMatchObject({ ignored: 'not_paging' });
    const done = onDone(ack.transition.state, report, ROTA[2]!, ROTA, 'agency warned', clock + 60 * MIN);
    if (done.outcome !== 'taken') throw new Error(done.outcome);
    states.push(done.transition.state);
    expect(states.map((s) => [s.status, s.version, s.step])).toEqual([
      ['paging', 1, 1],
      ['paging', 2, 2],
      ['acknowledged', 3, 2],
      ['closed', 4, 2],
    ]);
  });
});

/**
 * The escalation end to end on one machine: dynalite, the real outbox (local queue), local timers with a 1-second
 * ACK timeout, officers acting by SMS through `handleOfficerSms`. What the "done when" asks: an urgent
 * report pages level 1, moves to level 2 without an ACK, stops on an officer's ACK, ignores strangers, and every
 * command works.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../shared/domain/report';
import { createLocalEscalationDeps } from '../shared/escalation/local';
import {
  auditTrail,
  handleEscalationTrigger,
  handleOfficerSms,
  isOfficer,
  rearmPending,
  startEscalation,
  sweepOverdue,
} from '../shared/escalation/service';
import { EscalationRepository } from '../shared/store/escalations';
import { startTestStore, type TestStore } from './support/dynalite';
import { caseCode, dutyCode, escalationHarness, eventually, OFFICERS, officerImport, storeReport, type EscalationHarness } from './support/escalation';

let store: TestStore;
const harnesses: EscalationHarness[] = [];
beforeAll(async () => {
  store = await startTestStore();
});
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.stop()));
});
afterAll(async () => store.close());

const REPORTER = '+992900000777';
const STRANGER = '+992900000555';
const { aziz, emma, farrukh, malika } = OFFICERS;

async function hotline(env: Record<string, string> = {}, rota = [aziz, emma, farrukh, malika]): Promise<EscalationHarness> {
  const h = await escalationHarness(store, { ESCALATION_ACK_TIMEOUT_SECONDS: '1', ESCALATION_REPEAT_COUNT: '1', ...env });
  harnesses.push(h);
  await h.officers.putOfficers(rota.map(officerImport));
  return h;
}

/** The SMS sent to `phone` since `from` (an index into the outbox). */
const textsTo = (sent: { to: string; text: string }[], phone: string, from = 0) => sent.slice(from).filter((m) => m.to === phone).map((m) => m.text);

/** An officer texts the hotline; returns whether it was handled and what they got back. */
async function text(h: EscalationHarness, from: string, body: string): Promise<{ handled: boolean; replies: string[] }> {
  const before = (await h.sent()).length;
  const handled = await handleOfficerSms(h.deps, from, body);
  return { handled, replies: textsTo(await h.sent(), from, before) };
}

describe('an urgent report, end to end with local timers', () => {
  it('pages level 1, moves to level 2 without an ACK, stops on an ACK, ignores strangers; every command works', async () => {
    const h = await hotline();
    const report = await storeReport(h, 'e2e-1');
    const ref = report.reference;

    // 1. Level 1 is paged, each officer in their own language; the report is marked escalated.
    await startEscalation(h.deps, report);
    let sent = await h.sent();
    expect(textsTo(sent, emma.phone)).toEqual([
      `SafeJob URGENT ${ref}: fee demanded, 3000 TJS. Why: about to pay, large amount. Reporter speaks Tajik; call-back allowed. Reply ACK ${ref} ${caseCode(emma.phone, ref)}`,
    ]);
    expect(textsTo(sent, aziz.phone)[0]).toMatch(new RegExp(`^SafeJob ФАВРӢ ${ref}: `));
    expect(textsTo(sent, farrukh.phone)).toEqual([]);
    expect((await h.reports.getByReference(ref))?.status).toBe('escalated');

    // 2. No ACK within the timeout: level 2 is paged, level 1 is told it moved on.
    sent = await eventually(async () => {
      const all = await h.sent();
      return textsTo(all, farrukh.phone).length > 0 && all;
    });
    expect(textsTo(sent, farrukh.phone)).toEqual([
      `SafeJob СРОЧНО ${ref}: требуют плату, 3000 TJS. Почему: вот-вот заплатит, крупная сумма. Язык: таджикский; перезвонить можно. Ответ: ACK ${ref} ${caseCode(farrukh.phone, ref)}`,
    ]);
    expect(textsTo(sent, emma.phone)[1]).toBe(`SafeJob ${ref}: no ACK, passed to level 2. You can still reply ACK ${ref} ${caseCode(emma.phone, ref)}.`);

    // 3. A stranger's ACK is not an officer's: false, nothing sent, nothing changed.
    const stranger = await text(h, STRANGER, `ACK ${ref}`);
    expect(stranger).toEqual({ handled: false, replies: [] });
    expect(await isOfficer(h.deps, STRANGER)).toBe(false);
    expect(await isOfficer(h.deps, farrukh.phone)).toBe(true);
    // Not an officer command at all: left to the migrant flow, even from an officer.
    expect(await handleOfficerSms(h.deps, farrukh.phone, 'HELP')).toBe(false);

    // 4. Level 2 acknowledges: confirmed, the others told who has it, the reporter told (consented number).
    const beforeAck = (await h.sent()).length;
    const ack = await text(h, farrukh.phone, `ack ${ref.toLowerCase()} ${caseCode(farrukh.phone, ref)}`);
    expect(ack.handled).toBe(true);
    expect(ack.replies).toEqual([
      `${ref} ваше; оповещение остановлено, заявителю сообщено. Подробно: INFO ${ref}. Когда готово: DONE ${ref} ${caseCode(farrukh.phone, ref)} заметка.`,
    ]);
    sent = await h.sent();
    expect(textsTo(sent, emma.phone, beforeAck)).toEqual([`SafeJob ${ref} is being handled by Farrukh. No action needed.`]);
    expect(textsTo(sent, REPORTER, beforeAck)).toEqual([
      `SafeJob: корманд бо шикояти шумо ${ref} машғул аст. Ба касе пул надиҳед. Барои донистани ҳолат: ҲОЛАТ ${ref}.`,
    ]);
    expect((await h.reports.getByReference(ref))?.status).toBe('acknowledged');

    // 5. Paging has stopped: the step-2 trigger fires and changes nothing; nobody is paged again.
    const afterAck = (await h.sent()).length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await h.deps.scheduler.drain();
    expect((await h.sent()).slice(afterAck)).toEqual([]);
    expect(h.deps.scheduler.pending()).toEqual([]);

    // 6. A second or late ACK, an unknown reference.
    expect((await text(h, emma.phone, `ACK ${ref} ${caseCode(emma.phone, ref)}`)).replies).toEqual([`${ref} was already acknowledged by Farrukh.`]);
    expect((await text(h, emma.phone, 'ACK 2345AB')).replies).toEqual(['Unknown reference 2345AB. Check it and try again.']);

    // 7. NOTE, INFO (never the reporter's number), REFER, CALL (bridged by the local bridge), DONE.
    expect((await text(h, emma.phone, `NOTE ${ref} ${caseCode(emma.phone, ref)} rang the agency, no answer`)).replies).toEqual([`Note added to ${ref}.`]);
    const info = (await text(h, emma.phone, `INFO ${ref}`)).replies[0]!;
    expect(info).toMatch(new RegExp(`^${ref}: acknowledged, by Farrukh\\. fee demanded, 3000 TJS, about to pay\\.`));
    expect(info).toContain('Named: +992927001122.');
    expect(info).not.toContain('900000777');
    expect((await text(h, malika.phone, `REFER ${ref} ${caseCode(malika.phone, ref)} POLICE screenshots sent`)).replies).toEqual([`${ref} referred to the police cyber unit.`]);
    expect(await h.reports.getByReference(ref)).toMatchObject({ status: 'referred', referredTo: 'police', statusNote: 'screenshots sent' });
    expect((await text(h, emma.phone, `CALL ${ref} ${caseCode(emma.phone, ref)}`)).replies).toEqual([
      `${ref} is handled by Farrukh: only they or a supervisor can call the reporter.`,
    ]);
    expect((await text(h, farrukh.phone, `CALL ${ref} ${caseCode(farrukh.phone, ref)}`)).replies[0]).toMatch(new RegExp(`^Сейчас вам позвоним и соединим с заявителем ${ref}:`));
    expect(h.calls.list()).toEqual([expect.objectContaining({ reference: ref, officerPhone: farrukh.phone, reporterPhone: REPORTER })]);
    const calls = await new EscalationRepository(store.client, h.tableName).listPendingCalls(ref);
    expect(calls).toEqual([
      expect.objectContaining({ reference: ref, officerKey: officerImport(farrukh).key, status: 'placed', provider: 'local', callId: h.calls.list()[0]!.callId }),
    ]);
    const beforeDone = (await h.sent()).length;
    expect((await text(h, farrukh.phone, `DONE ${ref} ${caseCode(farrukh.phone, ref)} card blocked`)).replies).toEqual([`${ref} закрыто. Спасибо.`]);
    expect(textsTo(await h.sent(), REPORTER, beforeDone)).toEqual([
      `SafeJob: оид ба шикояти шумо ${ref} чора дида шуд ва он баста шуд. Ташаккур. Агар боз ба шумо нависанд, боз хабар диҳед.`,
    ]);
    expect(await h.reports.getByReference(ref)).toMatchObject({ status: 'closed', statusNote: 'card blocked' });
    expect((await text(h, emma.phone, `ACK ${ref} ${caseCode(emma.phone, ref)}`)).replies).toEqual([`${ref} is already closed (by Farrukh).`]);

    // 8. Duty: OFF, WHO, ON.
    expect((await text(h, emma.phone, `OFF ${dutyCode(emma.phone)}`)).replies).toEqual(['You are off duty. Text ON to come back.']);
    expect((await text(h, malika.phone, 'WHO')).replies).toEqual(['On duty: level 1: Aziz; level 2: Farrukh; level 3: Malika.']);
    expect((await text(h, emma.phone, `on ${dutyCode(emma.phone)}`)).replies).toEqual(['Emma, you are on duty (level 1). Text OFF when you stop.']);

    // 9. Everything officers did is in the audit trail, by name; no raw number anywhere in it or in the logs.
    const trail = await auditTrail(h.deps, ref);
    expect(trail.map((r) => r.action)).toEqual([
      'paged',
      'paged',
      'ack',
      'reporter_notified',
      'note',
      'info',
      'refer',
      'call_requested',
      'call_placed',
      'done',
      'reporter_notified',
    ]);
    expect(trail.find((r) => r.action === 'refer')).toMatchObject({ actor: { name: 'Malika' }, detail: { body: 'police', note: 'screenshots sent' } });
    const everything = JSON.stringify(trail) + h.logLines.join('\n');
    expect(everything).not.toMatch(/900009|900000777/);
    expect(h.logLines.some((line) => line.includes('"officer command"'))).toBe(true);
  });

  it('an ACK racing the timeout: exactly one wins, and nothing is paged after the ACK', async () => {
    const h = await hotline({ ESCALATION_ACK_TIMEOUT_SECONDS: '600' });
    for (let i = 0; i < 5; i++) {
      const report = await storeReport(h, `race-${i}`);
      const state = await startEscalation(h.deps, report);
      // Pretend the deadline has passed for the trigger (the rules re-arm an early one otherwise).
      h.deps.now = () => Date.parse(state.dueAt!) + 1;
      const [handled, outcome] = await Promise.all([
        handleOfficerSms(h.deps, aziz.phone, `ACK ${report.reference} ${caseCode(aziz.phone, report.reference)}`),
        handleEscalationTrigger(h.deps, { reference: report.reference, step: 1 }),
      ]);
      h.deps.now = Date.now;
      expect(handled).toBe(true);
      expect(['moved_on', 'ignored']).toContain(outcome);
      const trail = await auditTrail(h.deps, report.reference);
      expect(trail.filter((r) => r.action === 'ack')).toHaveLength(1);
      // If the timeout won, level 2 was paged before the ACK; never after it.
      const actions = trail.map((r) => r.action);
      expect(actions.lastIndexOf('paged')).toBeLessThan(actions.indexOf('ack'));
      // And it is no longer listed as open, whichever order the two writes came in.
      const open = await new EscalationRepository(store.client, h.tableName).listOpen();
      expect(open.map((o) => o.reference)).not.toContain(report.reference);
    }
  });

  it('a repeated or late trigger changes nothing', async () => {
    const h = await hotline({ ESCALATION_ACK_TIMEOUT_SECONDS: '600' });
    const report = await storeReport(h, 'dup-1');
    const state = await startEscalation(h.deps, report);
    h.deps.now = () => Date.parse(state.dueAt!) + 1;
    expect(await handleEscalationTrigger(h.deps, { reference: report.reference, step: 1 })).toBe('moved_on');
    expect(await handleEscalationTrigger(h.deps, { reference: report.reference, step: 1 })).toBe('ignored');
    expect(await handleEscalationTrigger(h.deps, { reference: 'ZZZZZZ', step: 1 })).toBe('ignored');
    // Starting it again (a replayed intake) does not page again.
    const pages = (await h.sent()).length;
    expect((await startEscalation(h.deps, report)).step).toBe(2);
    expect((await h.sent()).length).toBe(pages);
  });

  it('pages the supervisors at once when nobody is on duty, and alerts when an escalation is left open', async () => {
    const h = await hotline({ ESCALATION_REPEAT_COUNT: '0' }, [aziz, malika]);
    await text(h, aziz.phone, `OFF ${dutyCode(aziz.phone)}`);
    expect((await text(h, malika.phone, `OFF ${dutyCode(malika.phone)}`)).replies).toEqual([
      'You are off duty. Text ON to come back. Nobody is on duty now: urgent reports go to the supervisors.',
    ]);
    const report = await storeReport(h, 'nobody-1', { callbackConsent: false });
    await startEscalation(h.deps, report);
    expect(textsTo(await h.sent(), malika.phone).at(-1)).toMatch(/^SafeJob URGENT /);
    expect(textsTo(await h.sent(), aziz.phone).filter((t) => t.includes('URGENT'))).toEqual([]);
    // One round only: the next timeout leaves it open, alerts, and tells the supervisor.
    await eventually(async () => h.logLines.some((line) => line.includes('"escalation exhausted"')));
    expect(textsTo(await h.sent(), malika.phone).at(-1)).toBe(
      `SafeJob ${report.reference}: nobody acknowledged after 1 round(s). It stays open: reply ACK ${report.reference} ${caseCode(malika.phone, report.reference)} to take it.`,
    );
    // Open and visible: ON lists it; an ACK still takes it; without consent the reporter is not texted, and that is recorded.
    expect((await text(h, aziz.phone, `ON ${dutyCode(aziz.phone)}`)).replies[0]).toContain(`Қабул нашудаанд: ${report.reference}.`);
    expect((await text(h, aziz.phone, `ACK ${report.reference} ${caseCode(aziz.phone, report.reference)}`)).replies[0]).toMatch(new RegExp(`^${report.reference} аз они шумо`));
    const trail = await auditTrail(h.deps, report.reference);
    expect(trail.find((r) => r.action === 'reporter_not_notified')).toMatchObject({ detail: { event: 'acknowledged', reason: 'no_consent' } });
    expect((await text(h, aziz.phone, `ON ${dutyCode(aziz.phone)}`)).replies[0]).not.toContain('Қабул нашудаанд');
  });

  it('re-arms pending escalations after a restart, and the sweeper handles an overdue one', async () => {
    const h = await hotline({ ESCALATION_ACK_TIMEOUT_SECONDS: '1' });
    const report: Report = await storeReport(h, 'restart-1');
    await startEscalation(h.deps, report);
    // The hotline stops before the timer fires: its timers are gone.
    await h.deps.scheduler.stop();
    const restarted = createLocalEscalationDeps(
      { officers: h.deps.officers, escalations: h.deps.escalations, outbox: h.deps.outbox, log: h.deps.log, callerKey: h.deps.callerKey, commandCode: h.deps.commandCode, reports: h.reports },
      h.deps.escalation,
    );
    try {
      expect(await rearmPending(restarted)).toBe(1);
      await eventually(async () => textsTo(await h.sent(), farrukh.phone).length > 0);
      await restarted.scheduler.drain();
    } finally {
      await restarted.scheduler.stop();
    }

    await handleOfficerSms(h.deps, aziz.phone, `ACK ${report.reference} ${caseCode(aziz.phone, report.reference)}`);

    // On AWS, a lost trigger: the sweeper finds the overdue step and moves it on.
    const lost = await storeReport(h, 'lost-1');
    const state = await startEscalation({ ...h.deps, scheduler: { schedule: async () => undefined } }, lost);
    const sweeper = { ...h.deps, scheduler: { schedule: async () => undefined }, now: () => Date.parse(state.dueAt!) + 5 * 60_000 };
    expect(await sweepOverdue(sweeper)).toBe(1);
    expect((await new EscalationRepository(store.client, h.tableName).get(lost.reference))?.step).toBe(2);
  });
});

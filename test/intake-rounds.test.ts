/**
 * The store rounds of filing a report (issue 20): on DynamoDB every round of calls is a network round trip, so the
 * calls that do not wait on one another go side by side; and a call that fails beside others still leaves the
 * report journaled or stored, exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayLocalJournal } from '../infra/local';
import { OfficerRepository } from '../shared/store/officers';
import { startTestStore, type TestStore } from './support/dynalite';
import { OFFICERS, officerImport } from './support/escalation';
import { injectTargetedFaults, recordStoreCalls, type StoreCall, type TargetedFault } from './support/faults';
import { hotlineOnNewTable, storedOnceAndTexted, textsTo } from './support/hotline';
import { atSms, storedReports, ussd } from './support/webhooks';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore('safejob-intake-rounds');
});
afterAll(async () => store.close());

/** A fresh table with two officers on duty at level 1: an urgent report pages both. */
async function hotlineWithRota() {
  const hotline = await hotlineOnNewTable(store, 'rounds');
  await new OfficerRepository(store.client, hotline.tableName).putOfficers([officerImport(OFFICERS.aziz), officerImport(OFFICERS.emma)]);
  // The registry index is held in memory (its version read at most every 30 s), not per report.
  await hotline.deps.registry.get();
  return hotline;
}
type Hotline = Awaited<ReturnType<typeof hotlineWithRota>>;

// An SMS's delivery (its lease, the provider's id, the local queue letting it go) runs on behind the answer.
const delivery = (call: StoreCall) =>
  (call.item === 'OUTMSG' && call.command !== 'PutItem') || call.item === 'PROVIDERMSG' || (call.item === 'LOCALOUTBOX' && call.command === 'DeleteItem');

/** The calls of one request (its SMS deliveries left out), with the round each was sent in. */
async function callsOf(hotline: Hotline, request: () => Promise<unknown>): Promise<StoreCall[]> {
  await hotline.deps.localQueue.drain();
  const calls = recordStoreCalls(hotline.deps.db);
  calls.reset();
  await request();
  return calls.reset().filter((call) => !delivery(call));
}

const roundsOf = (calls: readonly StoreCall[], command: string, item: string) => calls.filter((c) => c.command === command && c.item === item).map((c) => c.round);
const first = (rounds: number[]) => Math.min(...rounds);
const last = (rounds: number[]) => Math.max(...rounds);

/**
 * What may not go side by side, each after what it waits on: the claim and its marks before the report, the
 * identifier links and indexes after it, the finish mark after the links, the escalation after the indexes, its
 * due mark cleared last.
 */
function expectTheIntakeOrder(calls: readonly StoreCall[]) {
  const claim = roundsOf(calls, 'PutItem', 'INTAKE');
  const report = first(roundsOf(calls, 'PutItem', 'REPORT'));
  expect(claim).toHaveLength(1);
  // The unfinished mark, the claim and the due mark: one round.
  expect(roundsOf(calls, 'PutItem', 'INTAKES')).toEqual(claim);
  expect(first(roundsOf(calls, 'PutItem', 'ESCALATIONS'))).toBe(claim[0]);
  expect(report).toBe(claim[0]! + 1);
  const links = [...roundsOf(calls, 'PutItem', 'IDENT'), ...roundsOf(calls, 'UpdateItem', 'IDENT')];
  expect(first(links)).toBe(report + 1);
  expect(first(roundsOf(calls, 'PutItem', 'CASES'))).toBe(report + 1);
  expect(first(roundsOf(calls, 'DeleteItem', 'INTAKES'))).toBeGreaterThan(last(links));
  // The escalation: its state and the rota read once the case index is written, its due mark cleared at its end.
  const rota = roundsOf(calls, 'Query', 'ROTA');
  expect(rota).toEqual(roundsOf(calls, 'GetItem', 'REPORT'));
  expect(rota[0]).toBeGreaterThan(first(roundsOf(calls, 'PutItem', 'CASES')));
  expect(first(roundsOf(calls, 'DeleteItem', 'ESCALATIONS'))).toBeGreaterThan(rota[0]! + 3);
}

/** A USSD report, urgent (3,000 somoni), with consent to a call-back, in English: the inputs of its last step. */
const USSD_REPORT = '3*2*3*2*3000*1*@rounds_scam*1*1*1';
const SMS_REPORT = 'REPORT they asked 500 somoni for a visa, @rounds_sms_scam';
const KEPT = 'END Received. Your reference will arrive by SMS. No need to send it again.';

describe('the store rounds of an urgent report, paging two officers', () => {
  it('USSD, last step: at most 12 rounds (26 before: every call waited on the one before), each call after what it waits on', async () => {
    const hotline = await hotlineWithRota();
    const phone = '+992900000941';
    await ussd(hotline, 'rounds-ussd-1', phone, '');
    const calls = await callsOf(hotline, () => ussd(hotline, 'rounds-ussd-1', phone, USSD_REPORT));
    expectTheIntakeOrder(calls);
    // The reads before the create side by side: the identifier's count, the reporter's own item, their last hour.
    expect(calls.filter((c) => c.round === 1).map((c) => `${c.command} ${c.item}`).sort()).toEqual(['GetItem IDENT', 'GetItem IDENT', 'Query CALLER']);
    expect(last(calls.map((c) => c.round))).toBeLessThanOrEqual(12);
    expect(await textsTo(hotline, OFFICERS.aziz.phone)).toHaveLength(1);
  });

  it('SMS REPORT: at most 16 rounds (28 before), the claim and the reply around the intake', async () => {
    const hotline = await hotlineWithRota();
    const calls = await callsOf(hotline, () => atSms(hotline, 'ATXid_rounds_1', '+992900000942', SMS_REPORT));
    expectTheIntakeOrder(calls);
    expect(last(calls.map((c) => c.round))).toBeLessThanOrEqual(16);
    // The done mark last, once the reply is queued.
    expect(roundsOf(calls, 'UpdateItem', 'INBOUND')).toEqual([last(calls.map((c) => c.round))]);
  });
});

describe('a call that fails beside others', () => {
  /** The hotline, counting the escalations intake starts. */
  async function counted() {
    const hotline = await hotlineWithRota();
    const escalated = new Map<string, number>();
    const onUrgent = hotline.deps.intake.onUrgent;
    hotline.deps.intake.onUrgent = async (report) => {
      escalated.set(report.reference, (escalated.get(report.reference) ?? 0) + 1);
      await onUrgent(report);
    };
    return { ...hotline, escalated };
  }
  const fail = (hotline: Hotline, fault: TargetedFault) => injectTargetedFaults(hotline.deps.db).fail(fault);

  it('the unfinished mark, beside the claim and the due mark: journaled, then one report, paged once, texted once, no due mark left', async () => {
    const hotline = await counted();
    const phone = '+992900000943';
    await ussd(hotline, 'fails-1', phone, '');
    fail(hotline, { command: 'PutItem', item: 'INTAKES', when: 'before', kind: 'throttled' });
    expect((await ussd(hotline, 'fails-1', phone, USSD_REPORT)).body).toBe(KEPT);
    expect(await hotline.deps.journalFile.entries()).toHaveLength(1);
    const report = await storedOnceAndTexted(hotline, store, phone, { channel: 'ussd', identifiers: [{ kind: 'handle', value: 'rounds_scam' }] });
    expect(Object.fromEntries(hotline.escalated)).toEqual({ [report.reference]: 1 });
    expect(await hotline.deps.escalation.escalations.listDue()).toEqual([]);
    expect(await hotline.deps.escalation.escalations.get(report.reference)).toMatchObject({ status: 'paging' });
  });

  it('an identifier link, beside the indexes and the hand-off: the reference told at once, paged once, the replay links it with the count exact', async () => {
    const hotline = await counted();
    const phone = '+992900000944';
    fail(hotline, { command: 'PutItem', item: 'IDENT', when: 'after', kind: 'timeout' });
    expect((await atSms(hotline, 'ATXid_fails_2', phone, SMS_REPORT)).status).toBe(200);
    const [report] = await storedReports(store.client, hotline.tableName);
    expect(await textsTo(hotline, phone)).toEqual([expect.stringContaining(report!.reference)]);
    expect(await hotline.deps.journalFile.entries()).toMatchObject([{ handedOver: true }]);
    await replayLocalJournal(hotline.deps);
    expect(await storedReports(store.client, hotline.tableName)).toHaveLength(1);
    expect(await hotline.deps.reports.getIdentifierSummary('handle', 'rounds_sms_scam')).toMatchObject({ reporters: 1 });
    // Handed over by the attempt that stored it, not again by the replay: each officer paged once.
    expect(Object.fromEntries(hotline.escalated)).toEqual({ [report!.reference]: 1 });
    expect(await textsTo(hotline, OFFICERS.aziz.phone)).toHaveLength(1);
    expect(await textsTo(hotline, OFFICERS.emma.phone)).toHaveLength(1);
    expect(await hotline.deps.reports.listUnfinished(new Date(Date.now() + 60_000).toISOString())).toEqual([]);
  });

  it('the case index, beside the links: kept for the reporter, not handed over; the replay makes one report, counted once, paged once', async () => {
    const hotline = await counted();
    const phone = '+992900000945';
    await ussd(hotline, 'fails-3', phone, '');
    fail(hotline, { command: 'PutItem', item: 'CASES', when: 'before', kind: 'internal' });
    expect((await ussd(hotline, 'fails-3', phone, USSD_REPORT)).body).toBe(KEPT);
    expect(hotline.escalated.size).toBe(0);
    const report = await storedOnceAndTexted(hotline, store, phone, { channel: 'ussd' });
    expect(await hotline.deps.reports.getIdentifierSummary('handle', 'rounds_scam')).toMatchObject({ reporters: 1 });
    expect(Object.fromEntries(hotline.escalated)).toEqual({ [report.reference]: 1 });
    expect(await textsTo(hotline, OFFICERS.aziz.phone)).toHaveLength(1);
  });
});

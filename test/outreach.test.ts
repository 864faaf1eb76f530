/**
 * The outreach's parts: consent and topics, STOP in every language, quiet hours on a fake clock, the two-person
 * rule, STOP during a running broadcast, replies before broadcast messages, and the throughput limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse } from '../shared/conversation/runner';
import { decideApproval, parseAlertCommand, type Alert } from '../shared/domain/outreach/alerts';
import { estimateCost, isQuiet, nextPassTime, nextSendingTime, parseQuietHours, timeZoneOf, tipDue } from '../shared/domain/outreach/broadcast';
import { joinChoice, parseMonth } from '../shared/domain/outreach/subscription';
import { t, type Lang } from '../shared/domain/prompts';
import { parseSmsCommand, smsStep } from '../shared/domain/sms';
import { ussdStep } from '../shared/domain/ussd';
import { deliver, type DeliveryContext, type DeliveryOutcome } from '../shared/outbox/deliver';
import { LocalQueue, localSender } from '../shared/outbox/local';
import { BulkOutbox } from '../shared/outbox/bulk';
import { BulkMessageRepository } from '../shared/store/bulk-messages';
import { SegmentThrottle, shareOf } from '../shared/outbox/throttle';
import { loadWholeConfig } from '../shared/config-sections';
import { draftBroadcast, approveBroadcast, fanOut, runBroadcastSchedule, runDueBroadcasts, subscribe, unsubscribe, type OutreachDeps } from '../shared/outreach/service';
import { BROADCAST_RUN_LEASE_SECONDS } from '../shared/outreach/config';
import type { QueuedSms } from '../shared/ports';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';
import { sampleUssdData } from './support/registry';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

const cardHash = (digits: string) => `hash-${digits}`;
const data = { today: '2026-12-01', cardHash, reported: new Map() };
const sms = (text: string, subscription?: 'active' | 'stopped' | null) =>
  smsStep({ command: parseSmsCommand(text), storedLang: undefined, callerKey: 'k', ussdServiceCode: '*384*1234#', data: { ...data, ...(subscription !== undefined ? { subscription } : {}) } });

describe('opting in', () => {
  it('by SMS: JOIN, ОБУНА and ПОДПИСКА in any language, with topics, destination and departure month', () => {
    expect(joinChoice('')).toEqual({ topics: ['scam_alerts'] });
    expect(joinChoice('TIPS UK 03.2027')).toEqual({ topics: ['departure_tips'], destination: 'uk', departureMonth: '2027-03' });
    expect(joinChoice('огоҳинома хабарҳо русия')).toEqual({ topics: ['scam_alerts', 'uk_scheme'], destination: 'russia' });
    expect(joinChoice('ALERTS 4/2027')).toEqual({ topics: ['scam_alerts', 'departure_tips'], departureMonth: '2027-04' });
    expect(parseMonth('13.2027')).toBeUndefined();
    for (const [text, lang] of [['JOIN', 'en'], ['обуна', 'tg'], ['Подписка', 'ru']] as const) {
      const step = sms(text);
      expect(step.reply).toEqual({
        text: t(lang, 'outreach.joined', { topics: t(lang, 'outreach.topic.scam_alerts') }),
        lang,
        effects: [{ type: 'subscribe', choice: { topics: ['scam_alerts'] }, lang }],
      });
    }
  });

  it('by USSD: the main menu entry, tips with destination and month, each answer the consent', () => {
    const step = (path: string[]) => ussdStep({ path, startLang: 'en', limits: { gsm: 182, ucs2: 80 }, data: sampleUssdData() });
    expect(step(['7']).reply.text).toBe(
      'Get by SMS (free, STOP ends):\n1. Scam alerts\n2. Alerts + departure tips\n3. Alerts, tips, UK scheme news\n4. Stop all messages\n0. Back',
    );
    expect(step(['7', '2', '1']).reply.text).toBe("Month you leave, e.g. 03.2027\n1. I don't know yet\n0. Back");
    const done = step(['7', '2', '1', '03.2027']);
    expect(done.reply).toEqual({ end: true, text: t('en', 'subscribe.done') });
    expect(done.effects).toEqual([{ type: 'subscribe', choice: { topics: ['scam_alerts', 'departure_tips'], destination: 'uk', departureMonth: '2027-03' }, lang: 'en' }]);
    expect(step(['7', '3', '3', '1']).effects).toEqual([{ type: 'subscribe', choice: { topics: ['scam_alerts', 'departure_tips', 'uk_scheme'], destination: 'other' }, lang: 'en' }]);
    expect(step(['7', '4']).effects).toEqual([{ type: 'unsubscribe', lang: 'en' }]);
    expect(step(['7', '2', '1', 'soon']).reply.text).toMatch(/^Invalid\.\nMonth you leave/);
  });

  it('records the consent (when, channel, what, language) under the keyed hash, the number sealed', async () => {
    const { deps } = testHotline(store);
    const phone = '+992900000401';
    const caller = { phone, key: deps.callerKey(phone) };
    await subscribe(deps.campaigns, caller, { topics: ['scam_alerts', 'uk_scheme'], destination: 'uk' }, 'ru', 'voice');
    const stored = await deps.campaigns.subscriptions.get(caller.key);
    expect(stored).toMatchObject({ key: caller.key, lang: 'ru', status: 'active', topics: ['scam_alerts', 'uk_scheme'], destination: 'uk', callingCode: '+992' });
    expect(stored!.sealedNumber).not.toContain('900000401');
    expect(await deps.vault.decrypt(stored!.sealedNumber)).toBe(phone);
    expect(await unsubscribe(deps.campaigns, caller.key, 'ru', 'sms')).toBe(true);
    expect(await unsubscribe(deps.campaigns, caller.key, 'ru', 'sms')).toBe(false);
    // START resumes the earlier choice.
    await subscribe(deps.campaigns, caller, undefined, 'ru', 'sms');
    expect(await deps.campaigns.subscriptions.get(caller.key)).toMatchObject({ status: 'active', topics: ['scam_alerts', 'uk_scheme'], destination: 'uk' });
    expect((await deps.campaigns.subscriptions.consentHistory(caller.key)).map(({ channel, action }) => `${action}:${channel}`)).toEqual([
      'opt_in:voice',
      'opt_out:sms',
      'opt_in:sms',
    ]);
  });
});

describe('STOP', () => {
  for (const [text, lang] of [['STOP', 'en'], ['бас', 'tg'], ['Қатъ', 'tg'], ['СТОП', 'ru'], ['отписаться', 'ru']] as const) {
    it(`"${text}" ends every broadcast, confirmed once, in ${lang}`, () => {
      expect(sms(text).needs).toEqual([{ type: 'subscription' }]);
      expect(sms(text, 'active').reply).toEqual({ text: t(lang as Lang, 'outreach.stopped'), lang, effects: [{ type: 'unsubscribe', lang }] });
      expect(sms(text, 'stopped').reply).toEqual({ text: '', lang, effects: [] });
      expect(sms(text, null).reply).toEqual({ text: '', lang, effects: [] });
    });
  }

  it('never blocks checking or reporting: a stopped subscriber still gets answers', () => {
    expect(sms('CHECK +992900001234', 'stopped').needs).toEqual([{ type: 'identifier', identifier: { kind: 'phone', value: '+992900001234' } }]);
    expect(sms('START', 'stopped').reply.effects).toEqual([{ type: 'subscribe', lang: 'en' }]);
  });

  it("through the runner: Twilio's opt-out callback and a STOP end the subscription", async () => {
    const { deps } = testHotline(store);
    const phone = '+992900000402';
    const caller = { phone, key: deps.callerKey(phone) };
    await subscribe(deps.campaigns, caller, undefined, 'tg', 'ussd');
    const { result } = await converse(deps, {
      caller,
      channel: 'sms',
      data,
      step: (d) => smsStep({ command: parseSmsCommand('БАС'), storedLang: 'tg', callerKey: caller.key, ussdServiceCode: '*384*1234#', data: d }),
      filing: { reportOf: () => undefined, idempotencyKey: 'stop-1', confirmBySms: false, reachableBySms: true },
      rememberLanguage: async () => undefined,
    });
    expect(result.reply.text).toBe(t('tg', 'outreach.stopped'));
    expect(await deps.campaigns.subscriptions.get(caller.key)).toMatchObject({ status: 'stopped', stoppedAt: expect.any(String) });
  });
});

describe('quiet hours in Asia/Dushanbe, on a fake clock', () => {
  const quiet = parseQuietHours('22-08');
  it('reads FROM-UNTIL and refuses anything else', () => {
    expect(quiet).toEqual({ from: 22, until: 8 });
    expect(parseQuietHours('')).toBeUndefined();
    expect(() => parseQuietHours('22')).toThrow();
    expect(() => parseQuietHours('25-08')).toThrow();
  });

  it('holds a broadcast until the quiet hours end, and names the next sending time', () => {
    // 17:30 UTC is 22:30 in Dushanbe (UTC+5): quiet until 08:00 Dushanbe, 03:00 UTC.
    const lateEvening = Date.parse('2026-12-01T17:30:00Z');
    expect(isQuiet(lateEvening, quiet)).toBe(true);
    expect(new Date(nextSendingTime(lateEvening, quiet)).toISOString()).toBe('2026-12-02T03:00:00.000Z');
    const noon = Date.parse('2026-12-01T07:00:00Z');
    expect(isQuiet(noon, quiet)).toBe(false);
    expect(nextSendingTime(noon, quiet)).toBe(noon);
    expect(isQuiet(lateEvening, undefined)).toBe(false);
    // The destination's time when known: 22:30 in Dushanbe is 17:30 in London.
    expect(isQuiet(lateEvening, quiet, 'Europe/London')).toBe(false);
  });

  it('the schedule run leaves an approved campaign queued during quiet hours, and sends it after', async () => {
    const { deps } = testHotline(store, { BROADCAST_QUIET_HOURS: '22-08' });
    let now = Date.parse('2026-12-01T17:30:00Z');
    const campaigns: OutreachDeps = { ...deps.campaigns, now: () => now };
    const phone = '+992900000403';
    await subscribe(campaigns, { phone, key: deps.callerKey(phone) }, { topics: ['uk_scheme'] }, 'en', 'sms');
    const draft = await draftBroadcast(campaigns, {
      title: 'UK scheme dates',
      texts: { en: 'SafeJob: UK scheme news, quiet-hours test.' },
      segment: { topic: 'uk_scheme', langs: ['en'] },
      createdBy: { key: 'officer-a', name: 'Aziz' },
    });
    expect(draft.estimate).toEqual({ recipients: 1, segments: 1, usd: 0.03 });
    // The two-person rule for campaigns: the creator cannot approve it.
    expect(await approveBroadcast(campaigns, draft.id, { key: 'officer-a', name: 'Aziz' })).toBe(false);
    expect(await approveBroadcast(campaigns, draft.id, { key: 'officer-b', name: 'Emma' })).toBe(true);
    // Day in London and Moscow, so a pass runs; the subscriber (no destination: Dushanbe) is left for the morning.
    expect(await runDueBroadcasts(campaigns)).toEqual([draft.id]);
    expect(await deps.campaigns.alerts.getBroadcast(draft.id)).toMatchObject({ status: 'sending', notBefore: '2026-12-02T03:00:00.000Z' });
    expect(await runDueBroadcasts(campaigns)).toEqual([]);
    now = Date.parse('2026-12-02T03:00:00Z');
    expect(await runDueBroadcasts(campaigns)).toEqual([draft.id]);
    await deps.localQueue.drain();
    expect((await deps.localOutbox.list(deps.messages)).filter((m) => m.to === phone).map((m) => m.text)).toEqual([
      'SafeJob: UK scheme news, quiet-hours test.',
    ]);
  });

  it('one run of the schedule at a time, by the run lease: a run that finds it held does nothing, one past its end takes it over', async () => {
    const { deps } = testHotline(store, { BROADCAST_QUIET_HOURS: '' });
    let now = Date.parse('2026-12-01T10:00:00Z');
    const campaigns: OutreachDeps = { ...deps.campaigns, now: () => now };
    const phone = '+992900000431';
    await subscribe(campaigns, { phone, key: deps.callerKey(phone) }, { topics: ['scam_alerts'], departureMonth: '2031-08' }, 'en', 'sms');
    const draft = await draftBroadcast(campaigns, {
      title: 'Lease',
      texts: { en: 'SafeJob: one run at a time.' },
      segment: { topic: 'scam_alerts', langs: ['en'], departureMonths: ['2031-08'] },
      createdBy: { key: 'officer-a', name: 'Aziz' },
    });
    await approveBroadcast(campaigns, draft.id, { key: 'officer-b', name: 'Emma' });
    // Another run (a second container of the every-minute schedule) holds the lease until 10:06.
    const nowSeconds = Math.floor(now / 1000);
    expect(await campaigns.alerts.takeRunLease('other-run', nowSeconds, nowSeconds + BROADCAST_RUN_LEASE_SECONDS)).toBe(true);
    // Its write succeeded but the response was lost: the retry (same token) knows the lease is its own.
    expect(await campaigns.alerts.takeRunLease('other-run', nowSeconds, nowSeconds + BROADCAST_RUN_LEASE_SECONDS)).toBe(true);
    expect(await runBroadcastSchedule(campaigns)).toEqual({ ran: false, fannedOut: [], tips: 0 });
    expect(await deps.campaigns.alerts.getBroadcast(draft.id)).toMatchObject({ status: 'approved', report: { total: 0 } });
    // The other run died at its timeout: a run after the lease's end takes over and fans out once.
    now += (BROADCAST_RUN_LEASE_SECONDS + 1) * 1000;
    const run = await runBroadcastSchedule(campaigns);
    expect(run.ran).toBe(true);
    expect(run.fannedOut).toContain(draft.id);
    expect(await deps.campaigns.alerts.getBroadcast(draft.id)).toMatchObject({ status: 'completed', report: { total: 1 } });
    // That run let the lease go: the next minute's run is not kept waiting, and the late release of the dead run
    // does not lift a lease it no longer holds.
    expect((await runBroadcastSchedule(campaigns)).ran).toBe(true);
    const later = Math.floor(now / 1000);
    expect(await campaigns.alerts.takeRunLease('next-run', later, later + BROADCAST_RUN_LEASE_SECONDS)).toBe(true);
    await campaigns.alerts.releaseRunLease('other-run');
    expect((await runBroadcastSchedule(campaigns)).ran).toBe(false);
    await campaigns.alerts.releaseRunLease('next-run');
  });
});

describe("quiet hours in the subscriber's destination's time, on a fake clock", () => {
  const quiet = parseQuietHours('22-08');

  it('knows the destinations’ zones, and when the first of them wakes', () => {
    expect([timeZoneOf('uk'), timeZoneOf('russia'), timeZoneOf('other'), timeZoneOf(undefined)]).toEqual(['Europe/London', 'Europe/Moscow', 'Asia/Dushanbe', 'Asia/Dushanbe']);
    // 19:00 UTC: 00:00 in Dushanbe, 22:00 in Moscow, 19:00 in London (still awake).
    const evening = Date.parse('2026-12-01T19:00:00Z');
    expect(nextPassTime(evening, quiet)).toBe(evening);
    // 22:00 UTC: night in all three; Dushanbe wakes first, at 08:00 there (03:00 UTC).
    expect(new Date(nextPassTime(Date.parse('2026-12-01T22:00:00Z'), quiet)).toISOString()).toBe('2026-12-02T03:00:00.000Z');
  });

  it('a broadcast reaches each subscriber when their quiet hours end: Dushanbe, then Moscow, then London', async () => {
    const { deps } = testHotline(store, { BROADCAST_QUIET_HOURS: '22-08' });
    // 04:30 UTC: 09:30 in Dushanbe, 07:30 in Moscow, 04:30 in London.
    let now = Date.parse('2026-12-01T04:30:00Z');
    const campaigns: OutreachDeps = { ...deps.campaigns, now: () => now };
    const people = { home: '+992900000421', russia: '+992900000422', uk: '+992900000423' } as const;
    await subscribe(campaigns, { phone: people.home, key: deps.callerKey(people.home) }, { topics: ['uk_scheme'] }, 'en', 'sms');
    await subscribe(campaigns, { phone: people.russia, key: deps.callerKey(people.russia) }, { topics: ['uk_scheme'], destination: 'russia' }, 'en', 'sms');
    await subscribe(campaigns, { phone: people.uk, key: deps.callerKey(people.uk) }, { topics: ['uk_scheme'], destination: 'uk' }, 'en', 'sms');
    const draft = await draftBroadcast(campaigns, {
      title: 'Zones',
      texts: { en: 'SafeJob: time-zone test.' },
      segment: { topic: 'uk_scheme', langs: ['en'] },
      createdBy: { key: 'officer-a', name: 'Aziz' },
    });
    expect(await approveBroadcast(campaigns, draft.id, { key: 'officer-b', name: 'Emma' })).toBe(true);
    const receivedBy = async () => {
      await deps.localQueue.drain();
      const texts = (await deps.localOutbox.list(deps.messages)).filter((m) => m.text === 'SafeJob: time-zone test.');
      return Object.entries(people).filter(([, phone]) => texts.some((m) => m.to === phone)).map(([who]) => who);
    };
    const run = async (at: string) => {
      now = Date.parse(at);
      await runDueBroadcasts(campaigns);
      return receivedBy();
    };
    expect(await run('2026-12-01T04:30:00Z')).toEqual(['home']);
    expect(await deps.campaigns.alerts.getBroadcast(draft.id)).toMatchObject({ status: 'sending', notBefore: '2026-12-01T05:00:00.000Z' });
    // One second before 08:00 in Moscow: nothing more; at 08:00, Moscow.
    expect(await run('2026-12-01T04:59:59Z')).toEqual(['home']);
    expect(await run('2026-12-01T05:00:00Z')).toEqual(['home', 'russia']);
    expect(await run('2026-12-01T07:59:59Z')).toEqual(['home', 'russia']);
    expect(await run('2026-12-01T08:00:00Z')).toEqual(['home', 'russia', 'uk']);
    expect(await deps.campaigns.alerts.getBroadcast(draft.id)).toMatchObject({ status: 'completed' });
    // Each once: the later passes skipped what they had queued.
    const sent = (await deps.localOutbox.list(deps.messages)).filter((m) => m.text === 'SafeJob: time-zone test.' && Object.values(people).includes(m.to as never));
    expect(sent).toHaveLength(3);
  });
});

describe('the two-person rule', () => {
  const alert = { code: 'K7M3P', status: 'draft', draftedBy: { key: 'a', name: 'Aziz' } } as Alert;
  it("refuses the drafter's own approval and approves another officer's", () => {
    expect(decideApproval(alert, { key: 'a' })).toEqual({ outcome: 'own' });
    expect(decideApproval(alert, { key: 'b' })).toEqual({ outcome: 'approve' });
    expect(decideApproval({ ...alert, status: 'approved', approvedBy: { key: 'b', name: 'Emma' } }, { key: 'c' })).toEqual({ outcome: 'already', by: 'Emma' });
    expect(decideApproval(undefined, { key: 'b' })).toEqual({ outcome: 'unknown' });
  });

  it('reads SCAM and APPROVE', () => {
    expect(parseAlertCommand('scam +992 90 000 1234 fake visas', cardHash)).toEqual({
      name: 'scam',
      identifier: { kind: 'phone', value: '+992900001234' },
      note: 'fake visas',
      typed: '+992 90 000 1234 fake visas',
    });
    // The officer's pin first: the identifier after it may be typed in groups.
    expect(parseAlertCommand('SCAM 482193 +992 90 000 1234 fake visas', cardHash)).toEqual({
      name: 'scam',
      identifier: { kind: 'phone', value: '+992900001234' },
      note: 'fake visas',
      pin: '482193',
      typed: '+992 90 000 1234 fake visas',
    });
    expect(parseAlertCommand('APPROVE k7m3p', cardHash)).toEqual({ name: 'approve', code: 'K7M3P' });
    expect(parseAlertCommand('approve K7M3P 482193', cardHash)).toEqual({ name: 'approve', code: 'K7M3P', pin: '482193' });
    expect(parseAlertCommand('APPROVE', cardHash)).toEqual({ name: 'usage', command: 'approve' });
    expect(parseAlertCommand('SCAM nothing here', cardHash)).toEqual({ name: 'usage', command: 'scam' });
    expect(parseAlertCommand('scammers called me', cardHash)).toBeUndefined();
  });
});

describe('broadcasts through the outbox', () => {
  it('a STOP during a running broadcast: messages already queued to that number are not sent', async () => {
    // On the real clock: without quiet hours, or from 22:00 in Dushanbe the fan-out would rightly hold every message.
    const { deps } = testHotline(store, { BROADCAST_QUIET_HOURS: '' });
    const held: QueuedSms[] = [];
    const holding = { enqueue: async (m: QueuedSms) => void held.push(m), enqueueMany: async (ms: readonly QueuedSms[]) => void held.push(...ms) };
    const bulk = new BulkOutbox(new BulkMessageRepository(store.client, store.tableName, deps.messages), holding);
    const campaigns: OutreachDeps = { ...deps.campaigns, bulk };
    const phones = ['+992900000411', '+992900000412', '+992900000413'];
    for (const phone of phones) await subscribe(campaigns, { phone, key: deps.callerKey(phone) }, { topics: ['departure_tips'] }, 'tg', 'ussd');
    const draft = await draftBroadcast(campaigns, {
      title: 'Tips',
      texts: { tg: 'SafeJob: маслиҳат.' },
      segment: { topic: 'departure_tips', langs: ['tg'] },
      createdBy: { key: 'x', name: 'Aziz' },
    });
    await approveBroadcast(campaigns, draft.id, { key: 'y', name: 'Emma' });
    expect(await fanOut(campaigns, (await deps.campaigns.alerts.getBroadcast(draft.id))!)).toBe(3);
    // Queued, not yet sent: the second subscriber sends STOP.
    await unsubscribe(campaigns, deps.callerKey(phones[1]!), 'tg', 'sms');
    const context: DeliveryContext = { senders: {}, fallback: localSender, routes: [], messages: deps.messages, maxAttempts: 3, log: deps.log, subscribers: deps.campaigns.subscriptions };
    const outcomes = await Promise.all(held.filter((m) => m.priority === 'bulk').map((m) => deliver(context, m, 1)));
    expect(outcomes.sort()).toEqual(['cancelled', 'sent', 'sent']);
    expect((await deps.campaigns.alerts.getBroadcast(draft.id))!.report).toEqual({ total: 3, queued: 0, sent: 2, delivered: 0, failed: 0, failedByReason: {}, optedOutSince: 1 });
  });

  it('the delivery report counts each message once, under its latest status', async () => {
    // On the real clock: without quiet hours, or from 22:00 in Dushanbe the fan-out would rightly hold every message.
    const { deps } = testHotline(store, { BROADCAST_QUIET_HOURS: '' });
    const held: QueuedSms[] = [];
    const holding = { enqueue: async (m: QueuedSms) => void held.push(m), enqueueMany: async (ms: readonly QueuedSms[]) => void held.push(...ms) };
    const campaigns: OutreachDeps = { ...deps.campaigns, bulk: new BulkOutbox(new BulkMessageRepository(store.client, store.tableName, deps.messages), holding) };
    const phones = ['+992900000421', '+992900000422', '+992900000423', '+992900000424', '+992900000425'];
    for (const phone of phones) await subscribe(campaigns, { phone, key: deps.callerKey(phone) }, { topics: ['uk_scheme'], departureMonth: '2031-07' }, 'ru', 'sms');
    const draft = await draftBroadcast(campaigns, { title: 'News', texts: { ru: 'SafeJob: новости.' }, segment: { topic: 'uk_scheme', langs: ['ru'], departureMonths: ['2031-07'] }, createdBy: { key: 'x', name: 'Aziz' } });
    await approveBroadcast(campaigns, draft.id, { key: 'y', name: 'Emma' });
    expect(await fanOut(campaigns, (await deps.campaigns.alerts.getBroadcast(draft.id))!)).toBe(5);
    const idOf = (phone: string) => held.find((m) => m.to === phone)!.id;
    const context: DeliveryContext = { senders: {}, fallback: localSender, routes: [], messages: deps.messages, maxAttempts: 3, log: deps.log, subscribers: deps.campaigns.subscriptions };
    // Four are sent, one stays queued; of the sent, one is delivered, one fails on the handset, one is rejected twice.
    for (const phone of phones.slice(0, 4)) expect(await deliver(context, held.find((m) => m.to === phone)!, 1)).toBe('sent');
    expect(await deps.messages.applyDeliveryReportToMessage(idOf(phones[0]!), 'delivered')).toBe(true);
    expect(await deps.messages.applyDeliveryReportToMessage(idOf(phones[1]!), 'failed', 'Twilio error 30003')).toBe(true);
    expect(await deps.messages.applyDeliveryReportToMessage(idOf(phones[2]!), 'failed', 'Twilio error 30005')).toBe(true);
    // A repeated report counts nothing more.
    await deps.messages.applyDeliveryReportToMessage(idOf(phones[2]!), 'failed', 'Twilio error 30005');
    expect((await deps.campaigns.alerts.getBroadcast(draft.id))!.report).toEqual({
      total: 5,
      queued: 1,
      sent: 1,
      delivered: 1,
      failed: 2,
      failedByReason: { twilio_error_30003: 1, twilio_error_30005: 1 },
      optedOutSince: 0,
    });
  });

  it('replies and officer pages go before broadcast messages', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new LocalQueue(
      async (message): Promise<DeliveryOutcome> => {
        order.push(message.id);
        if (message.id === 'bulk-0') await gate;
        return 'sent';
      },
      { maxAttempts: 1, retryBaseMs: 1, bulkConcurrency: 1 },
    );
    const bulk = Array.from({ length: 20 }, (_, i) => ({ id: `bulk-${i}`, to: '+992900000499', text: 'x', createdAt: '', priority: 'bulk' as const }));
    await queue.enqueueMany(bulk);
    expect(queue.bulkBacklog).toBe(19);
    await queue.enqueue({ id: 'reply', to: '+992900000498', text: 'answer', createdAt: '' });
    release();
    await queue.drain();
    // Only the one broadcast message already in flight went before the reply.
    expect(order.slice(0, 2)).toEqual(['bulk-0', 'reply']);
    expect(order).toHaveLength(21);
  });

  it('throttles bulk segments per provider (a fake clock)', async () => {
    let now = 0;
    const slept: number[] = [];
    const throttle = new SegmentThrottle({ perProvider: { africastalking: 10 } }, { now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) });
    for (let i = 0; i < 30; i++) await throttle.take('africastalking', 1, '+447700900001');
    await throttle.take('twilio', 100, '+447700900001');
    // 10 at once, then 20 more at 10 a second: two seconds of waiting.
    expect(slept.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(now).toBe(2000);
  });

  it('throttles bulk segments per operator too, the operator told by the number’s prefix (a fake clock)', async () => {
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    const throttle = new SegmentThrottle({ perProvider: { kannel: 100 }, perOperator: { tcell: 5, megafon: 20 } }, clock);
    // +992 93… is Tcell, +992 90… MegaFon (shared/channels/tajik-operators.ts), +44 no Tajik operator.
    const sendAll = async (to: string, count: number) => {
      const start = now;
      for (let i = 0; i < count; i++) await throttle.take('kannel', 1, to);
      return now - start;
    };
    // 20 to Tcell at 5 a second: 5 at once, 15 more take three seconds, though the provider would take 100.
    expect(await sendAll('+992935550001', 20)).toBe(3000);
    // MegaFon's own bucket is full: 20 at once, no waiting for Tcell's.
    expect(await sendAll('+992900000001', 20)).toBe(0);
    // A number of no Tajik operator: the provider's limit only.
    expect(await sendAll('+447700900001', 50)).toBe(0);
    // On AWS each of the bulk consumers takes its share of every limit.
    expect(shareOf({ perProvider: { kannel: 100 }, perOperator: { tcell: 5 } }, 2)).toEqual({ perProvider: { kannel: 50 }, perOperator: { tcell: 2.5 } });
  });

  it('reads the operators’ limits from BROADCAST_OPERATOR_SEGMENTS_PER_SECOND, and refuses an unknown operator', () => {
    expect(loadWholeConfig({ BROADCAST_OPERATOR_SEGMENTS_PER_SECOND: 'tcell=20, megafon=15' }).outreach.segmentLimits.perOperator).toEqual({ tcell: 20, megafon: 15 });
    expect(() => loadWholeConfig({ BROADCAST_OPERATOR_SEGMENTS_PER_SECOND: 'beeline=20' })).toThrow(/OPERATOR=SEGMENTS_PER_SECOND/);
  });

  it('estimates the cost as segments × the price per destination', () => {
    const prices = [{ prefix: '+992', usd: 0.025 }, { prefix: '+44', usd: 0.04 }, { prefix: '*', usd: 0.06 }];
    const texts = { tg: 'Ф'.repeat(100), en: 'short' };
    expect(estimateCost(texts, [{ lang: 'tg', callingCode: '+992' }, { lang: 'en', callingCode: '+44' }, { lang: 'en', callingCode: '+7' }], prices)).toEqual({
      recipients: 3,
      segments: 4,
      usd: 0.15,
    });
  });

  it('times tips relative to the departure month', () => {
    expect(tipDue('2027-03', '2027-02-15')).toBe('tips.before.14');
    expect(tipDue('2027-03', '2027-03-08')).toBe('tips.after.7');
    expect(tipDue('2027-03', '2027-02-16')).toBeUndefined();
  });
});



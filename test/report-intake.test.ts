import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayLocalJournal } from '../infra/local';
import { LocalNumberVault } from '../shared/crypto';
import { createLogger } from '../shared/log';
import { fixture, fixtureRequest } from './support/fixtures';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

type Hotline = ReturnType<typeof testHotline>;

function ussd(hotline: Hotline, sessionId: string, phoneNumber: string) {
  return async (text: string) => {
    const response = await hotline.app.request(
      fixtureRequest(fixture('africastalking/ussd-first-dial'), { sessionId, phoneNumber, text }),
    );
    return response.text();
  };
}

function sms(hotline: Hotline, from: string, text: string, id: string) {
  return hotline.app.request(fixtureRequest(fixture('africastalking/sms-incoming'), { from, text, id }));
}

async function sent(hotline: Hotline, to: string) {
  await hotline.deps.localQueue.drain();
  return (await hotline.deps.localOutbox.list(hotline.deps.messages)).filter((m) => m.to === to).map((m) => m.text);
}

/** The USSD report flow in English: about to pay 3000 TJS to @uk_jobs_visa, call-back allowed, sent. */
const FLOW = ['3', '2', '3', '2', '3000', '1', '@uk_jobs_visa', '1', '1', '1'];
const path = (n: number) => FLOW.slice(0, n).join('*');

describe('a report by USSD', () => {
  const phone = '+992900000301';

  it('ends with its reference, stores it triaged and sealed, and sends the same by SMS', async () => {
    const logs: string[] = [];
    const hotline = testHotline(store, {}, createLogger('test', (line) => logs.push(line)));
    const dial = ussd(hotline, 'report-1', phone);
    for (let n = 0; n < FLOW.length; n++) await dial(path(n));
    const last = await dial(path(FLOW.length));
    const reference = /^END Report ([2-9A-Z]{6}) received\. Do not pay them anything\.$/.exec(last)?.[1];
    expect(reference, last).toBeDefined();

    const report = await hotline.deps.reports.getByReference(reference!);
    expect(report).toMatchObject({
      channel: 'ussd',
      lang: 'en',
      category: 'fee_requested',
      paid: 'about_to_pay',
      amount: { value: 3000, currency: 'TJS' },
      identifiers: [{ kind: 'handle', value: 'uk_jobs_visa' }],
      callbackConsent: true,
      urgency: { urgent: true, reasons: ['about_to_pay'] },
      status: 'received',
      reporterKey: hotline.deps.callerKey(phone),
    });
    const sealed = await hotline.deps.reports.getSealedCallbackNumber(reference!);
    expect(sealed).not.toContain('900000301');
    expect(await new LocalNumberVault('local-development-only-number-vault-secret').decrypt(sealed!)).toBe(phone);
    expect(await sent(hotline, phone)).toEqual([
      `SafeJob: report ${reference} received. Do not pay them anything. To follow it, text STATUS ${reference}.`,
    ]);

    // A gateway retry of the final step: the same report, no second SMS.
    expect(await dial(path(FLOW.length))).toBe(last);
    expect(await hotline.deps.reports.listByReporter(hotline.deps.callerKey(phone), 10)).toHaveLength(1);
    expect(await sent(hotline, phone)).toHaveLength(1);

    // Neither the number nor what the caller typed reaches the logs.
    const logText = logs.join('\n');
    expect(logText).toContain(reference);
    expect(logText).not.toMatch(/900000301|uk_jobs_visa/);
  });

  it('lists the caller’s reports under My reports, with status and next step', async () => {
    const hotline = testHotline(store);
    const dial = ussd(hotline, 'mine-1', phone);
    await dial('');
    const list = await dial('3');
    expect(list).toMatch(/^CON 1\. [2-9A-Z]{6} \d{4}-\d\d-\d\d\n0\. Back$/);
    expect(await dial('3*1')).toMatch(/^CON Report [2-9A-Z]{6}, \d{4}-\d\d-\d\d: received\. An officer will review it\./);
  });
});

describe('a report by SMS', () => {
  const reporter = '+992935554433';

  it('extracts identifiers and amount, replies with the reference once, and STATUS answers only its reporter', async () => {
    const logs: string[] = [];
    const hotline = testHotline(store, {}, createLogger('test', (line) => logs.push(line)));
    const f = fixture('africastalking/sms-incoming-iso-date');
    await hotline.app.request(fixtureRequest(f));
    await hotline.app.request(fixtureRequest(f)); // the provider's retry
    const replies = await sent(hotline, reporter);
    expect(replies).toHaveLength(1);
    // "talab kard" (they demanded): asked to pay, so the advice is not to.
    const reference = /^SafeJob: report ([2-9A-Z]{6}) received\. Do not pay them anything\. To follow it, text STATUS \1\. May we share it with the police and partner organisations\? Reply SHARE \1\.$/.exec(replies[0]!)?.[1];
    expect(reference, replies[0]).toBeDefined();
    expect(await hotline.deps.reports.getByReference(reference!)).toMatchObject({
      channel: 'sms',
      lang: 'en',
      amount: { value: 3000, currency: 'TJS' },
      identifiers: [{ kind: 'handle', value: 'uk_jobs_visa' }],
      freeText: 'Dar Telegram @uk_jobs_visa az man 3000 somoni talab kard',
      callbackConsent: false,
    });
    expect(logs.join('\n')).not.toMatch(/5554433|uk_jobs_visa|somoni/);

    await sms(hotline, reporter, `status ${reference!.toLowerCase()}`, 'status-own');
    await sms(hotline, '+992900000999', `STATUS ${reference}`, 'status-other');
    const day = (await hotline.deps.reports.getByReference(reference!))!.createdAt.slice(0, 10);
    expect((await sent(hotline, reporter)).at(-1)).toBe(
      `Report ${reference}, ${day}: received. An officer will review it. Do not pay anyone meanwhile.`,
    );
    expect(await sent(hotline, '+992900000999')).toEqual(['No report with that reference for this number.']);
  });

  it('answers REPORT without text and STATUS without a reference with how to use them', async () => {
    const hotline = testHotline(store);
    await sms(hotline, '+992900000302', 'REPORT', 'usage-1');
    await sms(hotline, '+992900000302', 'STATUS', 'usage-2');
    expect(await sent(hotline, '+992900000302')).toEqual([
      'To report, text REPORT and what happened: who contacted you (phone, @account, link) and how much they asked for.',
      "Text STATUS and your report's reference, for example STATUS 7K3R9M.",
    ]);
  });

  it('files the same text from the same number once, however often it is sent', async () => {
    const hotline = testHotline(store);
    const from = '+992900000311';
    await sms(hotline, from, 'REPORT @twice_uk wants 800 somoni', 'twice-1');
    await sms(hotline, from, 'report  @twice_uk wants 800 SOMONI', 'twice-2');
    const references = (await sent(hotline, from)).map((text) => /report ([2-9A-Z]{6}) received/.exec(text)?.[1]);
    expect(references[0]).toBeDefined();
    expect(references).toEqual([references[0], references[0]]);
    expect(await hotline.deps.reports.listByReporter(hotline.deps.callerKey(from), 10)).toHaveLength(1);
    // Another number sending the same words makes its own report.
    await sms(hotline, '+992900000312', 'REPORT @twice_uk wants 800 somoni', 'twice-3');
    expect(await hotline.deps.reports.listByReporter(hotline.deps.callerKey('+992900000312'), 10)).toHaveLength(1);
  });

  it('makes CHECK answer how often an identifier was reported, by how many people', async () => {
    const hotline = testHotline(store);
    await sms(hotline, '+992900000401', 'REPORT they want 500 USD, write to @visa_fast_uk', 'campaign-1');
    await sms(hotline, '+992900000402', 'REPORT @visa_fast_uk asked me to pay', 'campaign-2');
    await sms(hotline, '+992900000403', 'CHECK @visa_fast_uk', 'campaign-check');
    const [answer] = await sent(hotline, '+992900000403');
    expect(answer).toMatch(/^WARNING: @visa_fast_uk was reported to us by 2 people, last on \d{4}-\d\d-\d\d\. Do not pay and do not send documents\.$/);
  });
});

describe('a story by SMS, without a keyword', () => {
  it('is offered as a report, held, and filed on YES with its urgency, once', async () => {
    const hotline = testHotline(store);
    const from = '+992900000321';
    const story = 'a man on Telegram +992 90 000 5678 wants 3000 somoni for a UK visa, I must pay tomorrow';
    await sms(hotline, from, story, 'story-1');
    expect(await sent(hotline, from)).toEqual([
      'SafeJob: this sounds like fraud. Reply YES within 30 minutes to report this; an officer will look at it. Until then, pay nobody.',
    ]);
    // Nothing is a report until the sender says so.
    expect(await hotline.deps.reports.listByReporter(hotline.deps.callerKey(from), 10)).toEqual([]);
    expect(await hotline.deps.pendingReports.get(hotline.deps.callerKey(from))).toEqual({ text: story, lang: 'en' });

    await sms(hotline, from, 'Yes', 'story-yes');
    const reply = (await sent(hotline, from)).at(-1)!;
    const reference = /^SafeJob: report ([2-9A-Z]{6}) received\. Do not pay them anything\. To follow it, text STATUS \1\. May we share it with the police and partner organisations\? Reply SHARE \1\.$/.exec(reply)?.[1];
    expect(reference, reply).toBeDefined();
    expect(await hotline.deps.reports.getByReference(reference!)).toMatchObject({
      channel: 'sms',
      lang: 'en',
      paid: 'about_to_pay',
      amount: { value: 3000, currency: 'TJS' },
      identifiers: [{ kind: 'phone', value: '+992900005678' }],
      freeText: story,
      urgency: { urgent: true, reasons: ['about_to_pay'] },
    });
    expect(await hotline.deps.pendingReports.get(hotline.deps.callerKey(from))).toBeUndefined();

    // A second YES finds nothing held; the same story offered and confirmed again is the same report.
    await sms(hotline, from, 'YES', 'story-yes-again');
    expect((await sent(hotline, from)).at(-1)).toBe(
      'SafeJob: there is nothing waiting to be reported (we keep a message 30 minutes). Text REPORT and what happened.',
    );
    await sms(hotline, from, story, 'story-2');
    await sms(hotline, from, 'yes', 'story-yes-2');
    expect((await sent(hotline, from)).at(-1)).toBe(reply);
    expect(await hotline.deps.reports.listByReporter(hotline.deps.callerKey(from), 10)).toHaveLength(1);
  });

  it('files a story told over several messages as one report', async () => {
    const hotline = testHotline(store);
    const from = '+992900000327';
    await sms(hotline, from, 'Salom, dar Telegram @kor_uk_fast 3000 somoni talab kard', 'parts-1');
    await sms(hotline, from, 'imruz boyad supoRam, karta 4111 1111 1111 1111', 'parts-2');
    await sms(hotline, from, 'HA', 'parts-yes');
    const [report] = await hotline.deps.reports.listByReporter(hotline.deps.callerKey(from), 1);
    expect(report).toMatchObject({
      lang: 'tg',
      freeText: 'Salom, dar Telegram @kor_uk_fast 3000 somoni talab kard\nimruz boyad supoRam, karta 4111 1111 1111 1111',
      amount: { value: 3000, currency: 'TJS' },
      identifiers: [{ kind: 'handle', value: 'kor_uk_fast' }, { kind: 'card', hash: hotline.deps.cardHash('4111111111111111'), last4: '1111' }],
      urgency: { urgent: true, reasons: ['about_to_pay'] },
    });
  });

  it('answers in the story’s language, and ДА / ҲА confirm it', async () => {
    const hotline = testHotline(store);
    await sms(hotline, '+992900000322', 'Нас запирают на ночь, не выпускают', 'ru-story');
    await sms(hotline, '+992900000322', 'да', 'ru-yes');
    await sms(hotline, '+992900000323', 'имрӯз бояд 1000 сомонӣ супорам', 'tg-story');
    await sms(hotline, '+992900000323', 'ҲА', 'tg-yes');
    const [ruOffer, ruFiled] = await sent(hotline, '+992900000322');
    expect(ruOffer).toBe('SafeJob: похоже на обман. Ответьте ДА в течение 30 минут, чтобы подать жалобу, и её рассмотрит сотрудник. Пока никому не платите.');
    expect(ruFiled).toMatch(/^SafeJob: сообщение [2-9A-Z]{6} принято\./);
    const [tgOffer, tgFiled] = await sent(hotline, '+992900000323');
    expect(tgOffer).toMatch(/^SafeJob: ин ба фиреб монанд аст\./);
    expect(tgFiled).toMatch(/^SafeJob: шикояти [2-9A-Z]{6} қабул шуд\. Ба онҳо ҳеҷ пул надиҳед\./);
    const [ru] = await hotline.deps.reports.listByReporter(hotline.deps.callerKey('+992900000322'), 1);
    expect(ru).toMatchObject({ lang: 'ru', urgency: { urgent: true, reasons: ['trafficking_indicators'] } });
    const [tg] = await hotline.deps.reports.listByReporter(hotline.deps.callerKey('+992900000323'), 1);
    expect(tg).toMatchObject({ lang: 'tg', paid: 'about_to_pay', urgency: { urgent: true, reasons: ['about_to_pay'] } });
  });

  it('answers a question as the CHECK it asks, and a greeting with help naming CHECK, REPORT and STATUS', async () => {
    const hotline = testHotline(store);
    await sms(hotline, '+992900000324', 'Is Concordia real?', 'question');
    await sms(hotline, '+992900000325', 'CHECK Concordia', 'keyword');
    await sms(hotline, '+992900000326', 'hello', 'greeting');
    expect(await sent(hotline, '+992900000324')).toEqual(await sent(hotline, '+992900000325'));
    expect(await sent(hotline, '+992900000326')).toEqual([
      'SafeJob: free help against job and visa fraud. Never pay for a job or a visa. Text CHECK and a name or number, REPORT and what happened, STATUS and your reference. Menu: *384*1234#. Language: LANG TG/RU/EN/UZ/KY.',
    ]);
    expect(await hotline.deps.pendingReports.get(hotline.deps.callerKey('+992900000326'))).toBeUndefined();
  });
});

describe('nothing lost', () => {
  it('a report stored whose identifier links fail: the reference at once, the links by the replay, one receipt', async () => {
    const hotline = testHotline(store);
    let failing = true;
    hotline.deps.db.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Item?: { pk?: string }; Key?: { pk?: string }; TransactItems?: unknown };
        const pk = input.Item?.pk ?? input.Key?.pk ?? '';
        if (failing && pk.startsWith('IDENT#')) throw new ProvisionedThroughputExceededException({ message: 'injected', $metadata: {} });
        return next(args);
      },
      { step: 'initialize', name: 'failIdentifierWrites' },
    );
    const phone = '+992900000502';
    const dial = ussd(hotline, 'links-1', phone);
    for (let n = 0; n < FLOW.length; n++) await dial(path(n));
    const last = await dial(path(FLOW.length));
    const ussdRef = /^END Report ([2-9A-Z]{6}) received\./.exec(last)?.[1];
    expect(ussdRef, last).toBeDefined();
    const smsAnswer = await sms(hotline, phone, 'REPORT they took my passport, @boss_links', 'links-sms');
    expect(smsAnswer.status).toBe(200);
    const smsRef = (await sent(hotline, phone)).map((text) => /report ([2-9A-Z]{6}) received/.exec(text)?.[1]).find((ref) => ref && ref !== ussdRef);
    expect(smsRef).toBeDefined();
    expect(await hotline.deps.journalFile.entries()).toHaveLength(2);

    failing = false;
    expect(await hotline.deps.reports.getIdentifier('handle', 'boss_links')).toBeUndefined();
    await replayLocalJournal(hotline.deps);
    expect(await hotline.deps.journalFile.entries()).toEqual([]);
    expect((await hotline.deps.reports.getIdentifier('handle', 'uk_jobs_visa'))?.references).toContain(ussdRef);
    expect(await hotline.deps.reports.getIdentifier('handle', 'boss_links')).toMatchObject({ reporters: 1, references: [smsRef] });
    // Each reference reached the reporter once: nothing more from the replay.
    const texts = await sent(hotline, phone);
    for (const ref of [ussdRef, smsRef]) expect(texts.filter((text) => text.includes(`${ref}`)), texts.join('\n')).toHaveLength(1);
    expect(await hotline.deps.reports.listByReporter(hotline.deps.callerKey(phone), 10)).toHaveLength(2);
  });

  it('journals a report the table refuses, tells the caller plainly, and stores it exactly once on replay', async () => {
    const hotline = testHotline(store);
    let failing = true;
    hotline.deps.db.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Item?: { pk?: string } };
        if (failing && /^(INTAKE|REPORT)#/.test(input.Item?.pk ?? '')) {
          throw new ProvisionedThroughputExceededException({ message: 'injected', $metadata: {} });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failReportWrites' },
    );
    const phone = '+992900000501';
    const dial = ussd(hotline, 'lost-1', phone);
    for (let n = 0; n < FLOW.length; n++) await dial(path(n));
    expect(await dial(path(FLOW.length))).toBe(
      'END Received. Your reference will arrive by SMS. No need to send it again.',
    );
    await sms(hotline, phone, 'REPORT they took my passport, @boss_uk', 'lost-sms');
    expect(await sent(hotline, phone)).toEqual(['SafeJob: report received. Your reference will arrive by SMS soon. No need to send it again.']);
    expect(await hotline.deps.journalFile.entries()).toHaveLength(2);

    failing = false;
    await replayLocalJournal(hotline.deps);
    await replayLocalJournal(hotline.deps); // a second replay finds nothing left and changes nothing
    const reports = await hotline.deps.reports.listByReporter(hotline.deps.callerKey(phone), 10);
    expect(reports.map((r) => r.channel).sort()).toEqual(['sms', 'ussd']);
    expect(reports.find((r) => r.channel === 'sms')?.urgency).toEqual({ urgent: true, reasons: ['documents_held'] });
    expect(await hotline.deps.journalFile.entries()).toEqual([]);
    // Each report's reference, texted once by the replay (the second replay sends nothing).
    const texts = await sent(hotline, phone);
    expect(texts).toHaveLength(3);
    for (const { reference } of reports) expect(texts.filter((text) => text.includes(`report ${reference} received`))).toHaveLength(1);
  });
});

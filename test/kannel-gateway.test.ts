/**
 * The hotline behind a real Kannel (Debian's bearerbox + smsbox on loopback ports): SMS through Kannel's fake SMSC
 * driven by fakesmsc, USSD through Kannel's SMPP client bound to an SMPP server here that plays the operator.
 * Skipped, saying why, only where Kannel is not installed (CI's .ci/run installs it).
 */
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../shared/log';
import { RegistryRepository } from '../shared/store/registry';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';
import {
  SENDSMS_USER,
  deliverMo,
  freePort,
  kannelMissing,
  startFakeSmsc,
  eventually,
  fakeSmscTexts,
  startKannel,
  startSmppOperator,
  submittedText,
  urlEncodeBytes,
  type Kannel,
  type SmppOperator,
} from './support/kannel';
import { sampleRegistryEntries } from './support/registry';

const missing = kannelMissing();
if (missing) console.warn(`Skipping the Kannel gateway tests: ${missing}`);

const TOKEN = 'kannel-test-token-0123456789';

let store: TestStore;
let hotline: ReturnType<typeof testHotline>;
let server: ServerType;
let kannel: Kannel;
let operator: SmppOperator;
const logLines: string[] = [];

beforeAll(async () => {
  if (missing) return;
  store = await startTestStore('safejob-kannel');
  await new RegistryRepository(store.client, store.tableName).putEntries(sampleRegistryEntries());

  // The operator's USSD gateway, which Kannel's SMPP client binds to.
  operator = await startSmppOperator();

  const hotlinePort = await freePort();
  const base = `http://127.0.0.1:${hotlinePort}`;
  kannel = await startKannel({
    smscs: `
group = smsc
smsc = fake
smsc-id = FAKE
host = 127.0.0.1
port = {fakePort}
connect-allow-ip = 127.0.0.1

group = smsc
smsc = smpp
smsc-id = USSD_TEST
host = 127.0.0.1
port = ${operator.port}
transceiver-mode = true
smsc-username = kannel
smsc-password = test-bind
system-type = ""
# USSD strings are up to 160 octets (182 GSM characters, 80 UCS-2): one submit_sm, never split like an SMS.
max-sms-octets = 160
reconnect-delay = 1
# The USSD bind carries only what is addressed to it: an SMS for a number whose own bind is down must not leave here.
allowed-smsc-id = USSD_TEST

group = smpp-tlv
name = ussd_service_op
tag = 0x0501
type = integer
length = 1
smsc-id = USSD_TEST

group = smpp-tlv
name = its_session_info
tag = 0x1383
type = octetstring
length = 2
smsc-id = USSD_TEST
`,
    services: `
group = sms-service
keyword-regex = .*
accepted-smsc = FAKE
get-url = "${base}/sms/kannel?token=${TOKEN}&from=%p&to=%P&text=%a&id=%I&smsc=%i&ts=%T&coding=%c&charset=%C"
max-messages = 0
catch-all = true

group = sms-service
keyword-regex = .*
accepted-smsc = USSD_TEST
get-url = "${base}/ussd/kannel?token=${TOKEN}&from=%p&to=%P&text=%a&id=%I&smsc=%i&meta=%D&coding=%c&charset=%C"
max-messages = 1
accept-x-kannel-headers = true
omit-empty = true
catch-all = true
`,
  });
  hotline = testHotline(
    store,
    {
      PUBLIC_BASE_URL: base,
      SMS_ROUTES: '+992=kannel,*=kannel',
      KANNEL_SENDSMS_URL: kannel.sendsmsUrl,
      KANNEL_USERNAME: SENDSMS_USER.username,
      KANNEL_PASSWORD: SENDSMS_USER.password,
      KANNEL_FROM: '1234',
      KANNEL_WEBHOOK_TOKEN: TOKEN,
      KANNEL_SMSC_ROUTES: '*=FAKE',
    },
    createLogger('kannel-test', (line) => logLines.push(line)),
  );
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: hotline.app.fetch, port: hotlinePort, hostname: '127.0.0.1' }, () => resolve(s));
  });
}, 60_000);

afterAll(async () => {
  if (missing) return;
  await kannel?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await hotline?.deps.localQueue.drain();
  await operator?.close();
  await store?.close();
});

/** The answer to `ПРОВЕРКА SAMPLE-TJ-0001` (a valid licence of the sample registry), in Russian like its keyword. */
const EXPECTED_ANSWER =
  'Ширкати Ҷаҳонгир Сафар (SAMPLE): ЛИЦЕНЗИЯ ЕСТЬ (кадровое агентство, TJ, до 2027-06-30). Сверьте с тем, кто вам писал. Оператор не берёт плату за работу.';

const ucs2 = (text: string) => urlEncodeBytes(Buffer.from(text, 'utf16le').swap16());

describe.skipIf(missing)('SMS through a real Kannel and its fake SMSC', () => {
  it('answers a Cyrillic ПРОВЕРКА from fakesmsc through sendsms, in readable Cyrillic, and applies its delivery reports', async () => {
    const phone = startFakeSmsc(kannel.fakeSmscPort, [`+992900000501 1234 ucs2 ${ucs2('ПРОВЕРКА SAMPLE-TJ-0001')}`]);
    try {
      // The answer is three SMS long in UCS-2: Kannel sends it concatenated, each part UCS-2 (coding=2).
      const received = await eventually(() => fakeSmscTexts(phone.received, 'ucs-2'), (texts) => texts.length > 0);
      expect(received, await kannel.logs()).toEqual([EXPECTED_ANSWER]);
      expect(phone.received.map(({ from, to }) => ({ from, to }))).toEqual(Array(3).fill({ from: '1234', to: '+992900000501' }));
      // Kannel may hand the SMS to the phone before its answer to sendsms reaches the outbox: wait for the record.
      await hotline.deps.localQueue.drain();
      const [sent] = await eventually(
        () => hotline.deps.localOutbox.list(hotline.deps.messages),
        (list) => list[0]?.provider === 'kannel',
      );
      expect(sent).toMatchObject({ to: '+992900000501', text: EXPECTED_ANSWER, provider: 'kannel' });
      // The fake SMSC acknowledges at once: Kannel reports 8 (delivered to the SMSC), then 1 (delivered).
      const record = await eventually(() => hotline.deps.messages.get(sent!.id), (r) => r?.status === 'delivered');
      expect(record).toMatchObject({ status: 'delivered', provider: 'kannel', providerMessageId: sent!.id });
    } finally {
      await phone.stop();
    }
    expect(logLines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });
});

/** A USSD session over SMPP, from the operator's side: what the caller does, and the screens Kannel sends back. */
async function ussdSession(caller: string, sessionInfo: Buffer, inputs: string[]) {
  const session = operator.sessions.get('kannel')!;
  const replies = () => operator.submitted.filter(({ pdu }) => pdu.destination_addr === caller);
  const step = async (op: number, text: string) => {
    const before = replies().length;
    await deliverMo(session, { from: caller, to: '3841234', text, ussd: { op, sessionInfo } });
    const after = await eventually(replies, (list) => list.length > before);
    if (after.length !== before + 1) throw new Error(`no single submit_sm after "${text}"\n${await kannel.logs()}`);
    const { pdu } = after.at(-1)!;
    return {
      op: Number(pdu.ussd_service_op),
      text: submittedText(pdu),
      serviceType: String(pdu.service_type),
      dataCoding: Number(pdu.data_coding),
      sessionInfo: Buffer.from(pdu.its_session_info ?? []),
    };
  };
  const screens = [await step(1, '*384*1234#')];
  for (const input of inputs) screens.push(await step(18, input));
  return screens;
}

describe.skipIf(missing)('USSD over SMPP through a real Kannel', () => {
  it('walks a Tajik session from the dial to a licence verdict, each screen a USSD menu in UCS-2 echoing the session', async () => {
    await operator.bound(['kannel']);
    const screens = await ussdSession('992900000601', Buffer.from([0x2a, 0x01]), ['1', '1', '1', 'SAMPLE-TJ-0001', '98']);
    expect(screens.map((s) => s.text)).toEqual([
      'Забон / Язык\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча',
      '1. Санҷиши ширкат/рақам\n2. Шикоят аз фиреб\n98. Давом',
      '1. Ширкат ё корфармо\n2. Телефон, саҳифа ё пайванд\n0. Бозгашт',
      'Ном ё рақами иҷозатномаро нависед:\n0. Бозгашт',
      'Ширкати Ҷаҳонгир Сафар (SAMPLE): ИҶОЗАТНОМА ДОРАД\n98. Давом\n0. Бозгашт',
      '(агентии кор, TJ, то 2027-06-30). Тамосҳои расмӣ:\n98. Давом\n0. Бозгашт',
    ]);
    for (const screen of screens) {
      expect(screen).toMatchObject({ op: 2, serviceType: 'USSD', dataCoding: 8, sessionInfo: Buffer.from([0x2a, 0x01]) });
    }
    // The session's path waits in the store for the next input; the caller's language is remembered.
    const callerKey = hotline.deps.callerKey('+992900000601');
    const state = await hotline.deps.ussdSessions.read(callerKey, '2a');
    expect(state.session?.path).toEqual(['1', '1', '1', 'SAMPLE-TJ-0001', '98']);
    expect(state.language?.lang).toBe('tg');
  });

  it('walks a Russian session through a report to its last screen (ussd_service_op 17), which ends the stored session', async () => {
    await operator.bound(['kannel']);
    // The scammer's number as typed (the test's SMPP client encodes ASCII, which matches GSM 7-bit for these).
    const inputs = ['2', '2', '3', '1', '1500', '1', '+992900007777', '2', '1', '1'];
    const screens = await ussdSession('992900000602', Buffer.from([0x07, 0x00]), inputs);
    expect(screens.slice(0, -1).map((s) => s.text)).toEqual([
      'Забон / Язык\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча',
      '1. Проверка фирмы/номера\n2. Сообщить об обмане\n98. Далее',
      '1. Фальшивая работа\n2. Фальшивая виза/документы\n98. Далее\n0. Назад',
      'Вы уже заплатили?\n1. Да\n2. Ещё нет, но просят\n3. Нет\n0. Назад',
      'Сколько? Введите сумму цифрами:\n0. Назад',
      '1. TJS (сомони)\n2. USD (доллары)\n3. RUB (рубли)\n98. Далее\n0. Назад',
      'Их телефон, @аккаунт, ссылка или карта:\n1. Пропустить\n0. Назад',
      'Можно вам перезвонить?\n1. Да\n2. Нет\n0. Назад',
      'Передать жалобу полиции и партнёрам?\n1. Да\n2. Нет\n0. Назад',
      'Отправить? Просят оплату. Оплата: Да 1500 TJS.\n98. Далее\n0. Назад',
    ]);
    expect(screens.slice(0, -1).every((s) => s.op === 2)).toBe(true);
    const last = screens.at(-1)!;
    expect(last).toMatchObject({ op: 17, serviceType: 'USSD', dataCoding: 8, sessionInfo: Buffer.from([0x07, 0x00]) });
    const reference = /^Сообщение ([A-Z0-9]{6}) принято\. Сохраните чеки и переписку\.$/.exec(last.text)?.[1];
    expect(reference, last.text).toBeDefined();

    const callerKey = hotline.deps.callerKey('+992900000602');
    expect(await hotline.deps.reports.getByReference(reference!)).toMatchObject({
      reporterKey: callerKey,
      lang: 'ru',
      amount: { value: 1500, currency: 'TJS' },
      identifiers: [{ kind: 'phone', value: '+992900007777' }],
    });
    // The last screen took the session's inputs out of the store.
    expect((await hotline.deps.ussdSessions.read(callerKey, '07')).session).toBeUndefined();
  });
});

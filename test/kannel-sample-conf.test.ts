/**
 * The deployable infra/kannel/kannel.conf itself in a real Kannel: its placeholders filled as the host's boot script
 * fills them (test values, every bind pointed at one SMPP server here), its ports and log folder moved to the test's.
 * Every operator bind comes up; an SMS is answered through the bind of the number's operator; a USSD dial on a USSD
 * bind gets its first screen back. Skipped only where Kannel is not installed.
 */
import { serve, type ServerType } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kannelConfVariables } from '../infra/kannel-host';
import { createLogger } from '../shared/log';
import { RegistryRepository } from '../shared/store/registry';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';
import {
  ADMIN_PASSWORD,
  SENDSMS_USER,
  deliverMo,
  eventually,
  freePort,
  kannelMissing,
  startKannelConf,
  startSmppOperator,
  submittedText,
  type Kannel,
  type SmppOperator,
} from './support/kannel';
import { sampleRegistryEntries } from './support/registry';

const missing = kannelMissing();
const SAMPLE = readFileSync(new URL('../infra/kannel/kannel.conf', import.meta.url), 'utf8');
const TOKEN = 'kannel-sample-token-0123456789';
/** The system_id each bind of the sample uses here (the operator gives the real ones). */
const BINDS = ['TCELL_SMPP', 'MEGAFON_SMPP', 'ZET_SMPP', 'BABILON_SMPP', 'OMOBILE_SMPP', 'TCELL_USSD', 'MEGAFON_USSD'];

let store: TestStore;
let hotline: ReturnType<typeof testHotline>;
let server: ServerType;
let kannel: Kannel;
let operator: SmppOperator;

/** The values the host's secrets would hold, for every placeholder of the sample. */
function testValues(smppPort: number, api: string): Record<string, string> {
  const values: Record<string, string> = { HOTLINE_API_URL: api, KANNEL_WEBHOOK_TOKEN: TOKEN, KANNEL_ADMIN_PASSWORD: ADMIN_PASSWORD, KANNEL_SENDSMS_PASSWORD: SENDSMS_USER.password, KANNEL_DEFAULT_SENDER: '1234' };
  for (const name of kannelConfVariables(SAMPLE)) {
    if (name in values) continue;
    const bind = /^([A-Z]+)_(SMPP|USSD)_(HOST|PORT|SYSTEM_ID|PASSWORD|SYSTEM_TYPE)$/.exec(name);
    if (!bind) throw new Error(`a placeholder this test does not know: ${name}`);
    const [, operatorName, kind, field] = bind;
    values[name] = { HOST: '127.0.0.1', PORT: String(smppPort), SYSTEM_ID: `${operatorName}_${kind}`, PASSWORD: 'test-bind', SYSTEM_TYPE: '' }[field!]!;
  }
  return values;
}

beforeAll(async () => {
  if (missing) return;
  store = await startTestStore('safejob-kannel-sample');
  await new RegistryRepository(store.client, store.tableName).putEntries(sampleRegistryEntries());
  operator = await startSmppOperator();
  const hotlinePort = await freePort();
  const api = `http://127.0.0.1:${hotlinePort}`;
  const values = testValues(operator.port, api);
  kannel = await startKannelConf((dir, ports) =>
    SAMPLE.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => values[name]!)
      .replace('admin-port = 13000', `admin-port = ${ports.admin}`)
      .replace('smsbox-port = 13001', `smsbox-port = ${ports.smsbox}`)
      .replace('bearerbox-port = 13001', `bearerbox-port = ${ports.smsbox}`)
      .replace('sendsms-port = 13013', `sendsms-port = ${ports.sendsms}`)
      .replaceAll('/var/log/kannel', dir),
  );
  hotline = testHotline(
    store,
    {
      PUBLIC_BASE_URL: api,
      SMS_ROUTES: '+992=kannel,*=kannel',
      KANNEL_SENDSMS_URL: kannel.sendsmsUrl,
      KANNEL_USERNAME: SENDSMS_USER.username,
      KANNEL_PASSWORD: SENDSMS_USER.password,
      KANNEL_WEBHOOK_TOKEN: TOKEN,
      // The sample's smsc-ids, as the README tells an operator to set them.
      KANNEL_SMSC_ROUTES: 'tcell=SMPP_TCELL,megafon=SMPP_MEGAFON,zet-mobile=SMPP_ZET,babilon-m=SMPP_BABILON,o-mobile=SMPP_OMOBILE',
    },
    createLogger('kannel-sample', () => undefined),
  );
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: hotline.app.fetch, port: hotlinePort, hostname: '127.0.0.1' }, () => resolve(s));
  });
  await operator.bound(BINDS);
}, 60_000);

afterAll(async () => {
  if (missing) return;
  await kannel?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await hotline?.deps.localQueue.drain();
  await operator?.close();
  await store?.close();
});

describe.skipIf(missing)('the sample kannel.conf in a real Kannel', () => {
  it('brings up every operator bind, as the bind-down check on the host reads them', async () => {
    const status = await eventually(kannel.status, (text) => BINDS.every((id) => text.includes(`${id}:`)));
    const smppLines = status.split('\n').filter((line) => line.includes('SMPP:'));
    expect(smppLines).toHaveLength(BINDS.length);
    // The host's check counts the SMPP lines without "(online": none here.
    expect(smppLines.filter((line) => !line.includes('(online'))).toEqual([]);
  });

  it("answers an SMS through the bind of the number's operator, not the one it came in on", async () => {
    const before = operator.submitted.length;
    // A MegaFon subscriber's message, handed over on Tcell's bind.
    await deliverMo(operator.sessions.get('TCELL_SMPP')!, { from: '992900000801', to: '1234', text: 'HELP' });
    const answer = async () => (await hotline.deps.localOutbox.list(hotline.deps.messages)).find((m) => m.to === '+992900000801');
    const message = await eventually(answer, (m) => m !== undefined);
    // Two concatenated parts (the help text is longer than one SMS), both on MegaFon's bind, to the international
    // number (TON 1, which SMPP writes without its +).
    const parts = await eventually(
      () => operator.submitted.slice(before),
      (list) => list.map(({ pdu }) => submittedText(pdu)).join('') === message!.text,
    );
    expect(parts.map(({ pdu }) => submittedText(pdu)).join('')).toBe(message!.text);
    expect(parts.map(({ systemId, pdu }) => [systemId, pdu.destination_addr, pdu.dest_addr_ton])).toEqual([
      ['MEGAFON_SMPP', '992900000801', 1],
      ['MEGAFON_SMPP', '992900000801', 1],
    ]);
    // Kannel may have sent it before the outbox recorded who took it.
    await hotline.deps.localQueue.drain();
    expect(await answer()).toMatchObject({ to: '+992900000801', provider: 'kannel' });
  });

  it('answers a USSD dial on a USSD bind with the first screen, as a USSD menu on the same bind', async () => {
    const before = operator.submitted.length;
    await deliverMo(operator.sessions.get('MEGAFON_USSD')!, { from: '992900000802', to: '3841234', text: '*384*1234#', ussd: { op: 1, sessionInfo: Buffer.from([0x11, 0x00]) } });
    const [reply] = await eventually(() => operator.submitted.slice(before), (list) => list.length > 0);
    expect(reply!.systemId).toBe('MEGAFON_USSD');
    expect({ text: submittedText(reply!.pdu), op: reply!.pdu.ussd_service_op, serviceType: reply!.pdu.service_type, dataCoding: reply!.pdu.data_coding }).toEqual({
      text: 'Забон / Язык\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча',
      op: 2,
      serviceType: 'USSD',
      dataCoding: 8,
    });
    expect(Buffer.from(reply!.pdu.its_session_info)).toEqual(Buffer.from([0x11, 0x00]));
  });
});

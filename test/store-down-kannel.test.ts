/**
 * Nothing lost when the store is down (issue 15), on USSD over Kannel/SMPP: SMPP sends one input at a time, so
 * the session's path is kept in the store; when the report's last answer arrives while every store call fails,
 * the container's own copy of the path (shared/store/ussd-sessions.ts) still knows it, and the report is
 * journaled and replayed into exactly one report (docs/kannel.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../shared/domain/prompts';
import { startTestStore, type TestStore } from './support/dynalite';
import { injectStoreFaults, seeded } from './support/faults';
import { hotlineOnNewTable, storedOnceAndTexted } from './support/hotline';

const TOKEN = 'kannel-store-down-token-0123456789';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore('safejob-store-down-kannel');
});
afterAll(async () => store.close());

const hotlineOnFreshTable = () => hotlineOnNewTable(store, 'down-kannel', { KANNEL_WEBHOOK_TOKEN: TOKEN });
type Hotline = Awaited<ReturnType<typeof hotlineOnFreshTable>>;

const storeDown = (hotline: Hotline) => injectStoreFaults(hotline.deps.db, { rate: 1, random: seeded(7), lostResponses: false });

/** One SMPP USSD message as Kannel's `get-url` sends it: op 1 begins the session (the code), op 18 answers. */
async function kannelUssd(hotline: Hotline, from: string, id: string, op: 1 | 18, text: string) {
  const meta = encodeURIComponent(`?smpp?ussd_service_op=%${op === 1 ? '01' : '12'}&its_session_info=*%01&`);
  const query = `token=${TOKEN}&from=${encodeURIComponent(from)}&to=3841234&text=${encodeURIComponent(text)}&id=${id}&smsc=USSD_TEST&service=USSD&meta=${meta}&coding=0&charset=UTF-8`;
  const response = await hotline.app.request(new Request(`http://localhost/ussd/kannel?${query}`));
  return { status: response.status, body: await response.text(), meta: response.headers.get('x-kannel-meta-data') };
}

// Language 3 (English), 2 (report), the rest of the report flow (no call-back, no sharing), 1 (send).
const ANSWERS = ['3', '2', '1', '3', '@down_kannel_scam', '2', '2', '1'];

describe('a Kannel USSD report whose last answer arrives while the store is down', () => {
  it('is journaled from the path the container kept, answered in English, and replayed into exactly one report', async () => {
    const hotline = await hotlineOnFreshTable();
    const phone = '+992900000721';
    expect((await kannelUssd(hotline, phone, 'down-k-0', 1, '*384#')).meta).toContain('ussd_service_op=02');
    for (const [n, answer] of ANSWERS.slice(0, -1).entries()) {
      expect((await kannelUssd(hotline, phone, `down-k-${n + 1}`, 18, answer)).meta).toContain('ussd_service_op=02');
    }
    const faults = storeDown(hotline);
    const final = await kannelUssd(hotline, phone, `down-k-${ANSWERS.length}`, 18, '1');
    // Kannel repeats the message: still one report.
    const retry = await kannelUssd(hotline, phone, `down-k-${ANSWERS.length}`, 18, '1');
    expect(final).toMatchObject({ status: 200, body: t('en', 'report.kept'), meta: '?smpp?ussd_service_op=17&its_session_info=%2A%01' });
    expect(retry).toEqual(final);
    const journaled = await hotline.deps.journalFile.entries();
    expect(journaled.length).toBeGreaterThanOrEqual(1);
    expect(journaled[0]!.report).toMatchObject({ channel: 'ussd', lang: 'en', identifiers: [{ kind: 'handle', value: 'down_kannel_scam' }] });

    faults.rate = 0;
    await storedOnceAndTexted(hotline, store, phone, { channel: 'ussd', lang: 'en' });
  });

  it('an answer to a session this container never saw, while the store is down: the polite last screen, nothing journaled', async () => {
    const hotline = await hotlineOnFreshTable();
    storeDown(hotline);
    const answer = await kannelUssd(hotline, '+992900000722', 'down-k-unknown', 18, '1');
    expect(answer).toMatchObject({ status: 200, body: t('tg', 'common.unavailable'), meta: '?smpp?ussd_service_op=17&its_session_info=%2A%01' });
    expect(await hotline.deps.journalFile.entries()).toEqual([]);
  });
});

/**
 * Done when an Uzbek and a Kyrgyz caller can check, report and get advice in their own language, on USSD and by
 * SMS: Africa's Talking's webhooks with the provider fixtures, from an Uzbek and a Kyrgyz number (fictional).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t, type Lang } from '../shared/domain/prompts';
import { RegistryRepository } from '../shared/store/registry';
import { fixture, fixtureRequest } from './support/fixtures';
import { startTestStore, type TestStore } from './support/dynalite';
import { testHotline } from './support/hotline';
import { sampleRegistryEntries } from './support/registry';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
  await new RegistryRepository(store.client, store.tableName).putEntries(sampleRegistryEntries());
});
afterAll(async () => store.close());

const CALLERS = { uz: '+998900009901', ky: '+996700009901' } as const;
const USSD_CODE = '*384*1234#';

async function ussd(hotline: ReturnType<typeof testHotline>, phoneNumber: string, sessionId: string, text: string) {
  const response = await hotline.app.request(fixtureRequest(fixture('africastalking/ussd-first-dial'), { phoneNumber, sessionId, text }));
  expect(response.status).toBe(200);
  return response.text();
}

/**
 * A text screen read to its end: its pages (98 for the next), their words joined, and the options under the last.
 */
async function readToEnd(hotline: ReturnType<typeof testHotline>, phoneNumber: string, sessionId: string, path: string) {
  const words: string[] = [];
  let options: string[] = [];
  for (let at = path; ; at = `${at}*98`) {
    const body = (await ussd(hotline, phoneNumber, sessionId, at)).replace(/^(CON|END) /, '');
    const lines = body.split('\n');
    words.push(lines.filter((line) => !/^\d+\. /.test(line)).join(' '));
    options = lines.filter((line) => /^\d+\. /.test(line) && !line.startsWith('98. ') && !line.startsWith('0. '));
    if (!lines.some((line) => line.startsWith('98. '))) return { text: words.join(' '), options };
  }
}

async function sms(hotline: ReturnType<typeof testHotline>, from: string, id: string, text: string) {
  const response = await hotline.app.request(fixtureRequest(fixture('africastalking/sms-incoming'), { id, from, text }));
  expect(response.status).toBe(200);
}

async function textsTo(hotline: ReturnType<typeof testHotline>, to: string) {
  await hotline.deps.localQueue.drain();
  return (await hotline.deps.localOutbox.list(hotline.deps.messages)).filter((m) => m.to === to).map((m) => m.text);
}

describe.each([
  {
    lang: 'uz' as Lang,
    languageMenu: 'CON Til / Язык / Language\n1. Oʻzbekcha\n2. Русский\n3. English\n4. Тоҷикӣ\n5. Кыргызча',
    licence: 'SAMPLE-UZ-0001',
    name: 'Samarqand Ish Yoʻli MChJ (SAMPLE)',
    contacts: '+998900001001, samarqand-ish.example',
    validUntil: '2027-10-31',
    country: 'UZ',
  },
  {
    lang: 'ky' as Lang,
    languageMenu: 'CON Тил / Язык / Language\n1. Кыргызча\n2. Русский\n3. English\n4. Тоҷикӣ\n5. Oʻzbekcha',
    licence: 'SAMPLE-KG-0001',
    name: 'ОсОО «Ала-Тоо Жумуш» (SAMPLE)',
    contacts: '+996700000101, ala-too-jumush.example',
    validUntil: '2027-02-28',
    country: 'KG',
  },
])('a caller from $lang', ({ lang, languageMenu, licence, name, contacts, validUntil, country }) => {
  const phone = CALLERS[lang as keyof typeof CALLERS];
  // The registry's verdict, word for word from the prompts.
  const verdict = t(lang, 'verify.licensed', {
    name,
    kind: t(lang, 'kind.agency'),
    country,
    validity: t(lang, 'verify.validUntil', { date: validUntil }),
    contacts: t(lang, 'verify.officialContacts', { contacts }),
  });

  it('on USSD: is offered their language first, then checks a licence, gets advice and reports, all in it', async () => {
    const hotline = testHotline(store);
    expect(await ussd(hotline, phone, `${lang}-1`, '')).toBe(languageMenu);
    const main = await ussd(hotline, phone, `${lang}-1`, '1');
    expect(main.split('\n').slice(0, 2)).toEqual([`CON 1. ${t(lang, 'menu.check')}`, `2. ${t(lang, 'menu.report')}`]);
    expect(await hotline.deps.languages.get(hotline.deps.callerKey(phone))).toMatchObject({ lang });

    // Check: the agency by its licence number (a sample row of the country's registry).
    expect(await ussd(hotline, phone, `${lang}-1`, '1*1')).toBe(
      `CON ${t(lang, 'check.title')}\n1. ${t(lang, 'check.entity')}\n2. ${t(lang, 'check.contact')}\n0. ${t(lang, 'common.back')}`,
    );
    expect(await readToEnd(hotline, phone, `${lang}-1`, `1*1*1*${licence}`)).toEqual({ text: verdict, options: [] });

    // Advice, in a new session: the language is remembered, so the main menu comes first.
    expect((await ussd(hotline, phone, `${lang}-2`, '')).split('\n')[0]).toBe(`CON 1. ${t(lang, 'menu.check')}`);
    expect(await readToEnd(hotline, phone, `${lang}-2`, '98*4*1')).toEqual({ text: t(lang, 'advice.redflags.text'), options: [] });

    // Report: a fake job offer, not paid, no contact, no call-back, not to be shared, sent.
    const report = `${lang}-3`;
    expect(await ussd(hotline, phone, report, '2')).toContain(`1. ${t(lang, 'report.category.job_offer')}`);
    expect(await ussd(hotline, phone, report, '2*1')).toContain(t(lang, 'report.paid.title'));
    expect(await ussd(hotline, phone, report, '2*1*3')).toBe(
      `CON ${t(lang, 'report.contact.prompt')}\n1. ${t(lang, 'report.contact.skip')}\n0. ${t(lang, 'common.back')}`,
    );
    expect(await ussd(hotline, phone, report, '2*1*3*1')).toContain(t(lang, 'report.callback.title'));
    expect(await ussd(hotline, phone, report, '2*1*3*1*2')).toContain(t(lang, 'report.sharing.title'));
    const summary = t(lang, 'report.confirm.summary', {
      category: t(lang, 'report.category.job_offer'),
      paid: t(lang, 'report.paid.no'),
      amount: '',
      contact: t(lang, 'report.confirm.none'),
      callback: t(lang, 'common.no'),
      share: t(lang, 'common.no'),
    });
    expect(await readToEnd(hotline, phone, report, '2*1*3*1*2*2')).toEqual({
      text: `${t(lang, 'report.confirm.title')} ${summary}`,
      options: [`1. ${t(lang, 'report.confirm.send')}`, `2. ${t(lang, 'report.confirm.cancel')}`],
    });
    // Sent from the confirmation's last page.
    const pages = (await ussd(hotline, phone, report, '2*1*3*1*2*2*98')).includes('\n98. ') ? '*98*98' : '*98';
    const sent = await ussd(hotline, phone, report, `2*1*3*1*2*2${pages}*1`);
    const ref = /([0-9A-Z]{6})/.exec(sent)?.[1];
    expect(sent).toBe(`END ${t(lang, 'report.submitted', { ref: ref!, advice: t(lang, 'report.advice.default') })}`);
    const stored = await hotline.deps.reports.getByReference(ref!);
    expect(stored).toMatchObject({ lang, category: 'job_offer', channel: 'ussd' });
    expect(await textsTo(hotline, phone)).toContain(t(lang, 'sms.reportReceived', { ref: ref!, advice: t(lang, 'report.advice.default') }));
  });

  it('by SMS: asks for help, checks and reports with their own keywords, answered in their language', async () => {
    const hotline = testHotline(store);
    const from = phone.replace(/1$/, '2');
    const words = lang === 'uz' ? { help: 'YORDAM', check: 'TEKSHIR', report: "SHIKOYAT telegramda +998 90 000 5555 UK ishi uchun 900 dollar so'radi" }
      : { help: 'ЖАРДАМ', check: 'ТЕКШЕРҮҮ', report: 'АРЫЗ телеграмда +996 700 005 555 UK жумушу үчүн 900 доллар сурашты' };
    await sms(hotline, from, `${lang}-help`, words.help);
    await sms(hotline, from, `${lang}-check`, `${words.check} ${licence}`);
    await sms(hotline, from, `${lang}-report`, words.report);
    const [help, check, received] = await textsTo(hotline, from);
    expect(help).toBe(t(lang, 'sms.help', { ussdCode: USSD_CODE }));
    // The SMS verdict leaves the contacts out where they would not fit its parts (UCS-2: Cyrillic, or Uzbek's ʻ).
    expect(check).toBe(verdict.replace(t(lang, 'verify.officialContacts', { contacts }), ''));
    const ref = /([0-9A-Z]{6})/.exec(received!)?.[1];
    // The receipt asks, apart from the call-back, whether the report may be shared (SHARE in their own words).
    expect(received).toBe(`${t(lang, 'sms.reportReceived', { ref: ref!, advice: t(lang, 'report.advice.default') })} ${t(lang, 'sms.shareAsk', { ref: ref! })}`);
    expect(await hotline.deps.reports.getByReference(ref!)).toMatchObject({ lang, channel: 'sms' });
  });
});

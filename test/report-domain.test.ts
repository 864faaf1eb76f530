import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardKey } from '../shared/crypto';
import {
  REFERENCE_ALPHABET,
  REPORT_STATUSES,
  USD_RATES,
  extractAmount,
  extractIdentifiers,
  generateReference,
  isReference,
  nextStep,
  normaliseReference,
  toUsd,
  triage,
  type Identifier,
  type Money,
  type ReportDraft,
  type UrgencyReason,
} from '../shared/domain/report';
import { fixture } from './support/fixtures';

const SECRET = 'c'.repeat(32);
const cardHash = (digits: string) => cardKey(SECRET, digits);
const card = (digits: string): Identifier => ({ kind: 'card', hash: cardKey(SECRET, digits), last4: digits.slice(-4) });
const phone = (value: string): Identifier => ({ kind: 'phone', value });
const handle = (value: string): Identifier => ({ kind: 'handle', value });
const url = (value: string): Identifier => ({ kind: 'url', value });

describe('identifiers and amounts read from free text', () => {
  const rows: { text: string; identifiers: Identifier[]; amount?: Money }[] = [
    {
      text: fixture('africastalking/sms-incoming-iso-date').body.text!,
      identifiers: [handle('uk_jobs_visa')],
      amount: { value: 3000, currency: 'TJS' },
    },
    {
      text: 'Звонили с +992 90 123 4567, просили 500 долларов на карту 4276 3800 1234 5679',
      identifiers: [phone('+992901234567'), card('4276380012345679')],
      amount: { value: 500, currency: 'USD' },
    },
    {
      text: 'Ба рақами 8 92 700 1122 занг заданд, 3 000 сомонӣ пул хостанд. Сайт: example-visa.com.',
      identifiers: [phone('+992927001122'), url('example-visa.com')],
      amount: { value: 3000, currency: 'TJS' },
    },
    {
      text: 'Pishnihod dar instagram.com/UK.Jobs.2025 va https://www.Example-Visa.com/apply/ – $500 pul',
      identifiers: [handle('uk.jobs.2025'), url('example-visa.com/apply')],
      amount: { value: 500, currency: 'USD' },
    },
    {
      text: 'They called from +44 7700 900123 and want £300 by card 9762-0000-1111-2223, see t.me/Visa_Helper',
      identifiers: [phone('+447700900123'), card('9762000011112223'), handle('visa_helper')],
      amount: { value: 300, currency: 'GBP' },
    },
    {
      text: 'Номер +7 912 345 67 89, перевёл 20 тысяч рублей',
      identifiers: [phone('+79123456789')],
      amount: { value: 20000, currency: 'RUB' },
    },
    { text: 'one number written twice: 927001122 and +992 (92) 700-11-22', identifiers: [phone('+992927001122')] },
    // 16 digits failing the Luhn check are neither a card nor (too long) a phone number.
    { text: 'karta 4276 3800 1234 5678', identifiers: [] },
    {
      text: '+992 90 123 4567 3000 somoni',
      identifiers: [phone('+992901234567')],
      amount: { value: 3000, currency: 'TJS' },
    },
    { text: 'invite t.me/+AbC123 and post instagram.com/p/Xyz', identifiers: [url('t.me/+abc123'), url('instagram.com/p/xyz')] },
    { text: 'write to info@scam-jobs.com', identifiers: [] },
    { text: 'talab kard 3000 somoni.Dar Telegram', identifiers: [], amount: { value: 3000, currency: 'TJS' } },
    { text: 'on 20.11.2026 at 10:30 they asked 3000', identifiers: [] },
  ];

  it.each(rows)('$text', ({ text, identifiers, amount }) => {
    expect(extractIdentifiers(text, cardHash)).toEqual(identifiers);
    expect(extractAmount(text)).toEqual(amount);
  });

  it('never names the reporter\'s own number, in whatever form it is written', () => {
    const text = 'call me back on 8 93 555 4433; the scammer is +992 90 123 4567';
    expect(extractIdentifiers(text, cardHash, '+992935554433')).toEqual([phone('+992901234567')]);
  });

  it('keeps no card digits but the last four', () => {
    const found = extractIdentifiers('4276 3800 1234 5679', cardHash);
    expect(found).toEqual([card('4276380012345679')]);
    expect(JSON.stringify(found)).not.toMatch(/42763800|3800 1234/);
  });

  it.each<[string, Money | undefined]>([
    ['20000 руб', { value: 20000, currency: 'RUB' }],
    ['15000 rubl', { value: 15000, currency: 'RUB' }],
    ['₽5000', { value: 5000, currency: 'RUB' }],
    ['2,5 тыс. руб.', { value: 2500, currency: 'RUB' }],
    ['300 GBP', { value: 300, currency: 'GBP' }],
    ['5 фунтов', { value: 5, currency: 'GBP' }],
    ['300 pounds', { value: 300, currency: 'GBP' }],
    ['500$', { value: 500, currency: 'USD' }],
    ['USD 1,500.50', { value: 1500.5, currency: 'USD' }],
    ['700 dollar', { value: 700, currency: 'USD' }],
    ['500 долл.', { value: 500, currency: 'USD' }],
    ['1.500 сомони', { value: 1500, currency: 'TJS' }],
    ['3 ҳазор сомонӣ', { value: 3000, currency: 'TJS' }],
    ['800 смн', { value: 800, currency: 'TJS' }],
    ['TJS 800', { value: 800, currency: 'TJS' }],
    // The largest in dollars: 500 somoni are about $50.
    ['first 500 somoni, then $100', { value: 100, currency: 'USD' }],
    ['100 USDT', undefined],
  ])('amount in %s', (text, amount) => {
    expect(extractAmount(text)).toEqual(amount);
  });
});

describe('triage', () => {
  const base: Pick<ReportDraft, 'category' | 'paid' | 'amount' | 'freeText'> = { category: 'job_offer', paid: 'no' };
  const context = { amountThresholdUsd: 500, otherReportersOfSameIdentifiers: 0, campaignThreshold: 3 };
  const rows: { case: string; report?: Partial<typeof base>; others?: number; reasons: UrgencyReason[] }[] = [
    { case: 'nothing alarming', reasons: [] },
    { case: 'about to pay', report: { paid: 'about_to_pay' }, reasons: ['about_to_pay'] },
    { case: 'already paid a small amount', report: { paid: 'yes', amount: { value: 1000, currency: 'TJS' } }, reasons: [] },
    { case: 'abroad and in trouble', report: { category: 'abroad_in_trouble' }, reasons: ['abroad_in_trouble'] },
    { case: 'en: passport taken', report: { freeText: 'The employer took my passport' }, reasons: ['documents_held'] },
    { case: 'ru: паспорт забрали', report: { freeText: 'Паспорт забрали и не отдают' }, reasons: ['documents_held'] },
    { case: 'ru: words apart', report: { freeText: 'забрали у меня все документы' }, reasons: ['documents_held'] },
    { case: 'tg: шиносномаро гирифтанд', report: { freeText: 'Шиносномаамро гирифтанд' }, reasons: ['documents_held'] },
    { case: 'tg latin: shinosnoma', report: { freeText: 'shinosnomamro giriftand' }, reasons: ['documents_held'] },
    { case: 'ru: не отдают паспорт', report: { freeText: 'не отдают паспорт' }, reasons: ['documents_held'] },
    { case: 'tg: I received my documents', report: { freeText: 'ҳуҷҷатҳоро гирифтам' }, reasons: [] },
    { case: 'en: taking a passport somewhere', report: { freeText: 'I will take my passport to the visa centre' }, reasons: [] },
    { case: 'en: threatened', report: { freeText: 'he threatened my family' }, reasons: ['threats'] },
    { case: 'ru: угрожают', report: { freeText: 'Мне угрожают' }, reasons: ['threats'] },
    { case: 'tg: таҳдид', report: { freeText: 'маро таҳдид мекунанд' }, reasons: ['threats'] },
    { case: 'tg latin: tahdid', report: { freeText: 'tahdid kardand' }, reasons: ['threats'] },
    { case: 'tg: I try (not kill)', report: { freeText: 'мекӯшам кор ёбам' }, reasons: [] },
    { case: 'en: locked in', report: { freeText: 'we are locked in the farm' }, reasons: ['trafficking_indicators'] },
    { case: 'en: cannot leave', report: { freeText: 'I cannot leave the farm' }, reasons: ['trafficking_indicators'] },
    { case: 'en: not allowed to go', report: { freeText: 'we are not allowed to go out' }, reasons: ['trafficking_indicators'] },
    { case: 'ru: не выпускают', report: { freeText: 'не выпускают с фермы' }, reasons: ['trafficking_indicators'] },
    { case: 'tg: намемонанд', report: { freeText: 'маро намемонанд' }, reasons: ['trafficking_indicators'] },
    { case: 'tg latin: cannot get out', report: { freeText: 'baromada nametavonam' }, reasons: ['trafficking_indicators'] },
    { case: 'en: forced to work', report: { freeText: 'forced to work 16 hours' }, reasons: ['trafficking_indicators'] },
    // Issue 16: free text said what the USSD menu asks, and was filed routine.
    { case: 'en: asked to pay tomorrow', report: { freeText: 'they want me to pay 200 dollars tomorrow' }, reasons: ['about_to_pay'] },
    { case: 'ru: требуют заплатить сегодня', report: { freeText: 'требуют заплатить сегодня' }, reasons: ['about_to_pay'] },
    { case: 'tg: имрӯз бояд супорам', report: { freeText: 'имрӯз бояд 1000 сомонӣ супорам' }, reasons: ['about_to_pay'] },
    { case: 'tg latin: imruz boyad supoRam', report: { freeText: 'imruz boyad 1000 somoni supoRam' }, reasons: ['about_to_pay'] },
    { case: 'en: wants an amount', report: { freeText: 'a man on Telegram wants 3000 somoni for a UK visa' }, reasons: ['about_to_pay'] },
    { case: 'ru translit: prosyat 5000 rub', report: { freeText: 'prosyat 5000 rub za priglashenie' }, reasons: ['about_to_pay'] },
    { case: 'en: already paid is not about to pay', report: { freeText: 'I paid 300 dollars and he blocked me' }, reasons: [] },
    { case: 'en: a trip tomorrow is no payment', report: { freeText: 'I will take my passport to the embassy tomorrow' }, reasons: [] },
    { case: 'en: they lock us in', report: { freeText: 'they lock us in' }, reasons: ['trafficking_indicators'] },
    { case: 'ru: нас запирают', report: { freeText: 'нас запирают на ночь' }, reasons: ['trafficking_indicators'] },
    { case: 'en: stranded', report: { freeText: 'we are stranded at the airport' }, reasons: ['abroad_in_trouble'] },
    { case: 'ru: застряли, нет денег на билет', report: { freeText: 'застряли в Турции, денег нет на билет' }, reasons: ['abroad_in_trouble'] },
    { case: 'tg: баргашта наметавонам', report: { freeText: 'ба ватан баргашта наметавонам' }, reasons: ['abroad_in_trouble'] },
    { case: 'en: cannot get my money back is not stranded', report: { freeText: 'I cannot get my money back' }, reasons: [] },
    { case: 'amount at the threshold', report: { amount: { value: 500, currency: 'USD' } }, reasons: ['large_amount'] },
    { case: 'amount above, in somoni', report: { amount: { value: 5000, currency: 'TJS' } }, reasons: ['large_amount'] },
    { case: 'amount just below, in somoni', report: { amount: { value: 4900, currency: 'TJS' } }, reasons: [] },
    { case: 'two others named it: a campaign', others: 2, reasons: ['campaign'] },
    { case: 'one other named it: not yet', others: 1, reasons: [] },
    {
      case: 'everything at once, in the stored order',
      report: {
        category: 'abroad_in_trouble',
        paid: 'about_to_pay',
        amount: { value: 1000, currency: 'GBP' },
        freeText: 'They threaten us, took our passports and we cannot leave',
      },
      others: 5,
      reasons: ['about_to_pay', 'abroad_in_trouble', 'documents_held', 'threats', 'trafficking_indicators', 'large_amount', 'campaign'],
    },
  ];

  it.each(rows)('$case', ({ report, others, reasons }) => {
    const result = triage({ ...base, ...report }, { ...context, otherReportersOfSameIdentifiers: others ?? 0 });
    expect(result).toEqual({ urgent: reasons.length > 0, reasons });
  });

  it('converts with the dated rate table', () => {
    expect(USD_RATES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(toUsd({ value: 990, currency: 'TJS' })).toBeCloseTo(100);
    expect(toUsd({ value: 73, currency: 'GBP' })).toBeCloseTo(100);
  });
});

describe('references', () => {
  const randoms = fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true }));
  const fromStream = (stream: Iterator<number>) => () => stream.next().value as number;

  it('uses 29 characters with no look-alikes', () => {
    expect(REFERENCE_ALPHABET).toHaveLength(29);
    expect(REFERENCE_ALPHABET).not.toMatch(/[01OQILU]/);
    expect(new Set(REFERENCE_ALPHABET).size).toBe(REFERENCE_ALPHABET.length);
  });

  it('are six characters of the alphabet, whatever the random source gives (1 included)', () => {
    fc.assert(
      fc.property(randoms, (stream) => {
        const reference = generateReference(fromStream(stream));
        expect(reference).toMatch(/^[23456789ABCDEFGHJKMNPRSTVWXYZ]{6}$/);
      }),
    );
  });

  it('round-trip through normaliseReference however they are typed', () => {
    const typing = fc.array(fc.record({ lower: fc.boolean(), separator: fc.constantFrom('', ' ', '-', ' - ') }), {
      minLength: 6,
      maxLength: 6,
    });
    fc.assert(
      fc.property(randoms, typing, (stream, keys) => {
        const reference = generateReference(fromStream(stream));
        const typed = [...reference].map((ch, i) => (keys[i]!.lower ? ch.toLowerCase() : ch) + keys[i]!.separator).join('');
        expect(normaliseReference(reference)).toBe(reference);
        expect(normaliseReference(typed)).toBe(reference);
        expect(isReference(typed)).toBe(true);
      }),
    );
  });

  it.each<[string, string | undefined]>([
    ['7k3-q9m', undefined], // q is never in a reference
    ['7k3-r9m', '7K3R9M'],
    [' 7K3 R9M ', '7K3R9M'],
    ['Р7К3М9', 'P7K3M9'], // Cyrillic Р, К, М from a Russian keyboard
    ['З4567A', '34567A'], // Cyrillic З for 3
    ['O23456', undefined],
    ['023456', undefined],
    ['I23456', undefined],
    ['l23456', undefined],
    ['U23456', undefined],
    ['7K3R9', undefined],
    ['7K3R9MM', undefined],
    ['7K3_R9M', undefined],
  ])('%j → %j', (typed, canonical) => {
    expect(normaliseReference(typed)).toBe(canonical);
    expect(isReference(typed)).toBe(canonical !== undefined);
  });
});

describe('next step', () => {
  it('has a prompt per status', () => {
    expect(Object.fromEntries(REPORT_STATUSES.map((status) => [status, nextStep({ status })]))).toEqual({
      received: 'report.next.received',
      in_review: 'report.next.inReview',
      escalated: 'report.next.escalated',
      acknowledged: 'report.next.acknowledged',
      referred: 'report.next.referred',
      closed: 'report.next.closed',
    });
  });
});

/**
 * Property tests (fast-check) for every parser the hotline runs on what strangers type or send: USSD paths, SMS
 * keywords, officer commands, phone numbers, identifiers, amounts, references, registry CSV rows and the
 * providers' payloads. For any input: no exception escapes, and the output is always well-formed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  atDeliveryReportSchema,
  atDeliveryStatus,
  atSmsSchema,
  atUssdEventSchema,
  atUssdRequestSchema,
  renderUssd,
  ussdPath,
} from '../shared/channels/africastalking';
import { twilioDeliveryStatus, twilioSmsSchema, twilioStatusSchema } from '../shared/channels/twilio';
import { atVoiceSchema } from '../shared/channels/africastalking-voice';
import { escapeXml } from '../shared/channels/xml';
import { twilioVoiceSchema } from '../shared/channels/twilio-voice';
import { readEnvironment } from '../shared/config';
import { isOfficerCommand, MAX_NOTE_LENGTH, OFFICER_COMMANDS, parseOfficerCommand } from '../shared/domain/officer';
import { LANGUAGES, isLang, type Lang } from '../shared/domain/prompts';
import { E164, registryEntrySchema } from '../shared/domain/registry';
import {
  CURRENCIES,
  extractAmount,
  extractIdentifiers,
  generateReference,
  identifierSchema,
  identifierValue,
  moneySchema,
  normaliseReference,
  REFERENCE_ALPHABET,
  type Report,
} from '../shared/domain/report';
import { fitsScreen, paginate, smsParts } from '../shared/domain/screen';
import { MAX_SMS_PARTS, parseSmsCommand, readSms, smsReply, type SmsContext } from '../shared/domain/sms';
import { identifierKey } from '../shared/domain/conversation';
import { ussdStep, type UssdData, type UssdRequest } from '../shared/domain/ussd';
import { keypadDigits, phoneFromKeypad, pressedKeys, START, stateFromQuery, stateToQuery, VOICE_STEPS } from '../shared/domain/voice';
import { normalisePhone } from '../shared/domain/phone';
import { phoneKey } from '../shared/privacy';
import { parseRegistryCsv, REGISTRY_CSV_HEADER } from '../shared/registry/csv';
import { anyText } from './support/hostile';
import { strictXmlError } from './support/strict-xml';
import { sampleReport } from './support/reports';
import { sampleUssdData } from './support/registry';

const RUNS = { numRuns: Number(readEnvironment().PROPERTY_RUNS ?? 300) };

const LIMITS = { gsm: 182, ucs2: 80 };

// ---------------------------------------------------------------------------------------------------------------
// USSD

/** Inputs as callers press them: mostly menu keys, sometimes words, sometimes anything. */
const ussdInput = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', '2', '3', '4', '5', '6', '9', '0', '00', '98', '10', '12') },
  { weight: 2, arbitrary: fc.constantFrom('Concordia', 'TJ-SAMPLE-0002', '+992 90 000 1001', '@uk_jobs_visa', '3000', 'example-visa.com') },
  { weight: 2, arbitrary: anyText.filter((s) => !s.includes('*')) },
);

const ussdRequest = fc.record({
  path: fc.array(ussdInput, { maxLength: 14 }),
  startLang: fc.constantFrom<Lang | undefined>(undefined, 'tg', 'ru', 'en'),
});

const data: UssdData = sampleUssdData();

/** Plays the runner: answers what the step needs (a report summary or none, the caller's reports), then asks again. */
function runLikeTheShell(request: UssdRequest, myReports: Report[]) {
  let result = ussdStep(request);
  if (result.needs.length === 0) return result;
  const reported = new Map(request.data.reported);
  let mine: Report[] | undefined;
  for (const need of result.needs) {
    if (need.type === 'myReports') mine = myReports;
    else if (need.type === 'registry') throw new Error('the registry is given to the step beforehand here');
    else reported.set(identifierKey(need.identifier), need.identifier.kind === 'phone' ? { reporters: 2, lastSeen: '2026-11-20T09:25:42.000Z' } : null);
  }
  result = ussdStep({ ...request, data: { ...request.data, reported, myReports: mine } });
  expect(result.needs).toEqual([]);
  return result;
}

describe('USSD paths (ussdStep)', () => {
  it('always answers one screen that fits the gateway, in a known language, with well-formed effects', () => {
    fc.assert(
      fc.property(ussdRequest, fc.boolean(), ({ path, startLang }, hasReports) => {
        const request: UssdRequest = { path, startLang, limits: LIMITS, data };
        const result = runLikeTheShell(request, hasReports ? [sampleReport({ lang: startLang ?? 'tg' })] : []);
        const rendered = renderUssd(result.reply);
        expect(rendered).toMatch(/^(CON|END) /);
        expect(result.reply.text.trim()).not.toBe('');
        expect(fitsScreen(result.reply.text, LIMITS), result.reply.text).toBe(true);
        expect(result.lang === undefined || isLang(result.lang)).toBe(true);
        if (startLang) expect(result.lang).toBeDefined();
        for (const effect of result.effects) {
          expect(['rememberLanguage', 'submitReport', 'verified', 'finishQuiz', 'subscribe', 'unsubscribe']).toContain(effect.type);
          if (effect.type === 'verified') continue;
          const lang = effect.type === 'finishQuiz' ? effect.finish.lang : effect.lang;
          expect(isLang(lang)).toBe(true);
          if (effect.type === 'finishQuiz') expect(result.lang).toBe(lang);
          if (effect.type === 'submitReport') expect(result.lang).toBe(effect.lang);
        }
        // Pure: the same request, the same answer.
        expect(runLikeTheShell(request, hasReports ? [sampleReport({ lang: startLang ?? 'tg' })] : [])).toEqual(result);
      }),
      RUNS,
    );
  });

  it('splits the gateway text into the inputs it joined', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(ussdPath(text).join('*')).toBe(text);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// SMS keywords

const KEYWORDS: Record<string, string[]> = {
  help: ['HELP', 'help', 'ЁРӢ', 'ЕРИ', 'ёрӣ', 'ПОМОЩЬ', 'помощь'],
  language: ['LANG', 'ЗАБОН', 'ЯЗЫК', 'язык'],
  check: ['CHECK', 'check', 'Check', 'САНҶИШ', 'САНЧИШ', 'ПРОВЕРКА', 'проверка'],
  report: ['REPORT', 'ШИКОЯТ', 'ХАБАР', 'ЖАЛОБА', 'СООБЩИТЬ'],
  status: ['STATUS', 'ҲОЛАТ', 'ХОЛАТ', 'СТАТУС'],
};
const COMMAND_NAMES = ['help', 'language', 'check', 'report', 'status', 'confirm', 'unknown'];

const smsContext = (overrides: Partial<SmsContext> = {}): SmsContext => ({
  storedLang: undefined,
  ussdServiceCode: '*384*1234#',
  registry: data.registry,
  today: '2026-11-25',
  cardHash: data.cardHash,
  reported: null,
  callerKey: 'reporter-a',
  ...overrides,
});

describe('SMS keywords (parseSmsCommand, smsReply)', () => {
  it('reads any text as a known command or as unknown, and answers it within three SMS parts', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.constantFrom<Lang | undefined>(undefined, ...LANGUAGES),
        fc.constantFrom<Partial<SmsContext>>(
          {},
          { registry: undefined },
          { submitted: { saved: true, report: sampleReport() } },
          { submitted: { saved: false, journaled: false, referenceBySms: false } },
          { submitted: { saved: false, journaled: true, referenceBySms: true } },
          { statusReport: sampleReport({ reporterKey: 'reporter-a' }) },
          { statusReport: null },
          { reported: { reporters: 4, lastSeen: '2026-11-20T09:25:42.000Z' } },
          { heldReport: { text: 'они хотят 500 долларов', lang: 'ru' } },
          { heldReport: null },
        ),
        (text, storedLang, extra) => {
          const command = parseSmsCommand(text);
          expect(COMMAND_NAMES).toContain(command.name);
          expect(command.name === 'unknown').toBe(command.keywordLang === undefined);
          expect(typeof command.argument).toBe('string');
          expect(command.argument).toBe(command.argument.trim());
          const reply = smsReply(command, smsContext({ storedLang, ...extra }));
          expect(isLang(reply.lang)).toBe(true);
          expect(reply.text.trim()).not.toBe('');
          expect(smsParts(reply.text)).toBeLessThanOrEqual(MAX_SMS_PARTS);
          for (const effect of reply.effects) if ('lang' in effect) expect(isLang(effect.lang)).toBe(true);
          // Free text read as what it asks: a known command, an offer to report, or unknown; answered all the same.
          const read = readSms(text);
          expect([...COMMAND_NAMES, 'offer']).toContain(read.name);
          const answer = smsReply(read, smsContext({ storedLang, ...extra }));
          expect(answer.text.trim()).not.toBe('');
          expect(smsParts(answer.text)).toBeLessThanOrEqual(MAX_SMS_PARTS);
        },
      ),
      RUNS,
    );
  });

  it('finds the keyword in any case, with stray punctuation and spaces, and keeps the argument as typed', () => {
    const argument = fc.string({ unit: fc.constantFrom(...'abcXYZ019 ӯҳабв@+.'.split('')), maxLength: 30 }).filter((a) => /^[\p{L}\p{N}@+]/u.test(a));
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.entries(KEYWORDS).flatMap(([name, words]) => words.map((word) => [name, word] as const))),
        fc.constantFrom('', ' ', '  ', '*', '. ', '!!', '\n'),
        fc.constantFrom(' ', ': ', ', ', ' - ', '  '),
        argument,
        ([name, word], before, between, arg) => {
          const command = parseSmsCommand(`${before}${word}${between}${arg}`);
          expect(command.name).toBe(name);
          expect(command.argument).toBe(arg.replace(/\s+/g, ' ').trim());
        },
      ),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Officer commands

describe('officer commands (parseOfficerCommand)', () => {
  it('parses any text to a well-formed command or to nothing, and agrees with isOfficerCommand', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('', 'ACK ', 'done ', 'REFER ', 'note ', 'INFO ', 'call ', 'ON', 'off', 'WHO'), (text, prefix) => {
        const input = `${prefix}${text}`;
        const command = parseOfficerCommand(input);
        expect(isOfficerCommand(input)).toBe(command !== undefined);
        if (!command) return;
        expect([...OFFICER_COMMANDS, 'usage', 'badReference']).toContain(command.name);
        if ('reference' in command) expect(normaliseReference(command.reference)).toBe(command.reference);
        if ('note' in command && command.note !== undefined) expect(command.note.length).toBeLessThanOrEqual(MAX_NOTE_LENGTH);
        if (command.name === 'note') expect(command.text.length).toBeLessThanOrEqual(MAX_NOTE_LENGTH);
      }),
      RUNS,
    );
  });

  it('reads the reference however it is typed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom('ACK', 'ack', 'INFO', 'Call'), (seed, word) => {
        const reference = generateReference(mulberry(seed));
        const typed = `${reference.slice(0, 3).toLowerCase()}-${reference.slice(3)}`;
        expect(parseOfficerCommand(`${word} ${typed}`)).toEqual({ name: word.toLowerCase(), reference });
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Phone numbers, identifiers, amounts, references

function mulberry(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Tajik mobile number's nine national digits. */
const tajikNational = fc
  .tuple(fc.constantFrom('90', '91', '92', '93', '98', '55', '88', '50'), fc.stringMatching(/^\d{7}$/))
  .map(([prefix, rest]) => `${prefix}${rest}`);

describe('phone numbers (normalisePhone)', () => {
  it('turns anything into digits with at most a leading +, and is idempotent', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const phone = normalisePhone(raw);
        expect(phone).toMatch(/^\+?\d*$/);
        expect(normalisePhone(phone)).toBe(phone);
        expect(phoneKey('a-secret-of-thirty-two-characters!!', raw)).toMatch(/^[\w-]{43}$/);
      }),
      RUNS,
    );
  });

  it('gives one number, and one key, for every way a Tajik number is written', () => {
    fc.assert(
      fc.property(tajikNational, (n) => {
        const e164 = `+992${n}`;
        fc.pre(normalisePhone(e164) === e164);
        const [a, b, c, d] = [n.slice(0, 2), n.slice(2, 5), n.slice(5, 7), n.slice(7)];
        const forms = [e164, `+992 ${a} ${b} ${c} ${d}`, `+992-${a}-${b}-${c}${d}`, `+992 (${a}) ${b}-${c}-${d}`, n, `${a} ${b} ${c} ${d}`, `(${a}) ${b}-${c}-${d}`, `8 ${a} ${b} ${c}${d}`, ` ${n} `];
        for (const form of forms) expect(normalisePhone(form), form).toBe(e164);
        const keys = new Set(forms.map((form) => phoneKey('a-secret-of-thirty-two-characters!!', form)));
        expect(keys.size).toBe(1);
      }),
      RUNS,
    );
  });
});

const cardHash = (digits: string) => `hash-${digits.length}-${digits.slice(-4)}`;

describe('identifiers in free text (extractIdentifiers)', () => {
  it('finds only well-formed, normalised identifiers, each once, never the reporter’s own number', () => {
    fc.assert(
      fc.property(anyText, anyText, fc.option(tajikNational, { nil: undefined }), (a, b, own) => {
        const ownPhone = own && `+992${own}`;
        const text = ownPhone ? `${a} ${ownPhone} ${b}` : `${a} ${b}`;
        const found = extractIdentifiers(text, cardHash, ownPhone);
        const seen = new Set<string>();
        for (const identifier of found) {
          expect(identifierSchema.safeParse(identifier).success).toBe(true);
          const key = `${identifier.kind}:${identifierValue(identifier)}`;
          expect(seen.has(key), key).toBe(false);
          seen.add(key);
          if (identifier.kind === 'phone') {
            expect(identifier.value).toMatch(E164);
            if (ownPhone) expect(identifier.value).not.toBe(normalisePhone(ownPhone));
          }
          if (identifier.kind === 'handle') expect(identifier.value).toMatch(/^[a-z\d_][a-z\d_.]{2,31}$/);
          if (identifier.kind === 'url') expect(identifier.value).toBe(identifier.value.toLowerCase());
          if (identifier.kind === 'card') expect(identifier.hash).toBe(`hash-16-${identifier.last4}`);
        }
      }),
      RUNS,
    );
  });

  it('finds a handle and a number wherever they stand in a sentence', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9_]{3,20}$/),
        tajikNational,
        fc.constantFrom('Write to', 'Пишите', 'Нависед ба', 'call'),
        (handle, n, words) => {
          const found = extractIdentifiers(`${words} @${handle}, ${words} +992 ${n}.`, cardHash);
          expect(found).toContainEqual({ kind: 'handle', value: handle });
          const phone = normalisePhone(`+992${n}`);
          if (E164.test(phone)) expect(found).toContainEqual({ kind: 'phone', value: phone });
        },
      ),
      RUNS,
    );
  });
});

describe('amounts (extractAmount)', () => {
  it('finds nothing or a positive, finite amount in a known currency', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const money = extractAmount(text);
        if (money === undefined) return;
        expect(moneySchema.safeParse(money).success).toBe(true);
        expect(Number.isFinite(money.value)).toBe(true);
        expect(CURRENCIES).toContain(money.currency);
      }),
      RUNS,
    );
  });

  it('reads an amount written with its currency', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999_999 }),
        fc.constantFrom(['somoni', 'TJS'], ['сомонӣ', 'TJS'], ['dollars', 'USD'], ['руб.', 'RUB'], ['pounds', 'GBP']),
        (amount, [word, currency]) => {
          expect(extractAmount(`they asked ${amount} ${word} for the visa`)).toEqual({ value: amount, currency });
        },
      ),
      RUNS,
    );
  });
});

describe('report references (normaliseReference)', () => {
  it('gives nothing or six characters of the alphabet, and reads its own output back', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 0, max: 2 ** 31 }), (typed, seed) => {
        const reference = normaliseReference(typed);
        if (reference !== undefined) {
          expect(reference).toHaveLength(6);
          for (const ch of reference) expect(REFERENCE_ALPHABET).toContain(ch);
        }
        const generated = generateReference(mulberry(seed));
        expect(normaliseReference(generated)).toBe(generated);
        expect(normaliseReference(` ${generated.toLowerCase().slice(0, 3)} ${generated.slice(3)} `)).toBe(generated);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Registry CSV

/** One CSV field as RFC 4180 writes it. */
const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

const isoDay = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const registryRow = fc.record({
  kind: fc.constantFrom('scheme_operator', 'agency', 'employer'),
  name: fc.string({ unit: fc.constantFrom(...'Abc Ҷаҳон, "Ltd" ООО\n-&'.split('')), minLength: 1, maxLength: 30 }).filter((n) => n.trim() !== ''),
  aliases: fc.array(fc.stringMatching(/^[A-Za-zА-Яа-я][A-Za-zА-Яа-я ]{0,15}$/), { maxLength: 3 }),
  country: fc.constantFrom('TJ', 'GB', 'gb', 'Ru'),
  status: fc.constantFrom('valid', 'suspended', 'revoked', 'expired'),
  validUntil: fc.option(isoDay, { nil: '' }),
  phones: fc.array(tajikNational.map((n) => `+992 ${n}`), { maxLength: 2 }),
  websites: fc.array(fc.stringMatching(/^[a-z]{3,10}\.(com|tj|org)$/), { maxLength: 2 }),
  source: fc.constantFrom('Home Office list', 'Ministry of Labour, register'),
  checkedOn: isoDay,
});

describe('registry CSV rows (parseRegistryCsv)', () => {
  it('answers any text with valid entries, or with every problem and its line', () => {
    const header = REGISTRY_CSV_HEADER.join(',');
    fc.assert(
      fc.property(fc.oneof(anyText, anyText.map((rest) => `${header}\n${rest}`), fc.array(anyText, { maxLength: 5 }).map((rows) => [header, ...rows].join('\r\n'))), (text) => {
        const result = parseRegistryCsv(text);
        const lines = text.split(/\r\n|\r|\n/).length;
        if (result.ok) {
          const ids = new Set<string>();
          for (const entry of result.entries) {
            expect(registryEntrySchema.safeParse(entry).success).toBe(true);
            expect(ids.has(entry.id)).toBe(false);
            ids.add(entry.id);
          }
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) {
            expect(Number.isInteger(error.line)).toBe(true);
            expect(error.line).toBeGreaterThanOrEqual(1);
            expect(error.line).toBeLessThanOrEqual(lines);
            expect(error.reason.trim()).not.toBe('');
          }
        }
      }),
      RUNS,
    );
  });

  it('reads back every well-formed row written as CSV, quotes, commas and line breaks included', () => {
    fc.assert(
      fc.property(fc.array(registryRow, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (rows, eol, bom) => {
        const lines = rows.map((row, i) =>
          [
            row.kind,
            row.name,
            row.aliases.join(';'),
            `LIC-${i}`,
            row.country,
            row.status,
            row.validUntil,
            row.phones.join('; '),
            row.websites.join(';'),
            row.source,
            row.checkedOn,
          ]
            .map(csvField)
            .join(','),
        );
        const text = `${bom ? '\uFEFF' : ''}${[REGISTRY_CSV_HEADER.join(','), ...lines].join(eol)}${eol}`;
        const result = parseRegistryCsv(text);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        expect(result.entries.map((e) => e.name)).toEqual(rows.map((r) => r.name.replace(/\s+/g, ' ').trim()));
        expect(result.entries.map((e) => e.licenceNumber)).toEqual(rows.map((_, i) => `LIC-${i}`));
        expect(result.entries.map((e) => e.country)).toEqual(rows.map((r) => r.country.toUpperCase()));
        expect(result.entries.map((e) => e.phones)).toEqual(rows.map((r) => r.phones.map((p) => normalisePhone(p))));
        expect(result.entries.map((e) => e.aliases)).toEqual(rows.map((r) => r.aliases.map((a) => a.replace(/\s+/g, ' ').trim())));
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Provider payloads

const FIELD_NAMES = [
  'sessionId', 'serviceCode', 'phoneNumber', 'networkCode', 'text', 'status', 'durationInMillis', 'hopsCount', 'input',
  'from', 'to', 'id', 'date', 'linkId', 'failureReason', 'retryCount', 'MessageSid', 'From', 'To', 'Body', 'NumMedia',
  'MessageStatus', 'ErrorCode', 'isActive', 'callerNumber', 'destinationNumber', 'dtmfDigits', 'recordingUrl',
  'durationInSeconds', 'CallSid', 'Digits', 'RecordingUrl', 'RecordingDuration', 'DialCallStatus', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'a[]',
];

/** A parsed form as a framework might hand it over: strings mostly, but also arrays, numbers, objects and files. */
const formLike = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 10 })),
  fc.oneof(
    { weight: 6, arbitrary: anyText },
    { weight: 1, arbitrary: fc.array(fc.string(), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(null), fc.constant(undefined), fc.boolean()) },
    { weight: 1, arbitrary: fc.constant(new File(['x'], 'x.txt')) },
    { weight: 1, arbitrary: fc.object({ maxDepth: 2 }) },
  ),
  { maxKeys: 12 },
);

const SCHEMAS = {
  atUssdRequestSchema,
  atUssdEventSchema,
  atSmsSchema,
  atDeliveryReportSchema,
  twilioSmsSchema,
  twilioStatusSchema,
  atVoiceSchema,
  twilioVoiceSchema,
};

describe('provider payloads (the adapters’ zod schemas)', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`${name}: never throws; what it accepts holds only what it declares, in range, and parses again the same`, () => {
      // Through a z.lazy: the adapters defer the schemas only some functions parse.
      const shape = ('shape' in schema ? schema : schema._zod.innerType).shape as Record<string, unknown>;
      fc.assert(
        fc.property(formLike, (body) => {
          const parsed = schema.safeParse(body);
          if (!parsed.success) {
            expect(parsed.error.issues.length).toBeGreaterThan(0);
            return;
          }
          const data = parsed.data as Record<string, unknown>;
          // Declared fields only: Twilio's schemas pass unknown parameters through (the signature covers them).
          for (const [field, value] of Object.entries(data).filter(([field]) => Object.hasOwn(shape, field))) {
            expect(['string', 'number', 'undefined'], field).toContain(typeof value);
            if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
            if (typeof value === 'string') expect(value.length).toBeLessThanOrEqual(4000);
          }
          expect(schema.safeParse(data)).toEqual({ success: true, data });
        }),
        RUNS,
      );
      // No payload reaches the prototypes of everyone's objects.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('maps every provider status to a known status or to nothing', () => {
    fc.assert(
      fc.property(anyText, (status) => {
        for (const mapped of [atDeliveryStatus(status), twilioDeliveryStatus(status)]) {
          expect([undefined, 'sent', 'delivered', 'failed']).toContain(mapped);
        }
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Screens

describe('screen pages (paginate)', () => {
  it('cuts any text into pages that each fit with the footer', () => {
    // Long unbroken words cost time here (cut one character at a time): npm run bench territory, kept short.
    fc.assert(
      fc.property(anyText.filter((text) => text.length <= 400), fc.constantFrom('98. More\n0. Back', '98. Давом\n0. Бозгашт', '98. Далее\n0. Назад'), (text, footer) => {
        for (const page of paginate(text, LIMITS, footer)) expect(fitsScreen(`${page}\n${footer}`, LIMITS), page).toBe(true);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Voice: keys pressed, numbers typed on a keypad, the call's state in the callback URL, text in XML

/** What a keypad callback may carry: keys mostly, but also `hangup`, timeouts and anything a forger sends. */
const dtmf = fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789*#'.split('')), maxLength: 20 }), anyText);

/** XML 1.0 allows these characters only: the rest cannot appear in a well-formed document, escaped or not. */
const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

describe('voice parsers (pressedKeys, phoneFromKeypad, keypadDigits, stateFromQuery, escapeXml)', () => {
  it('reads only keys from what a callback says was pressed, and only numbers from them', () => {
    fc.assert(
      fc.property(dtmf, (raw) => {
        const keys = pressedKeys(raw);
        expect(keys).toMatch(/^[\d*#]*$/);
        expect(keys.endsWith('#')).toBe(false);
        const phone = phoneFromKeypad(keys);
        if (phone) expect(phone.value).toMatch(E164);
        expect(phoneFromKeypad(raw)?.value ?? '+1000000').toMatch(E164);
      }),
      RUNS,
    );
  });

  it('types any licence as keypad digits', () => {
    fc.assert(
      fc.property(anyText, (licence) => {
        expect(keypadDigits(licence)).toMatch(/^\d*$/);
      }),
      RUNS,
    );
  });

  it('reads the state in a callback URL back exactly, and nothing else as a state', () => {
    const state = fc.record(
      {
        step: fc.constantFrom(...VOICE_STEPS),
        lang: fc.constantFrom(...LANGUAGES),
        tries: fc.integer({ min: 0, max: 9 }),
        level: fc.integer({ min: 1, max: 9 }),
        callback: fc.boolean(),
      },
      { requiredKeys: ['step', 'tries'] },
    );
    const query = fc.dictionary(fc.constantFrom('s', 'l', 't', 'v', 'c', 'token', '__proto__', 'x'), anyText, { maxKeys: 6 });
    fc.assert(
      fc.property(state, query, (s, q) => {
        expect(stateFromQuery(stateToQuery(s))).toEqual(s);
        const read = stateFromQuery(q);
        if (read === undefined) return;
        if (q.s === undefined) expect(read).toEqual(START);
        expect(VOICE_STEPS).toContain(read.step);
        expect(stateFromQuery(stateToQuery(read))).toEqual(read);
      }),
      RUNS,
    );
  });

  it('escapes any text into well-formed XML, dropping only the characters XML cannot carry', () => {
    expect(escapeXml('a\r\nb & <c>')).toBe('a&#xD;\nb &amp; &lt;c&gt;');
    fc.assert(
      fc.property(anyText, (text) => {
        const escaped = escapeXml(text);
        expect(strictXmlError(`<Say voice="${escaped}">${escaped}</Say>`)).toBeUndefined();
        // A carriage return is written as a character reference: a parser would otherwise turn it into a line feed.
        if (XML_CHAR.test(text)) expect(escaped.replace(/&(lt|gt|quot|apos|amp|#xD);/g, '')).toBe(text.replace(/[&<>"'\r]/g, ''));
      }),
      RUNS,
    );
  });
});

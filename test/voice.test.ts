import { describe, expect, it } from 'vitest';
import { LANGUAGES, PROMPTS, type Lang } from '../shared/domain/prompts';
import { triage } from '../shared/domain/report';
import {
  SPOKEN_PROMPT_KEYS,
  START,
  buildKeypadLicenceIndex,
  keypadDigits,
  phoneFromKeypad,
  reportFromVoice,
  stateFromQuery,
  stateToQuery,
  voiceStep,
  type Segment,
  type VoiceAction,
  type VoiceData,
  type VoiceInput,
  type VoiceRequest,
  type VoiceState,
} from '../shared/domain/voice';
import { sampleReport } from './support/reports';
import { sampleRegistryEntries, sampleUssdData } from './support/registry';

const settings = { maxRetries: 2, maxRecordingSeconds: 120, inputTimeoutSeconds: 8, dialTimeoutSeconds: [20, 30] };
const cardHash = (digits: string) => `card-${digits.slice(-4)}`;

function data(overrides: Partial<VoiceData> = {}): VoiceData {
  const { registry, today } = sampleUssdData();
  return { registry, today, cardHash, reported: new Map(), ...overrides };
}

function step(state: VoiceState, input: VoiceInput = {}, overrides: Partial<VoiceRequest> = {}) {
  return voiceStep({ state, input, canText: true, settings, data: data(), ...overrides });
}

/** The segments of the actions, flattened: what the caller hears, in order. */
const heard = (actions: readonly VoiceAction[]): Segment[] =>
  actions.flatMap((a) => (a.kind === 'say' || a.kind === 'gather' || a.kind === 'record' ? a.segments : []));
const keysHeard = (actions: readonly VoiceAction[]) => heard(actions).flatMap((s) => (s.kind === 'prompt' ? [`${s.key}:${s.lang}`] : []));
const question = (actions: readonly VoiceAction[]) => actions.find((a) => a.kind === 'gather' || a.kind === 'record' || a.kind === 'dial');
const nextState = (actions: readonly VoiceAction[]) => {
  const q = question(actions);
  return q && 'next' in q ? q.next : undefined;
};

const main = (lang: Lang = 'en'): VoiceState => ({ step: 'main', lang, tries: 0 });

describe('the call state in callback URLs', () => {
  it('round-trips, and a URL without one is a first callback', () => {
    const states: VoiceState[] = [START, main('tg'), { step: 'dial', lang: 'ru', tries: 0, level: 2 }, { step: 'report', lang: 'en', tries: 1, callback: true }];
    for (const state of states) expect(stateFromQuery(stateToQuery(state))).toEqual(state);
    expect(stateFromQuery({})).toEqual(START);
    expect(stateToQuery({ step: 'report', lang: 'tg', tries: 1, callback: false })).toEqual({ s: 'report', l: 'tg', t: '1', c: '0' });
  });

  it('refuses what is not a state', () => {
    for (const query of [{ s: 'admin' }, { s: 'main', l: 'fr' }, { s: 'main', t: '12' }, { s: 'dial', v: '0' }, { s: 'report', c: 'yes' }, { s: 'subscribeMonth', o: '4' }, { s: 'subscribeMonth', d: 'mars' }]) {
      expect(stateFromQuery(query), JSON.stringify(query)).toBeUndefined();
    }
  });
});

describe('language first', () => {
  it('asks a first-time caller in every language, each naming its own key', () => {
    const { actions, effects } = step(START);
    expect(keysHeard(actions)).toEqual(['voice.lang.choose:tg', 'voice.lang.choose:ru', 'voice.lang.choose:en', 'voice.lang.choose:uz', 'voice.lang.choose:ky']);
    expect(question(actions)).toMatchObject({ kind: 'gather', numDigits: 1, next: { step: 'lang', tries: 0 } });
    LANGUAGES.forEach((lang, i) => expect(PROMPTS[lang]['voice.lang.choose' as keyof (typeof PROMPTS)['en']]).toContain(String(i + 1)));
    expect(effects).toEqual([]);
  });

  it('asks a first-time caller from Uzbekistan or Kyrgyzstan in their language first, each key still its own', () => {
    expect(keysHeard(step(START, {}, { homeLang: 'uz' }).actions)).toEqual([
      'voice.lang.choose:uz', 'voice.lang.choose:ru', 'voice.lang.choose:en', 'voice.lang.choose:tg', 'voice.lang.choose:ky',
    ]);
    expect(keysHeard(step(START, {}, { homeLang: 'ky' }).actions)[0]).toBe('voice.lang.choose:ky');
    expect(step({ step: 'lang', tries: 0 }, { digits: '4' }, { homeLang: 'ky' }).effects).toEqual([{ type: 'rememberLanguage', lang: 'uz' }]);
    expect(step({ step: 'lang', tries: 0 }, { digits: '5' }).effects).toEqual([{ type: 'rememberLanguage', lang: 'ky' }]);
    // A remembered choice wins over the country.
    expect(keysHeard(step(START, {}, { storedLang: 'tg', homeLang: 'uz' }).actions)).toEqual(['voice.welcome:tg', 'voice.menu:tg']);
  });

  it('remembers the choice and greets in it', () => {
    const { actions, effects, lang } = step({ step: 'lang', tries: 0 }, { digits: '2' });
    expect(effects).toEqual([{ type: 'rememberLanguage', lang: 'ru' }]);
    expect(lang).toBe('ru');
    expect(keysHeard(actions)).toEqual(['voice.welcome:ru', 'voice.menu:ru']);
    expect(nextState(actions)).toEqual(main('ru'));
  });

  it('greets a known caller in their language, straight to the menu; 9 changes the language', () => {
    const known = step(START, {}, { storedLang: 'tg' });
    expect(keysHeard(known.actions)).toEqual(['voice.welcome:tg', 'voice.menu:tg']);
    expect(keysHeard(step(main('tg'), { digits: '9' }).actions)).toEqual(['voice.lang.choose:tg', 'voice.lang.choose:ru', 'voice.lang.choose:en', 'voice.lang.choose:uz', 'voice.lang.choose:ky']);
  });

  it('takes keys sent to the number’s own URL as the answer to the first question', () => {
    expect(step(START, { digits: '1' }).effects).toEqual([{ type: 'rememberLanguage', lang: 'tg' }]);
    expect(nextState(step(START, { digits: '1' }, { storedLang: 'en' }).actions)).toMatchObject({ step: 'phone', lang: 'en' });
  });
});

describe('no input or a wrong key', () => {
  it('asks again a limited number of times, then says goodbye politely', () => {
    let state: VoiceState = main('en');
    const heardNotices: string[] = [];
    for (const digits of ['8', undefined]) {
      const { actions } = step(state, digits === undefined ? {} : { digits });
      heardNotices.push(keysHeard(actions)[0]!);
      state = nextState(actions)!;
    }
    expect(heardNotices).toEqual(['voice.invalid:en', 'voice.noInput:en']);
    expect(state).toEqual({ ...main('en'), tries: 2 });
    const last = step(state, { digits: '8' });
    expect(keysHeard(last.actions)).toEqual(['voice.giveUp:en', 'voice.goodbye:en']);
    expect(last.actions.at(-1)).toEqual({ kind: 'hangup' });
    expect(last.event).toBe('gave_up');
  });

  it('says the notice in every language before a language is chosen', () => {
    const { actions } = step({ step: 'lang', tries: 0 }, { digits: '7' });
    expect(keysHeard(actions).slice(0, 3)).toEqual(['voice.invalid:tg', 'voice.invalid:ru', 'voice.invalid:en']);
    expect(nextState(actions)).toEqual({ step: 'lang', tries: 1 });
    const gone = step({ step: 'lang', tries: 2 }, {});
    expect(keysHeard(gone.actions)).toContain('voice.goodbye:ru');
  });

  it('ignores what is not a key (Twilio sends Digits=hangup after a Record cut short)', () => {
    expect(keysHeard(step(main(), { digits: 'hangup' }).actions)[0]).toBe('voice.noInput:en');
  });
});

describe('1: checking a phone number', () => {
  it('reads keypad numbers in every usual form', () => {
    const cases: [string, string | undefined][] = [
      ['992900001001', '+992900001001'],
      ['00992900001001', '+992900001001'],
      ['900001001', '+992900001001'],
      ['8900001001', '+992900001001'],
      ['89161234567', '+79161234567'],
      ['447700900123', '+447700900123'],
      ['12345', undefined],
    ];
    for (const [keys, phone] of cases) expect(phoneFromKeypad(keys)?.value, keys).toBe(phone);
  });

  it('asks for the digits then #, looks the number up, and says whose official contact it is', () => {
    const asked = step(main(), { digits: '1' });
    expect(question(asked.actions)).toMatchObject({ kind: 'gather', finishOnKey: '#', next: { step: 'phone' } });
    const first = step({ step: 'phone', lang: 'en', tries: 0 }, { digits: '992900001001' });
    expect(first.needs).toEqual([{ type: 'identifier', identifier: { kind: 'phone', value: '+992900001001' } }]);
    const answer = step({ step: 'phone', lang: 'en', tries: 0 }, { digits: '992900001001' }, {
      data: data({ reported: new Map([['phone:+992900001001', null]]) }),
    });
    expect(answer.needs).toEqual([]);
    const segments = heard(answer.actions);
    expect(segments).toContainEqual({ kind: 'chars', chars: '992900001001', lang: 'en' });
    expect(segments).toContainEqual({ kind: 'text', text: 'Ширкати Ҷаҳонгир Сафар (SAMPLE)', lang: 'en' });
    expect(keysHeard(answer.actions)).toEqual(['voice.phone.typed:en', 'voice.phone.official:en', 'voice.status:en', 'status.licensed:en', 'voice.menu:en']);
    // Counted for the analysts once the answer is whole (not on the round that still looks the number up).
    expect(first.effects).toEqual([]);
    expect(answer.effects).toEqual([{ type: 'verified', kind: 'phone', verdict: 'licensed' }]);
  });

  it('says how many people reported it, once is worded as once, and none is "no record"', () => {
    const ask = (reported: { reporters: number; lastSeen: string } | null) =>
      step({ step: 'phone', lang: 'ru', tries: 0 }, { digits: '+992927000001'.replace('+', '') }, {
        data: data({ reported: new Map([['phone:+992927000001', reported]]) }),
      }).actions;
    const many = ask({ reporters: 4, lastSeen: '2026-11-01' });
    expect(keysHeard(many)).toContain('voice.phone.reported:ru');
    expect(heard(many)).toContainEqual({ kind: 'number', value: 4, lang: 'ru' });
    expect(keysHeard(ask({ reporters: 1, lastSeen: '2026-11-01' }))).toContain('voice.phone.reportedOnce:ru');
    expect(keysHeard(ask(null))).toContain('voice.phone.none:ru');
    const counted = (reported: { reporters: number; lastSeen: string } | null) =>
      step({ step: 'phone', lang: 'ru', tries: 0 }, { digits: '992927000001' }, { data: data({ reported: new Map([['phone:+992927000001', reported]]) }) }).effects;
    expect(counted({ reporters: 4, lastSeen: '2026-11-01' })).toEqual([{ type: 'verified', kind: 'phone', verdict: 'warning' }]);
    expect(counted(null)).toEqual([{ type: 'verified', kind: 'phone', verdict: 'unknown' }]);
  });

  it('warns first: a revoked body’s contact, a confirmed scam and reports come before any "official contact of"', () => {
    const ask = (digits: string, reported: { reporters: number; lastSeen: string; confirmedOn?: string } | null) =>
      step({ step: 'phone', lang: 'en', tries: 0 }, { digits }, { data: data({ reported: new Map([[`phone:+${digits}`, reported]]) }) }).actions;
    // +992900001003 is the sample registry's revoked agency (Ҷаҳонгир Тур).
    const revoked = ask('992900001003', null);
    expect(keysHeard(revoked)).toEqual(['voice.phone.typed:en', 'voice.phone.officialWarning:en', 'voice.status:en', 'status.revoked:en', 'voice.licence.warning:en', 'voice.menu:en']);
    expect(heard(revoked)).toContainEqual({ kind: 'text', text: 'Ҷаҳонгир Тур (SAMPLE)', lang: 'en' });
    // A licensed agency's number that people reported: the reports first, then whose it is.
    expect(keysHeard(ask('992900001001', { reporters: 3, lastSeen: '2026-11-01' }))).toEqual([
      'voice.phone.typed:en',
      'voice.phone.reported:en',
      'voice.phone.reportedAdvice:en',
      'voice.phone.official:en',
      'voice.status:en',
      'status.licensed:en',
      'voice.menu:en',
    ]);
  });

  it('says "confirmed scam" with the date for a number officers confirmed, instead of the count of reports', () => {
    const actions = step({ step: 'phone', lang: 'tg', tries: 0 }, { digits: '992927000002' }, {
      data: data({ reported: new Map([['phone:+992927000002', { reporters: 4, lastSeen: '2026-11-20', confirmedOn: '2026-11-24' }]]) }),
    }).actions;
    expect(keysHeard(actions)).toEqual(['voice.phone.typed:tg', 'voice.phone.confirmed:tg', 'voice.phone.reportedAdvice:tg', 'voice.menu:tg']);
    expect(heard(actions)).toContainEqual({ kind: 'text', text: '24.11.2026', lang: 'tg' });
    // Confirmed with no report at all (the officers knew it from elsewhere): still the warning, never "no record".
    const only = step({ step: 'phone', lang: 'en', tries: 0 }, { digits: '992927000003' }, {
      data: data({ reported: new Map([['phone:+992927000003', { reporters: 0, lastSeen: '', confirmedOn: '2026-11-24' }]]) }),
    }).actions;
    expect(keysHeard(only)).not.toContain('voice.phone.none:en');
    expect(keysHeard(only)[1]).toBe('voice.phone.confirmed:en');
  });

  it('asks again when the digits are not a phone number', () => {
    const { actions } = step({ step: 'phone', lang: 'en', tries: 0 }, { digits: '123' });
    expect(keysHeard(actions)).toEqual(['voice.phone.invalid:en', 'voice.phone.prompt:en']);
  });
});

describe('2: checking a licence number on the keypad', () => {
  const licences = buildKeypadLicenceIndex(sampleRegistryEntries());

  it('types letters as the keys that carry them (Latin and Cyrillic keypads)', () => {
    expect(keypadDigits('SAMPLE-TJ-0001')).toBe('726753850001');
    expect(keypadDigits('ҶДММ-12')).toBe('735512');
    expect(licences.find('726753850001').map((e) => e.licenceNumber)).toEqual(['SAMPLE-TJ-0001']);
    // Its digits alone match every licence with those digits: 0002 is a Tajik, an Uzbek and a Kyrgyz sample.
    expect(licences.find('726753850002').map((e) => e.licenceNumber)).toEqual(['SAMPLE-TJ-0002']);
    expect(licences.find('0002').map((e) => e.licenceNumber).sort()).toEqual(['SAMPLE-KG-0002', 'SAMPLE-TJ-0002', 'SAMPLE-UZ-0002']);
    expect(licences.find('999')).toEqual([]);
  });

  it('says whose licence it is and its status, with the advice that fits', () => {
    const state: VoiceState = { step: 'licence', lang: 'en', tries: 0 };
    expect(step(state, { digits: '0001' }).needs).toEqual([{ type: 'licences' }]);
    const valid = step(state, { digits: '726753850001' }, { data: data({ licences }) });
    expect(keysHeard(valid.actions)).toEqual(['voice.licence.found:en', 'voice.status:en', 'status.licensed:en', 'voice.licence.licensedAdvice:en', 'voice.menu:en']);
    const revoked = step(state, { digits: '726753850002' }, { data: data({ licences }) });
    expect(keysHeard(revoked.actions)).toEqual(['voice.licence.found:en', 'voice.status:en', 'status.revoked:en', 'voice.licence.warning:en', 'voice.menu:en']);
    expect(keysHeard(step(state, { digits: '4444' }, { data: data({ licences }) }).actions)[0]).toBe('voice.licence.none:en');
    expect(keysHeard(step(state, { digits: '4444' }, { data: data({ licences: null }) }).actions)[0]).toBe('voice.unavailable:en');
    expect(keysHeard(step(state, { digits: '12' }).actions)[0]).toBe('voice.licence.invalid:en');
    // Each answered check is counted for the analysts by what it told, as a name check is.
    const counted = (digits: string, found: typeof licences | null) => step(state, { digits }, { data: data({ licences: found }) }).effects;
    expect(counted('726753850001', licences)).toEqual([{ type: 'verified', kind: 'name', verdict: 'licensed' }]);
    expect(counted('726753850002', licences)).toEqual([{ type: 'verified', kind: 'name', verdict: 'warning' }]);
    expect(counted('4444', licences)).toEqual([{ type: 'verified', kind: 'name', verdict: 'unknown' }]);
    expect(counted('4444', null)).toEqual([{ type: 'verified', kind: 'name', verdict: 'unclear' }]);
    expect(step(state, { digits: '0001' }).effects).toEqual([]);
  });
});

describe('3: a report left as a message', () => {
  const recording = { url: 'https://api.twilio.com/recordings/RE1', durationSeconds: 37 };

  it('asks for consent to a call-back, then to sharing (apart), then records after the beep', () => {
    expect(question(step(main('tg'), { digits: '3' }).actions)).toMatchObject({ kind: 'gather', next: { step: 'consent', lang: 'tg' } });
    const sharing = question(step({ step: 'consent', lang: 'tg', tries: 0 }, { digits: '1' }).actions);
    expect(sharing).toMatchObject({
      kind: 'gather',
      segments: [{ kind: 'prompt', key: 'voice.report.sharing', lang: 'tg' }],
      next: { step: 'sharing', lang: 'tg', tries: 0, callback: true },
    });
    const record = question(step({ step: 'sharing', lang: 'tg', tries: 0, callback: true }, { digits: '2' }).actions);
    expect(record).toEqual({
      kind: 'record',
      segments: [{ kind: 'prompt', key: 'voice.report.prompt', lang: 'tg' }],
      next: { step: 'report', lang: 'tg', tries: 0, callback: true, share: false },
      maxSeconds: 120,
    });
    const recorded = step(record!.next, { recording });
    expect(recorded.effects).toEqual([{ type: 'submitReport', lang: 'tg', recording, callbackConsent: true, sharingConsent: false }]);
  });

  it('asks again when nothing was recorded', () => {
    const { actions } = step({ step: 'report', lang: 'en', tries: 0, callback: false }, {});
    expect(keysHeard(actions)).toEqual(['voice.report.empty:en', 'voice.report.prompt:en']);
  });

  it('submits the recording, then reads the reference out twice and says it comes by SMS', () => {
    const state: VoiceState = { step: 'report', lang: 'ru', tries: 0, callback: true };
    const first = step(state, { recording });
    expect(first.effects).toEqual([{ type: 'submitReport', lang: 'ru', recording, callbackConsent: true }]);
    const report = sampleReport({ reference: 'K7QX3M', channel: 'voice' });
    const after = step(state, { recording }, { data: data({ submitted: { saved: true, report } }) });
    expect(after.effects).toEqual([]);
    expect(heard(after.actions).filter((s) => s.kind === 'chars')).toEqual([
      { kind: 'chars', chars: 'K7QX3M', lang: 'ru' },
      { kind: 'chars', chars: 'K7QX3M', lang: 'ru' },
    ]);
    expect(keysHeard(after.actions)).toEqual(['voice.report.received:ru', 'voice.report.repeat:ru', 'voice.report.sms:ru', 'voice.goodbye:ru']);
    expect(after.actions.at(-1)).toEqual({ kind: 'hangup' });
    const withheld = step(state, { recording }, { canText: false, data: data({ submitted: { saved: true, report } }) });
    expect(keysHeard(withheld.actions)).not.toContain('voice.report.sms:ru');
    const failed = step(state, { recording }, { data: data({ submitted: { saved: false, journaled: false, referenceBySms: false } }) });
    expect(keysHeard(failed.actions)).toEqual(['voice.report.failed:ru', 'voice.goodbye:ru']);
    // Journaled: kept, the reference follows by SMS; nothing asks the caller to call again.
    const kept = step(state, { recording }, { data: data({ submitted: { saved: false, journaled: true, referenceBySms: true } }) });
    expect(keysHeard(kept.actions)).toEqual(['voice.report.kept:ru', 'voice.report.keptSms:ru', 'voice.goodbye:ru']);
    const keptSilently = step(state, { recording }, { canText: false, data: data({ submitted: { saved: false, journaled: true, referenceBySms: false } }) });
    expect(keysHeard(keptSilently.actions)).toEqual(['voice.report.kept:ru', 'voice.goodbye:ru']);
  });

  it('takes a recording reaching the number’s own URL as a report in the caller’s language', () => {
    expect(step(START, { recording }, { storedLang: 'en' }).effects).toEqual([
      { type: 'submitReport', lang: 'en', recording, callbackConsent: false },
    ]);
  });

  it('makes a voice report: the recording, no text; urgent ones are urgent by triage, with consent', () => {
    const plain = reportFromVoice({ type: 'submitReport', lang: 'tg', recording, callbackConsent: false }, true);
    expect(plain).toEqual({
      channel: 'voice',
      lang: 'tg',
      category: 'other',
      paid: 'unknown',
      identifiers: [],
      callbackConsent: false,
      recordingUrl: recording.url,
      recordingDurationSeconds: 37,
    });
    const urgent = reportFromVoice({ type: 'startEscalation', lang: 'tg', recording: { url: recording.url } }, true);
    expect(urgent).toMatchObject({ category: 'abroad_in_trouble', callbackConsent: true });
    // A withheld number (the provider's placeholder) never consents, even to the urgent call-back it was promised.
    expect(reportFromVoice({ type: 'startEscalation', lang: 'tg', recording: { url: recording.url } }, false).callbackConsent).toBe(false);
    expect(reportFromVoice({ type: 'submitReport', lang: 'tg', recording, callbackConsent: true }, false).callbackConsent).toBe(false);
    expect(urgent).not.toHaveProperty('recordingDurationSeconds');
    const context = { amountThresholdUsd: 500, otherReportersOfSameIdentifiers: 0, campaignThreshold: 3 };
    expect(triage(urgent, context).urgent).toBe(true);
    expect(triage(plain, context).urgent).toBe(false);
  });
});

describe('4: urgent help', () => {
  const onCall = [['+992900009101', '+992900009102'], ['+992900009103'], ['+992900009104']];
  const withOfficers = { data: data({ onCall }) };

  it('rings the officers level by level, each with its own timeout', () => {
    expect(step(main('tg'), { digits: '4' }).needs).toEqual([{ type: 'onCall' }]);
    const first = step(main('tg'), { digits: '4' }, withOfficers);
    expect(keysHeard(first.actions)).toEqual(['voice.urgent.connecting:tg']);
    expect(question(first.actions)).toEqual({
      kind: 'dial',
      numbers: ['+992900009101', '+992900009102'],
      timeoutSeconds: 20,
      next: { step: 'dial', lang: 'tg', tries: 0, level: 1 },
    });
    const second = step({ step: 'dial', lang: 'tg', tries: 0, level: 1 }, { dialAnswered: false }, withOfficers);
    expect(keysHeard(second.actions)).toEqual(['voice.urgent.next:tg']);
    expect(question(second.actions)).toMatchObject({ kind: 'dial', numbers: ['+992900009103'], timeoutSeconds: 30, next: { level: 2 } });
    // Africa's Talking says nothing after a Dial nobody picked up: the same as no answer.
    const third = step({ step: 'dial', lang: 'tg', tries: 0, level: 2 }, {}, withOfficers);
    expect(question(third.actions)).toMatchObject({ kind: 'dial', numbers: ['+992900009104'], timeoutSeconds: 30, next: { level: 3 } });
  });

  it('takes a message when nobody answers, and starts the escalation with it', () => {
    const none = step({ step: 'dial', lang: 'en', tries: 0, level: 3 }, { dialAnswered: false }, withOfficers);
    expect(none.event).toBe('officers_unanswered');
    expect(question(none.actions)).toMatchObject({ kind: 'record', next: { step: 'urgent', lang: 'en' }, segments: [{ key: 'voice.urgent.message' }] });
    const recording = { url: 'https://example.org/rec.mp3', durationSeconds: 12 };
    const message = step({ step: 'urgent', lang: 'en', tries: 0 }, { recording });
    expect(message.effects).toEqual([{ type: 'startEscalation', lang: 'en', recording }]);
    const report = sampleReport({ reference: 'ABC234', channel: 'voice', category: 'abroad_in_trouble' });
    const done = step({ step: 'urgent', lang: 'en', tries: 0 }, { recording }, { data: data({ submitted: { saved: true, report } }) });
    expect(keysHeard(done.actions)).toEqual(['voice.urgent.received:en', 'voice.report.repeat:en', 'voice.report.sms:en', 'voice.urgent.danger:en', 'voice.goodbye:en']);
  });

  it('ends politely when an officer took the call', () => {
    const answered = step({ step: 'dial', lang: 'ru', tries: 0, level: 1 }, { dialAnswered: true }, withOfficers);
    expect(answered.event).toBe('officer_answered');
    expect(keysHeard(answered.actions)).toEqual(['voice.urgent.ended:ru', 'voice.goodbye:ru']);
    expect(answered.actions.at(-1)).toEqual({ kind: 'hangup' });
  });

  it('goes straight to the message when nobody is on call', () => {
    const result = step(main('ru'), { digits: '4' }, { data: data({ onCall: [] }) });
    expect(result.event).toBe('no_officer_on_call');
    expect(question(result.actions)).toMatchObject({ kind: 'record', next: { step: 'urgent' } });
  });
});

describe('5: safe migration advice', () => {
  it('reads the advice texts shared with USSD and SMS, then offers the list again; 0 is the main menu', () => {
    const menu = step(main('tg'), { digits: '5' });
    expect(keysHeard(menu.actions)).toEqual(['voice.advice.menu:tg']);
    const advice: VoiceState = { step: 'advice', lang: 'tg', tries: 0 };
    expect(keysHeard(step(advice, { digits: '2' }).actions)).toEqual(['advice.nofees.text:tg', 'voice.advice.menu:tg']);
    expect(keysHeard(step(advice, { digits: '5' }).actions)).toEqual(['advice.russia.text:tg', 'voice.advice.menu:tg']);
    expect(keysHeard(step(advice, { digits: '0' }).actions)).toEqual(['voice.menu:tg']);
    expect(keysHeard(step(advice, { digits: '7' }).actions)[0]).toBe('voice.invalid:tg');
  });
});

describe('7: scam alerts by SMS', () => {
  it('offers the topics as USSD does; alerts alone subscribe at once, with the consent in the call’s language', () => {
    const offered = step(main('tg'), { digits: '7' });
    expect(keysHeard(offered.actions)).toEqual(['voice.subscribe.menu:tg']);
    expect(nextState(offered.actions)).toEqual({ step: 'subscribe', lang: 'tg', tries: 0 });
    const alerts = step({ step: 'subscribe', lang: 'tg', tries: 0 }, { digits: '1' });
    expect(alerts.effects).toEqual([{ type: 'subscribe', choice: { topics: ['scam_alerts'] }, lang: 'tg' }]);
    expect(keysHeard(alerts.actions)).toEqual(['voice.subscribe.done:tg', 'voice.menu:tg']);
  });

  it('tips ask the destination and the month (six digits, or # alone for not known yet)', () => {
    const tips = step({ step: 'subscribe', lang: 'ru', tries: 0 }, { digits: '3' });
    expect(tips.effects).toEqual([]);
    expect(nextState(tips.actions)).toEqual({ step: 'subscribeDestination', lang: 'ru', tries: 0, choice: 3 });
    const destination = step(nextState(tips.actions)!, { digits: '2' });
    const monthState = nextState(destination.actions)!;
    expect(monthState).toEqual({ step: 'subscribeMonth', lang: 'ru', tries: 0, choice: 3, destination: 'russia' });
    expect(question(destination.actions)).toMatchObject({ finishOnKey: '#' });
    // The state travels in the callback URL.
    expect(stateFromQuery(stateToQuery(monthState))).toEqual(monthState);
    expect(step(monthState, { digits: '032027' }).effects).toEqual([
      { type: 'subscribe', choice: { topics: ['scam_alerts', 'departure_tips', 'uk_scheme'], destination: 'russia', departureMonth: '2027-03' }, lang: 'ru' },
    ]);
    expect(step(monthState, {}).effects).toEqual([
      { type: 'subscribe', choice: { topics: ['scam_alerts', 'departure_tips', 'uk_scheme'], destination: 'russia' }, lang: 'ru' },
    ]);
    const wrong = step(monthState, { digits: '132027' });
    expect(wrong.effects).toEqual([]);
    expect(nextState(wrong.actions)).toEqual({ ...monthState, tries: 1 });
  });

  it('4 stops every message; 0 is the main menu; a withheld number is told it cannot be texted', () => {
    const stop = step({ step: 'subscribe', lang: 'en', tries: 0 }, { digits: '4' });
    expect(stop.effects).toEqual([{ type: 'unsubscribe', lang: 'en' }]);
    expect(keysHeard(stop.actions)).toEqual(['voice.subscribe.stopped:en', 'voice.menu:en']);
    expect(keysHeard(step({ step: 'subscribe', lang: 'en', tries: 0 }, { digits: '0' }).actions)).toEqual(['voice.menu:en']);
    const withheld = step(main('en'), { digits: '7' }, { canText: false });
    expect(keysHeard(withheld.actions)).toEqual(['voice.subscribe.noSms:en', 'voice.menu:en']);
    expect(withheld.effects).toEqual([]);
  });

  it('the main menu names key 7 in every language', () => {
    for (const lang of LANGUAGES) expect(PROMPTS[lang]['voice.menu']).toContain('7');
  });
});

describe('voice prompts', () => {
  it('every prompt the line can speak is listed for recording', () => {
    // Walk every question with every key, in every language.
    const spoken = new Set<string>();
    const walk = (state: VoiceState, extra: Partial<VoiceRequest> = {}) => {
      for (const input of [{}, ...['0', '1', '2', '3', '4', '5', '7', '9', '#', '032027'].map((digits) => ({ digits }))]) {
        for (const s of heard(step(state, input, extra).actions)) if (s.kind === 'prompt') spoken.add(s.key);
      }
    };
    const onCall = { data: data({ onCall: [['+992900009101']], licences: buildKeypadLicenceIndex(sampleRegistryEntries()) }) };
    for (const lang of LANGUAGES) {
      for (const s of ['main', 'phone', 'licence', 'consent', 'report', 'urgent', 'advice', 'dial', 'subscribe', 'subscribeDestination', 'subscribeMonth'] as const) {
        walk({ step: s, lang, tries: 0 }, onCall);
      }
      walk(main(lang), { canText: false });
      walk({ step: 'main', lang, tries: 2 }, onCall);
    }
    walk(START);
    for (const key of spoken) expect(SPOKEN_PROMPT_KEYS).toContain(key);
  });

  it('have a text in every language (until prompts-voice-draft.json is merged into prompts/*.json, this fails)', () => {
    for (const lang of LANGUAGES) {
      const texts = PROMPTS[lang] as Record<string, string | undefined>;
      for (const key of SPOKEN_PROMPT_KEYS) expect(texts[key]?.trim(), `${lang} ${key}`).toBeTruthy();
    }
  });
});

/**
 * Officers' SMS commands as pure functions: parsing (a table), and the replies and effects for each command.
 */
import { describe, expect, it } from 'vitest';
import { onAck, start, type EscalationState, type RotaOfficer } from '../shared/domain/escalation';
import {
  dutyReply,
  infoText,
  isOfficerCommand,
  maskNumbers,
  OFFICER_SMS_MAX_PARTS,
  parseOfficerCommand,
  reportCommandReply,
  whoText,
} from '../shared/domain/officer';
import { LANGUAGES, PROMPTS } from '../shared/domain/prompts';
import type { Report } from '../shared/domain/report';
import { smsParts } from '../shared/domain/screen';

const T0 = Date.parse('2026-11-25T08:00:00.000Z');
/** The officer's code for the case, as the shell would compute it. */
const CODE = '482193';
const settings = { ackTimeoutSeconds: 600, repeatCount: 2, codeFor: () => CODE };
/** The officer's duty codes now: the one accepted this hour and the last hour's. */
const DUTY_CODES = { accepted: ['111111', '222222'], offered: '111111' };

const ROTA: RotaOfficer[] = [
  { key: 'aziz', name: 'Aziz', role: 'officer', languages: ['tg', 'ru'], level: 1, onDuty: true },
  { key: 'emma', name: 'Emma', role: 'officer', languages: ['en'], level: 1, onDuty: true },
  { key: 'farrukh', name: 'Farrukh', role: 'officer', languages: ['ru'], level: 2, onDuty: false },
  { key: 'malika', name: 'Malika', role: 'supervisor', languages: ['en', 'ru'], level: 3, onDuty: true },
];
const [AZIZ, EMMA, , MALIKA] = ROTA as [RotaOfficer, RotaOfficer, RotaOfficer, RotaOfficer];

const report: Report = {
  reference: 'K7RX3M',
  channel: 'sms',
  lang: 'ru',
  category: 'job_offer',
  paid: 'yes',
  amount: { value: 500, currency: 'USD' },
  freeText: 'Они взяли 500 долларов, звоните мне +992 90 123 4567, их номер +992927001122, карта 4111 1111 1111 1111',
  identifiers: [
    { kind: 'phone', value: '+992927001122' },
    { kind: 'handle', value: 'uk_jobs_fast' },
    { kind: 'card', hash: 'h', last4: '1111' },
  ],
  callbackConsent: true,
  urgency: { urgent: true, reasons: ['large_amount'] },
  status: 'escalated',
  createdAt: '2026-11-25T07:58:12.000Z',
  updatedAt: '2026-11-25T07:58:12.000Z',
  reporterKey: 'reporter',
};

describe('parseOfficerCommand', () => {
  const table: [string, ReturnType<typeof parseOfficerCommand>][] = [
    ['ACK K7RX3M', { name: 'ack', reference: 'K7RX3M' }],
    ['ack k7rx3m', { name: 'ack', reference: 'K7RX3M' }],
    ['  Ack: K7R X3M. ', { name: 'ack', reference: 'K7RX3M' }],
    // Cyrillic look-alikes typed on a Russian keyboard.
    ['ACK К7RХЗМ', { name: 'ack', reference: 'K7RX3M' }],
    ['ACK', { name: 'usage', command: 'ack', typed: '' }],
    ['ACK hello', { name: 'badReference', typed: 'hello' }],
    ['DONE K7RX3M', { name: 'done', reference: 'K7RX3M', note: undefined }],
    ['done K7RX3M card blocked, agency warned', { name: 'done', reference: 'K7RX3M', note: 'card blocked, agency warned' }],
    ['REFER K7RX3M POLICE', { name: 'refer', reference: 'K7RX3M', body: 'police', note: undefined }],
    ['refer k7rx3m iom needs shelter', { name: 'refer', reference: 'K7RX3M', body: 'iom', note: 'needs shelter' }],
    ['REFER K7RX3M полиция', { name: 'refer', reference: 'K7RX3M', body: 'police', note: undefined }],
    ['REFER K7RX3M ВАЗОРАТ скриншоты', { name: 'refer', reference: 'K7RX3M', body: 'ministry', note: 'скриншоты' }],
    ['REFER K7RX3M', { name: 'usage', command: 'refer', typed: '' }],
    ['REFER K7RX3M interpol', { name: 'usage', command: 'refer', typed: 'interpol' }],
    ['NOTE K7RX3M called the agency', { name: 'note', reference: 'K7RX3M', text: 'called the agency' }],
    ['NOTE K7RX3M', { name: 'usage', command: 'note', typed: 'K7RX3M' }],
    ['INFO K7RX3M', { name: 'info', reference: 'K7RX3M' }],
    ['INFO', { name: 'usage', command: 'info', typed: '' }],
    ['CALL K7RX3M', { name: 'call', reference: 'K7RX3M' }],
    // The code follows the reference (or ON and OFF).
    ['ACK K7RX3M 482193', { name: 'ack', reference: 'K7RX3M', code: '482193' }],
    ['ack k7r x3m 482193.', { name: 'ack', reference: 'K7RX3M', code: '482193' }],
    ['DONE K7RX3M 482193 card blocked', { name: 'done', reference: 'K7RX3M', code: '482193', note: 'card blocked' }],
    ['REFER K7RX3M 482193 POLICE', { name: 'refer', reference: 'K7RX3M', code: '482193', body: 'police', note: undefined }],
    ['NOTE K7RX3M 482193 rang them', { name: 'note', reference: 'K7RX3M', code: '482193', text: 'rang them' }],
    ['CALL K7RX3M 482193', { name: 'call', reference: 'K7RX3M', code: '482193' }],
    ['ON 482193', { name: 'on', code: '482193' }],
    ['off 482193', { name: 'off', code: '482193' }],
    ['ON 4821', undefined],
    ['ON', { name: 'on' }],
    ['off.', { name: 'off' }],
    ['Who?', { name: 'who' }],
    ['on my way', undefined],
    ['HELP', undefined],
    ['REPORT they took my passport', undefined],
    ['ACKNOWLEDGE K7RX3M', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of table) {
    it(`reads ${JSON.stringify(text)}`, () => {
      expect(parseOfficerCommand(text)).toEqual(expected);
      expect(isOfficerCommand(text)).toBe(expected !== undefined);
    });
  }

  it('keeps a note to 500 characters', () => {
    const parsed = parseOfficerCommand(`NOTE K7RX3M ${'x'.repeat(900)}`);
    expect(parsed).toMatchObject({ name: 'note' });
    expect((parsed as { text: string }).text).toHaveLength(500);
  });
});

describe('replies about a report', () => {
  const paging = () => start(report, ROTA, settings, T0).state;
  const context = (state: EscalationState | undefined, overrides = {}) => ({ report, state, callbackAvailable: true, code: CODE, ...overrides });
  const reply = (text: string, by: RotaOfficer, state: EscalationState | undefined = paging(), overrides = {}) =>
    reportCommandReply(parseOfficerCommand(text) as never, by, ROTA, context(state, overrides), T0 + 60_000);

  it('ACK: confirmed in the officer’s first language, with the transition to write', () => {
    const english = reply('ACK K7RX3M 482193', EMMA);
    expect(english.text).toBe(
      'K7RX3M is yours; paging stopped and the reporter is told. Details: INFO K7RX3M. When done: DONE K7RX3M 482193 note.',
    );
    expect(english.transition?.state).toMatchObject({ status: 'acknowledged', acknowledgedBy: { key: 'emma' } });
    expect(reply('ACK K7RX3M 482193', AZIZ).text).toMatch(/^K7RX3M аз они шумо;/);
  });

  it('a second ACK: "already acknowledged by NAME", and nothing to write', () => {
    const acked = onAck(paging(), report, EMMA, ROTA, T0);
    if (acked.outcome !== 'taken') throw new Error(acked.outcome);
    const second = reply('ACK K7RX3M 482193', MALIKA, acked.transition.state);
    expect(second).toEqual({ text: 'K7RX3M was already acknowledged by Emma.', effects: [] });
    expect(reply('ACK K7RX3M 482193', AZIZ, acked.transition.state).text).toBe('K7RX3M-ро аллакай Emma қабул кардааст.');
  });

  it('an unknown reference, or something that is not one: "unknown reference"', () => {
    expect(reportCommandReply({ name: 'ack', reference: 'ZZZZZZ' }, EMMA, ROTA, { report: undefined, state: undefined, callbackAvailable: false, code: CODE }, T0))
      .toEqual({ text: 'Unknown reference ZZZZZZ. Check it and try again.', refused: true, effects: [] });
    expect(reply('DONE hello', EMMA).text).toBe('Unknown reference hello. Check it and try again.');
  });

  it('DONE, REFER, NOTE confirm; closed cases say so', () => {
    const done = reply('DONE K7RX3M 482193 card blocked', EMMA);
    expect(done.text).toBe('K7RX3M closed. Thank you.');
    expect(done.transition?.state.status).toBe('closed');
    expect(reply('ACK K7RX3M 482193', MALIKA, done.transition!.state).text).toBe('K7RX3M is already closed (by Emma).');
    expect(reply('REFER K7RX3M 482193 POLICE', EMMA).text).toBe('K7RX3M referred to the police cyber unit.');
    expect(reply('REFER K7RX3M 482193 POLICE', AZIZ).text).toBe('K7RX3M ба шӯъбаи киберии милиса дода шуд.');
    expect(reply('NOTE K7RX3M 482193 rang the agency', EMMA)).toEqual({
      text: 'Note added to K7RX3M.',
      effects: [{ type: 'audit', action: 'note', actor: { key: 'emma', name: 'Emma' }, detail: { note: 'rang the agency' } }],
    });
  });

  it('usage: a short how-to per command; INFO alone lists the commands', () => {
    expect(reply('REFER K7RX3M 482193 interpol', EMMA).text).toBe(
      'Write REFER, the reference and POLICE, MINISTRY, IOM or EMBASSY, then a note, e.g. REFER 7K3R9M POLICE.',
    );
    expect(reply('ACK', EMMA).text).toBe('Write ACK and the reference, e.g. ACK 7K3R9M.');
    expect(reply('INFO', EMMA).text).toMatch(/^Officer commands: ACK ref code, DONE ref code note, /);
  });

  it('CALL: asks the shell to bridge the call, refused without consent or to a non-holder', () => {
    const call = reply('CALL K7RX3M 482193', EMMA);
    expect(call.text).toBe(
      "Calling you now to connect you to the reporter of K7RX3M: answer your phone. Neither of you sees the other's number.",
    );
    expect(call.transition?.effects).toContainEqual({ type: 'bridgeCall', officerKey: 'emma' });
    expect(reply('CALL K7RX3M 482193', EMMA, paging(), { callbackAvailable: false }).text).toBe(
      'The reporter of K7RX3M did not agree to a call-back (or the number is no longer kept): no call is possible.',
    );
    const taken = call.transition!.state;
    expect(reply('CALL K7RX3M 482193', AZIZ, taken).text).toBe('K7RX3M-ро Emma пеш мебарад: танҳо ӯ ё роҳбар ба шикояткунанда занг зада метавонад.');
    expect(reply('CALL K7RX3M 482193', MALIKA, taken).text).toMatch(/^Calling you now to connect you to the reporter of K7RX3M/);
  });

  it('INFO: the summary, the scammer’s identifiers and the words with numbers hidden, never the reporter’s number', () => {
    const info = reply('INFO K7RX3M', EMMA);
    expect(info.effects).toEqual([{ type: 'audit', action: 'info', actor: { key: 'emma', name: 'Emma' } }]);
    expect(info.text).toMatch(
      /^K7RX3M: paging, not acknowledged\. fake job offer, 500 USD, paid\. Why: large amount\. Reporter speaks Russian; call-back allowed\. By SMS, 2026-11-25 07:58 UTC\. Named: \+992927001122, @uk_jobs_fast, \*\*\*\*1111\. Says: "/,
    );
    expect(info.text).not.toMatch(/90 123 4567|901234567|4111 1111/);
    expect(info.text).toContain('***');
    for (const lang of LANGUAGES) {
      expect(smsParts(infoText(lang, { ...report, freeText: 'слово '.repeat(300) }, undefined, true)), lang).toBeLessThanOrEqual(OFFICER_SMS_MAX_PARTS);
    }
  });

  it('hides long digit runs only', () => {
    expect(maskNumbers('paid 3000 somoni to +992 90-123-45-67 and card 4111111111111111')).toBe('paid 3000 somoni to *** and card ***');
  });
});

describe('the code and the case: a forged sender changes nothing', () => {
  const paging = () => start(report, ROTA, settings, T0).state;
  const reply = (text: string, by: RotaOfficer, state: EscalationState | undefined = paging()) =>
    reportCommandReply(parseOfficerCommand(text) as never, by, ROTA, { report, state, callbackAvailable: true, code: CODE }, T0 + 60_000);

  it('a command that changes a case without its code changes nothing: the officer is sent the command to send back', () => {
    for (const [text, back] of [
      ['ACK K7RX3M', 'ACK K7RX3M 482193'],
      ['DONE K7RX3M card blocked', 'DONE K7RX3M 482193 card blocked'],
      ['REFER K7RX3M полиция screenshots', 'REFER K7RX3M 482193 POLICE screenshots'],
      ['NOTE K7RX3M rang them', 'NOTE K7RX3M 482193 rang them'],
      ['CALL K7RX3M', 'CALL K7RX3M 482193'],
    ]) {
      const answer = reply(text!, EMMA);
      expect(answer).toEqual({
        text: `To confirm, reply: ${back}. If you did not send this, tell your supervisor.`,
refused: true,
        effects: [{ type: 'audit', action: 'code_requested', actor: { key: 'emma', name: 'Emma' }, detail: { command: text!.split(' ')[0]!.toLowerCase() } }],
      });
      // The command sent back is read as the command with its code.
      expect(parseOfficerCommand(back!)).toMatchObject({ ...parseOfficerCommand(text!), code: CODE });
    }
  });

  it('a wrong code changes nothing, is answered in the officer’s language and recorded', () => {
    expect(reply('ACK K7RX3M 000000', AZIZ)).toEqual({
      text: 'Рамз нодуруст. Барои тасдиқ ҷавоб диҳед: ACK K7RX3M 482193. Агар ин шумо набошед, ба роҳбар хабар диҳед.',
refused: true,
      effects: [{ type: 'audit', action: 'code_rejected', actor: { key: 'aziz', name: 'Aziz' }, detail: { command: 'ack' } }],
    });
  });

  it('INFO needs no code, but an officer reads and acts only on the cases of their level or paged or given to them', () => {
    const farrukh = { ...ROTA[2]!, onDuty: true };
    // Paging level 1: Farrukh (level 2) was never paged.
    for (const text of ['INFO K7RX3M', 'ACK K7RX3M 482193', 'DONE K7RX3M 482193']) {
      expect(reply(text, farrukh)).toEqual({
        text: 'K7RX3M — не ваше дело (не ваш уровень и не назначено вам). Обратитесь к руководителю.',
refused: true,
        effects: [{ type: 'audit', action: 'denied', actor: { key: 'farrukh', name: 'Farrukh' }, detail: { command: text.split(' ')[0]!.toLowerCase() } }],
      });
    }
    // The supervisor always may; a report never escalated belongs to level 1.
    expect(reply('INFO K7RX3M', MALIKA).text).toMatch(/^K7RX3M: paging/);
    expect(reply('ACK K7RX3M 482193', EMMA, undefined).transition?.state.acknowledgedBy?.key).toBe('emma');
    expect(reply('ACK K7RX3M 482193', farrukh, undefined).text).toMatch(/не ваше дело/);
  });

  it('ON and OFF need the duty code (this hour’s or the last); WHO does not', () => {
    const context = { rota: ROTA, codes: DUTY_CODES, open: [] };
    expect(dutyReply({ name: 'off' }, EMMA, context)).toEqual({
      text: 'To confirm, reply: OFF 111111. If you did not send this, tell your supervisor.',
refused: true,
      effects: [{ type: 'audit', action: 'code_requested', actor: { key: 'emma', name: 'Emma' }, detail: { command: 'off' } }],
    });
    expect(dutyReply({ name: 'on', code: '333333' }, EMMA, context).text).toBe(
      'Wrong code. To confirm, reply: ON 111111. If you did not send this, tell your supervisor.',
    );
    expect(dutyReply({ name: 'off', code: '222222' }, EMMA, context).effects).toContainEqual({ type: 'setDuty', onDuty: false });
    expect(dutyReply({ name: 'who' }, EMMA, context).text).toMatch(/^On duty:/);
  });

  it('ON lists only the open cases the officer may take', () => {
    const atLevel2 = { ...paging(), reference: 'AB2C3D', level: 2, paged: [], notified: [] };
    const reply = dutyReply({ name: 'on', code: '111111' }, EMMA, {
      rota: ROTA,
      codes: DUTY_CODES,
      open: [
        { reference: 'K7RX3M', state: paging() },
        { reference: 'AB2C3D', state: atLevel2 },
      ],
    });
    expect(reply.text).toBe('Emma, you are on duty (level 1). Text OFF when you stop. Not acknowledged: K7RX3M. Reply ACK and the reference.');
  });
});

describe('ON, OFF, WHO', () => {
  it('WHO lists who is on duty per level; with nobody on duty it names the supervisors', () => {
    expect(whoText('en', ROTA)).toBe('On duty: level 1: Aziz, Emma; level 3: Malika.');
    expect(whoText('ru', ROTA.map((o) => ({ ...o, onDuty: false })))).toBe(
      'Никто не дежурит: срочные сообщения идут руководителям (Malika).',
    );
    expect(dutyReply({ name: 'who' }, EMMA, { rota: ROTA, codes: DUTY_CODES, open: [] }).effects).toEqual([
      { type: 'audit', action: 'who', actor: { key: 'emma', name: 'Emma' } },
    ]);
  });

  it('ON puts the officer on duty and lists cases nobody has acknowledged', () => {
    const reply = dutyReply({ name: 'on', code: '111111' }, EMMA, { rota: ROTA, codes: DUTY_CODES, open: [{ reference: 'K7RX3M', state: undefined }, { reference: 'AB2C3D', state: undefined }] });
    expect(reply.text).toBe('Emma, you are on duty (level 1). Text OFF when you stop. Not acknowledged: K7RX3M, AB2C3D. Reply ACK and the reference.');
    expect(reply.effects).toEqual([
      { type: 'setDuty', onDuty: true },
      { type: 'audit', action: 'duty_on', actor: { key: 'emma', name: 'Emma' } },
    ]);
  });

  it('OFF warns the last one on duty that urgent reports go to the supervisors', () => {
    expect(dutyReply({ name: 'off', code: '111111' }, EMMA, { rota: ROTA, codes: DUTY_CODES, open: [] }).text).toBe('You are off duty. Text ON to come back.');
    const lastOne = ROTA.map((o) => ({ ...o, onDuty: o.key === 'emma' }));
    expect(dutyReply({ name: 'off', code: '111111' }, EMMA, { rota: lastOne, codes: DUTY_CODES, open: [] }).text).toBe(
      'You are off duty. Text ON to come back. Nobody is on duty now: urgent reports go to the supervisors.',
    );
  });
});

describe('officer texts', () => {
  it('exist in every language with the same placeholders (prompts/*.json)', () => {
    const keys = Object.keys(PROMPTS.en).filter((key) => key.startsWith('officer.') || key.startsWith('escalation.'));
    expect(keys.length).toBeGreaterThan(60);
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const lang of LANGUAGES) {
      for (const key of keys) {
        const text = (PROMPTS[lang] as Record<string, string>)[key];
        expect(text, `${lang} ${key}`).toBeTruthy();
        expect(placeholders(text!), `${lang} ${key}`).toEqual(placeholders((PROMPTS.en as Record<string, string>)[key]!));
      }
    }
  });

  it('keep every fixed officer reply within three SMS parts', () => {
    for (const lang of LANGUAGES) {
      for (const key of Object.keys(PROMPTS.en).filter((k) => k.startsWith('officer.usage') || k === 'officer.help' || k.startsWith('officer.call'))) {
        const text = (PROMPTS[lang] as Record<string, string>)[key]!.replace('{reference}', 'K7RX3M').replace('{name}', 'Farrukh Nazarov');
        expect(smsParts(text), `${lang} ${key}`).toBeLessThanOrEqual(3);
      }
    }
  });
});

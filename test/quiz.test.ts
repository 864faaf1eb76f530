/**
 * The quiz: its content and scoring, the codes, every result screen within the USSD limits, the SMS taking (pass
 * and fail) through the HTTP route, and the store's idempotent recording on dynalite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, t } from '../shared/domain/prompts';
import {
  COMPLETION_CODE_ALPHABET,
  PASS_SCORE,
  QUIZ_LENGTH,
  QUIZ_QUESTIONS,
  generateCohortCode,
  generateCompletionCode,
  normaliseCompletionCode,
  parseCohortCode,
  parseCohortCommand,
  scoreQuiz,
} from '../shared/domain/quiz';
import { measureScreen } from '../shared/domain/screen';
import { parseSmsCommand } from '../shared/domain/sms';
import { ussdStep } from '../shared/domain/ussd';
import { stateFromQuery, stateToQuery, voiceStep, type VoiceAction, type VoiceData, type VoiceState } from '../shared/domain/voice';
import { newCohortCode, newCompletionCode } from '../shared/quiz/takings';
import { QuizRepository, type ScoredAttempt } from '../shared/store/quiz';
import { startTestStore, type TestStore } from './support/dynalite';
import { fixture, fixtureRequest } from './support/fixtures';
import { testHotline } from './support/hotline';
import { sampleUssdData } from './support/registry';

const RIGHT = QUIZ_QUESTIONS.map((q) => String(q.correct)).join('');
const WRONG = QUIZ_QUESTIONS.map((q) => (q.correct === 1 ? '2' : '1')).join('');
const limits = { gsm: 182, ucs2: 80 };

describe('quiz content and scoring', () => {
  it('has 8 to 10 scenarios of 2 to 4 choices, each with its texts in every language', () => {
    expect(QUIZ_LENGTH).toBeGreaterThanOrEqual(8);
    expect(QUIZ_LENGTH).toBeLessThanOrEqual(10);
    for (const q of QUIZ_QUESTIONS) {
      expect(q.correct).toBeLessThanOrEqual(q.choices);
      for (const lang of LANGUAGES) {
        expect(t(lang, `quiz.q.${q.id}.c${q.choices}` as never)).not.toMatch(/^quiz\./);
        expect(t(lang, `quiz.q.${q.id}.why` as never)).not.toMatch(/^quiz\./);
      }
    }
  });

  it('passes at 75%: 7 of 9, and lists the missed topics in quiz order', () => {
    expect(PASS_SCORE).toBe(7);
    expect(scoreQuiz(RIGHT)).toEqual({ score: 9, count: 9, passed: true, missed: [] });
    const twoWrong = WRONG.slice(0, 2) + RIGHT.slice(2);
    expect(scoreQuiz(twoWrong)).toEqual({ score: 7, count: 9, passed: true, missed: ['telegramFee', 'guaranteedVisa'] });
    const threeWrong = WRONG.slice(0, 3) + RIGHT.slice(3);
    expect(scoreQuiz(threeWrong)).toMatchObject({ score: 6, passed: false, missed: ['telegramFee', 'guaranteedVisa', 'sponsorship'] });
    expect(() => scoreQuiz(RIGHT.slice(1))).toThrow();
    expect(() => scoreQuiz(RIGHT.replace(/.$/, '9'))).toThrow();
  });
});

describe('codes', () => {
  it('completion codes: 8 characters, no look-alikes, from a CSPRNG, distinct', () => {
    for (const ch of '0O1ILUQ') expect(COMPLETION_CODE_ALPHABET).not.toContain(ch);
    const codes = new Set(Array.from({ length: 2000 }, newCompletionCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(/^[23456789ABCDEFGHJKMNPRSTVWXYZ]{8}$/);
    expect(generateCompletionCode(() => 0)).toBe('22222222');
  });

  it('reads a completion code as people type it, and refuses look-alikes', () => {
    expect(normaliseCompletionCode('k7m3-xr9a')).toBe('K7M3XR9A');
    expect(normaliseCompletionCode('К7М3 ХР9А')).toBe('K7M3XP9A');
    expect(normaliseCompletionCode('K7M3XR9O')).toBeUndefined();
    expect(normaliseCompletionCode('K7M3XR9')).toBeUndefined();
  });

  it('group codes: 6 digits whose check digit catches a mistyped digit and swapped neighbours', () => {
    const code = generateCohortCode(() => 3);
    expect(code).toMatch(/^4333\d\d$/);
    expect(parseCohortCode(code)).toBe(code);
    for (let i = 0; i < 200; i++) {
      const fresh = newCohortCode();
      expect(parseCohortCode(fresh)).toBe(fresh);
      const digits = [...fresh];
      const typo = digits.map((d, j) => (j === 2 ? String((Number(d) + 1) % 10) : d)).join('');
      expect(parseCohortCode(typo)).toBeUndefined();
      if (digits[2] !== digits[3]) expect(parseCohortCode(digits.slice(0, 2).join('') + digits[3] + digits[2] + digits.slice(4).join(''))).toBeUndefined();
    }
    expect(parseCohortCode(`${code.slice(0, 3)} ${code.slice(3)}`)).toBe(code);
  });

  it('reads a trainer command: open (with a size or not), figures, or usage', () => {
    const code = newCohortCode();
    expect(parseCohortCommand('OPEN 20 March class')).toEqual({ kind: 'open', name: 'March class', size: 20 });
    expect(parseCohortCommand('открыть Группа Б')).toEqual({ kind: 'open', name: 'Группа Б' });
    expect(parseCohortCommand(code)).toEqual({ kind: 'figures', code });
    expect(parseCohortCommand('OPEN')).toEqual({ kind: 'usage' });
    expect(parseCohortCommand('hello')).toEqual({ kind: 'usage' });
  });

  it('VERIFY takes a code; with anything else it is the old check', () => {
    expect(parseSmsCommand('VERIFY K7M3XR9A')).toMatchObject({ name: 'verify', argument: 'K7M3XR9A' });
    expect(parseSmsCommand('verify Konkordia')).toMatchObject({ name: 'check', argument: 'Konkordia' });
    expect(parseSmsCommand('САВОЛ')).toMatchObject({ name: 'quiz', keywordLang: 'tg' });
    expect(parseSmsCommand('тест 123')).toMatchObject({ name: 'quiz', keywordLang: 'ru', argument: '123' });
  });
});

/** Plays a whole taking by USSD from the main menu (paging where the options are not shown yet). */
function playUssd(lang: (typeof LANGUAGES)[number], answers: string, quizRecorded = { saved: true as const, passed: true, code: 'K7M3XR9A' }) {
  const data = { ...sampleUssdData(), quizRecorded };
  let path: string[] = [];
  let reply = ussdStep({ path, startLang: lang, limits, data }).reply;
  const press = (input: string) => {
    while (!new RegExp(`^${input}\\. `, 'm').test(reply.text)) {
      path = [...path, '98'];
      reply = ussdStep({ path, startLang: lang, limits, data }).reply;
    }
    path = [...path, input];
    const result = ussdStep({ path, startLang: lang, limits, data });
    reply = result.reply;
    return result;
  };
  press('6');
  press('1');
  let last;
  for (const answer of answers) {
    press(answer);
    last = press('1');
  }
  return { path, last: last! };
}

describe('the quiz by USSD', () => {
  for (const lang of LANGUAGES) {
    it(`ends with a pass that fits the screen and names the code, in ${lang}`, () => {
      const { last } = playUssd(lang, RIGHT);
      expect(last.reply).toEqual({ end: true, text: t(lang, 'quiz.passed', { score: 9, count: 9, code: 'K7M3XR9A' }) });
      expect(measureScreen(last.reply.text, limits).length).toBeLessThanOrEqual(measureScreen(last.reply.text, limits).limit);
      expect(last.effects).toEqual([{ type: 'finishQuiz', finish: { answers: RIGHT, lang } }]);
    });
  }

  it('on a fail lists the topics and offers another try; unsaved, it apologises', () => {
    const { last } = playUssd('en', WRONG, { saved: true, passed: false } as never);
    expect(last.reply.text).toMatch(/^0 of 9: not passed yet \(7 needed\)\. Revisit: fees for a job, visa promises/);
    const { last: unsaved } = playUssd('en', RIGHT, { saved: false } as never);
    expect(unsaved.reply).toEqual({ end: true, text: t('en', 'quiz.unsaved') });
  });
});

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

describe('the quiz store (dynalite)', () => {
  const attempt = (id: string, overrides: Partial<ScoredAttempt> = {}): ScoredAttempt => ({
    attemptId: id,
    channel: 'ussd',
    lang: 'tg',
    answers: RIGHT,
    passed: true,
    missed: [],
    callerKey: 'caller-key-1',
    at: '2026-12-01T09:00:00.000Z',
    ...overrides,
  });

  it('records a taking once: a retry gets the same code and counts nothing more', async () => {
    const quiz = new QuizRepository(store.client, `${store.tableName}`);
    const before = await quiz.quizStatistics();
    const first = await quiz.record(attempt('store-1'), newCompletionCode);
    const retry = await quiz.record(attempt('store-1'), newCompletionCode);
    expect(first).toMatchObject({ created: true, passed: true });
    expect(retry).toEqual({ created: false, passed: true, code: first.code });
    expect(await quiz.completion(first.code!)).toEqual({ code: first.code, earnedAt: '2026-12-01T09:00:00.000Z', lang: 'tg' });
    const after = await quiz.quizStatistics();
    expect(after.attempts - before.attempts).toBe(1);
    expect(after.passes - before.passes).toBe(1);
  });

  it('draws another code when one is taken', async () => {
    const quiz = new QuizRepository(store.client, store.tableName);
    const taken = await quiz.record(attempt('store-2'), () => 'ABCDEFGH');
    const codes = ['ABCDEFGH', 'ABCDEFGH', 'HGFEDCBA'];
    const next = await quiz.record(attempt('store-3'), () => codes.shift()!);
    expect(taken.code).toBe('ABCDEFGH');
    expect(next.code).toBe('HGFEDCBA');
  });

  it("counts each participant once in a group's takers and passers; a fail has no code", async () => {
    const quiz = new QuizRepository(store.client, store.tableName);
    const group = await quiz.openCohort({ name: 'Group A', trainerKey: 'trainer-key', at: '2026-12-01T08:00:00.000Z' }, newCohortCode);
    const fail = await quiz.record(attempt('store-4', { passed: false, missed: ['passport', 'payToday', 'sponsorship'], cohort: group }), newCompletionCode);
    expect(fail).toEqual({ created: true, passed: false });
    await quiz.record(attempt('store-5', { cohort: group }), newCompletionCode);
    await quiz.record(attempt('store-6', { cohort: group }), newCompletionCode);
    await quiz.record(attempt('store-7', { cohort: group, callerKey: 'caller-key-2', passed: false, missed: ['passport'] }), newCompletionCode);
    expect(await quiz.cohort(group)).toMatchObject({ name: 'Group A', takers: 2, passers: 1, missed: { passport: 2, payToday: 1, sponsorship: 1, telegramFee: 0 } });
    expect(await quiz.cohort('000000')).toBeUndefined();
  });
});

describe('the quiz by SMS (HTTP route)', () => {
  let ids = 0;
  async function text(hotline: ReturnType<typeof testHotline>, from: string, body: string) {
    await hotline.app.request(fixtureRequest(fixture('africastalking/sms-incoming'), { id: `quiz-sms-${++ids}`, from, text: body }));
    await hotline.deps.localQueue.drain();
    return (await hotline.deps.localOutbox.list(hotline.deps.messages)).filter((m) => m.to === from).map((m) => m.text);
  }

  it('asks, gives feedback by number, and on a fail lists the topics and invites a retry', async () => {
    const hotline = testHotline(store);
    const from = '+992900000411';
    const [start] = await text(hotline, from, 'QUIZ');
    expect(start).toBe(`SafeJob quiz: 9 questions. Reply with the number of your answer.\n${'1/9 A "recruiter" on Telegram offers a UK farm job if you pay him 3000 TJS.'}\n1. Pay him\n2. Refuse and check`);
    let sent = await text(hotline, from, '7');
    expect(sent.at(-1)).toMatch(/^Reply with a number from 1 to 2\.\n1\/9 /);
    for (const answer of WRONG.slice(0, -1)) sent = await text(hotline, from, answer);
    expect(sent.at(-1)).toMatch(/^Wrong\. .*\n9\/9 A licensed operator/s);
    sent = await text(hotline, from, WRONG.at(-1)!);
    expect(sent.at(-1)).toMatch(/^Wrong\. That is the real process: an interview and no fee\.\n0 of 9: not passed yet \(7 needed\)\. Revisit: .*\. Text QUIZ to try again\.$/);
    // The taking is over: a bare number is no longer an answer.
    expect((await text(hotline, from, '1')).at(-1)).toBe(t('tg', 'sms.help', { ussdCode: '*384*1234#' }));
  });

  it('on a pass answers the result and texts the code on its own, in the keyword language', async () => {
    const hotline = testHotline(store);
    const from = '+992900000412';
    await text(hotline, from, 'ТЕСТ');
    let sent: string[] = [];
    for (const answer of RIGHT) sent = await text(hotline, from, `${answer}.`);
    // The code is texted as the taking is recorded, just before the reply.
    const [codeSms, result] = sent.slice(-2);
    expect(result).toMatch(/\nСдано: 9 из 9\. Молодец!$/);
    expect(codeSms).toMatch(/^SafeJob: вы сдали тест «Распознай обман»\. Код: [2-9A-HJKMNP-TV-Z]{8}\. Покажите его тренеру\.$/);
  });
});

describe('the quiz by voice (keypad)', () => {
  const settings = { maxRetries: 2, maxRecordingSeconds: 120, inputTimeoutSeconds: 8, dialTimeoutSeconds: [20, 30] };
  const press = (state: VoiceState, digits: string, overrides: Partial<VoiceData> = {}) =>
    voiceStep({ state, input: { digits }, canText: true, settings, data: { ...sampleUssdData(), ...overrides } });
  const gather = (actions: readonly VoiceAction[]) => actions.find((a) => a.kind === 'gather') as Extract<VoiceAction, { kind: 'gather' }>;
  const keysOf = (actions: readonly VoiceAction[]) =>
    actions.flatMap((a) => ('segments' in a ? a.segments : [])).map((s) => (s.kind === 'prompt' ? s.key : `${s.kind}:${'chars' in s ? s.chars : ''}`));

  it('takes the group code, reads each question, gives feedback, and reads out the code on a pass', () => {
    const group = newCohortCode();
    let result = press({ step: 'main', lang: 'tg', tries: 0 }, '6');
    expect(gather(result.actions)).toMatchObject({ next: { step: 'quizCohort', lang: 'tg' }, finishOnKey: '#' });
    result = press(gather(result.actions).next, group);
    expect(gather(result.actions).next).toEqual({ step: 'quiz', lang: 'tg', tries: 0, answers: '', cohort: group });
    expect(keysOf(result.actions)).toEqual(['chars:1', 'quiz.q.telegramFee.text', 'chars:1', 'quiz.q.telegramFee.c1', 'chars:2', 'quiz.q.telegramFee.c2', 'voice.quiz.choose']);
    // The state survives its trip through the callback URL.
    expect(stateFromQuery(stateToQuery(gather(result.actions).next))).toEqual(gather(result.actions).next);
    result = press(gather(result.actions).next, '1');
    expect(keysOf(result.actions).slice(0, 2)).toEqual(['quiz.wrong', 'quiz.q.telegramFee.why']);
    let state = gather(result.actions).next;
    for (const answer of RIGHT.slice(1, -1)) state = gather(press(state, answer).actions).next;
    expect(state).toMatchObject({ step: 'quiz', answers: `1${RIGHT.slice(1, -1)}` });
    const last = press(state, RIGHT.at(-1)!, { quizRecorded: { saved: true, passed: true, code: 'K7M3XR9A' } });
    expect(last.effects).toEqual([{ type: 'finishQuiz', finish: { answers: `1${RIGHT.slice(1)}`, lang: 'tg', cohort: group } }]);
    expect(keysOf(last.actions)).toEqual(['quiz.right', 'quiz.q.realOperator.why', 'voice.quiz.passed', 'chars:K7M3XR9A', 'voice.quiz.codeSms', 'voice.quiz.again']);
    expect(gather(press(gather(last.actions).next, '0').actions).next).toMatchObject({ step: 'main' });
  });

  it('on a fail names the topics to revisit; a wrong key asks again; a bad group code is refused', () => {
    const state: VoiceState = { step: 'quiz', lang: 'en', tries: 0, answers: WRONG.slice(0, -1) };
    const last = press(state, WRONG.at(-1)!, { quizRecorded: { saved: true, passed: false } });
    expect(keysOf(last.actions)).toContain('voice.quiz.failed');
    expect(keysOf(last.actions)).toContain('quiz.topic.passport');
    expect(keysOf(press(state, '7').actions)[0]).toBe('voice.invalid');
    expect(keysOf(press({ step: 'quizCohort', lang: 'en', tries: 0 }, '123456').actions)[0]).toBe('voice.invalid');
    expect(stateFromQuery({ s: 'quiz', a: '19' })).toBeUndefined();
    expect(stateFromQuery({ s: 'quiz', k: '123456' })).toBeUndefined();
  });
});

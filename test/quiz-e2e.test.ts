/**
 * The "done when", through the HTTP routes on dynalite: a trainer opens a group by SMS; a participant takes
 * the quiz by USSD in Tajik with the group code, passes, and gets the completion code by SMS; the trainer's VERIFY
 * confirms it, and the group's figures show the taking — counts only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETION_CODE_ALPHABET } from '../shared/domain/quiz';
import { startTestStore, type TestStore } from './support/dynalite';
import { fixture, fixtureRequest } from './support/fixtures';
import { testHotline } from './support/hotline';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

const TRAINER = '+992900000901';
const PARTICIPANT = '+992900000321';
/** Right but for the passport scenario (7th): 8 of 9. */
const ANSWERS = '222122232';

type Hotline = ReturnType<typeof testHotline>;

async function outbox(hotline: Hotline) {
  await hotline.deps.localQueue.drain();
  return hotline.deps.localOutbox.list(hotline.deps.messages);
}

let smsIds = 0;
/** Texts the hotline by Africa's Talking; returns the reply it sent back. */
async function text(hotline: Hotline, from: string, body: string): Promise<string> {
  const before = (await outbox(hotline)).length;
  const response = await hotline.app.request(
    fixtureRequest(fixture('africastalking/sms-incoming'), { id: `quiz-e2e-${++smsIds}`, from, text: body }),
  );
  expect(response.status).toBe(200);
  const replies = (await outbox(hotline)).slice(before).filter((m) => m.to === from);
  expect(replies).toHaveLength(1);
  return replies[0]!.text;
}

async function ussd(hotline: Hotline, session: string, path: string[]): Promise<string> {
  const response = await hotline.app.request(
    fixtureRequest(fixture('africastalking/ussd-first-dial'), { sessionId: session, phoneNumber: PARTICIPANT, text: path.join('*') }),
  );
  expect(response.status).toBe(200);
  return response.text();
}

describe('the pre-departure quiz, end to end', () => {
  it('a Tajik participant passes by USSD, gets the code by SMS, the trainer verifies it and sees the group', async () => {
    const hotline = testHotline(store, { QUIZ_TRAINER_PHONES: `${TRAINER}, +992900000902` });

    // The trainer opens a group of 12.
    const opened = await text(hotline, TRAINER, 'COHORT OPEN 12 Dushanbe March');
    const group = /group (\d{6}) opened/.exec(opened)?.[1];
    expect(opened).toBe(
      `SafeJob: group ${group} opened (Dushanbe March). Participants type ${group} at the start of the quiz. Figures: text COHORT ${group}.`,
    );

    // The participant: Tajik, the quiz (main menu page 2, option 6), the group code, nine answers.
    let path = ['1'];
    expect(await ussd(hotline, 'quiz-e2e-1', path)).toMatch(/^CON 1\. Санҷиши ширкат/);
    path = [...path, '98', '6'];
    expect(await ussd(hotline, 'quiz-e2e-1', path)).toBe('CON Санҷиш: 9 савол. Рамзи гурӯҳ бошад, нависед ё:\n1. Оғоз\n0. Бозгашт');
    path = [...path, group!];
    let screen = await ussd(hotline, 'quiz-e2e-1', path);
    expect(screen).toMatch(/^CON 1\/9 «Ҷалбкунанда» дар Telegram/);
    for (const answer of ANSWERS) {
      for (const [step, input] of [answer, '1'].entries()) {
        // Page on until the option shows, then choose it (the answer, then Next under its feedback).
        while (!new RegExp(`^${input}\\. `, 'm').test(screen)) {
          path = [...path, '98'];
          screen = await ussd(hotline, 'quiz-e2e-1', path);
        }
        path = [...path, input];
        screen = await ussd(hotline, 'quiz-e2e-1', path);
        if (step === 0) expect(screen).toMatch(/^CON (Дуруст|Нодуруст)\. /);
      }
    }
    const code = /^END Гузаштед: 8 аз 9\. Рамз: ([A-Z0-9]{8}) \(бо SMS низ\)$/.exec(screen)?.[1];
    expect(code, screen).toBeDefined();
    expect([...code!].every((ch) => COMPLETION_CODE_ALPHABET.includes(ch))).toBe(true);

    // The gateway retries the last request: the same screen and code, no second SMS.
    expect(await ussd(hotline, 'quiz-e2e-1', path)).toBe(screen);
    const toParticipant = (await outbox(hotline)).filter((m) => m.to === PARTICIPANT).map((m) => m.text);
    expect(toParticipant).toEqual([`SafeJob: шумо санҷиши «Фиребро шинос»-ро гузаштед. Рамз: ${code}. Ба омӯзгор нишон диҳед.`]);

    // The trainer verifies it (typed in lower case with a space): valid, the day, the language; nothing else.
    const verified = await text(hotline, TRAINER, `verify ${code!.slice(0, 4).toLowerCase()} ${code!.slice(4)}`);
    expect(verified).toMatch(new RegExp(`^SafeJob: code ${code} is valid\\. Quiz passed on \\d{4}-\\d\\d-\\d\\d, in Tajik\\.$`));
    expect(verified).not.toContain(PARTICIPANT.slice(-4));
    expect(await text(hotline, TRAINER, 'VERIFY 2345ABCD')).toBe('SafeJob: code 2345ABCD is not valid.');

    // The group's figures: one of 12 took it, one passed, the passport scenario missed once.
    expect(await text(hotline, TRAINER, `COHORT ${group}`)).toBe(
      `SafeJob group ${group} (Dushanbe March): 1 took the quiz of 12 (8%), 1 passed (100%). Most missed: your passport (1).`,
    );
    // Someone who is not a trainer gets the ordinary help, not the figures.
    expect(await text(hotline, PARTICIPANT, `COHORT ${group}`)).toMatch(/^SafeJob: ёрии ройгон|^SafeJob: /);
    expect(await text(hotline, PARTICIPANT, `COHORT ${group}`)).not.toContain('Dushanbe March');

    // And the analysts' counters hold the taking.
    const statistics = await hotline.deps.quiz.quizStatistics();
    expect(statistics.attempts).toBe(1);
    expect(statistics.passes).toBe(1);
    expect(statistics.questions.find((q) => q.id === 'passport')).toEqual({ id: 'passport', answered: 1, missed: 1, chosen: [0, 1] });
  });
});

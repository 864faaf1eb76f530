/**
 * The pre-departure "spot the scam" quiz as pure functions: its content (questions.ts, texts in prompts/*.json),
 * scoring (pass mark 75%), the codes (completion and group), the SMS step, and the texts of results, VERIFY and a
 * group's figures. The USSD screens are shared/domain/ussd/quiz-flow.ts, the voice questions
 * shared/domain/voice/quiz.ts; the shell that records takings is shared/quiz/.
 */
export { QUIZ_QUESTIONS, QUIZ_LENGTH, quizQuestionText, type QuizQuestion, type QuizQuestionId, type QuizQuestionText } from './questions';
export { PASS_MARK, PASS_SCORE, acceptsChoice, isAnswers, isRight, scoreQuiz, type QuizScore } from './scoring';
export {
  COMPLETION_CODE_ALPHABET,
  COMPLETION_CODE_LENGTH,
  COHORT_CODE_LENGTH,
  generateCompletionCode,
  generateCohortCode,
  normaliseCompletionCode,
  parseCohortCode,
  type RandomIndex,
} from './codes';
export {
  MOST_MISSED_SHOWN,
  cohortFiguresText,
  resultText,
  topicList,
  verifyText,
  type CohortFigures,
  type CompletionRecord,
  type QuestionStatistics,
  type QuizChannel,
  type QuizFinish,
  type QuizRecorded,
  type QuizStatistics,
} from './results';
export { feedbackLine, questionSms, smsQuizChoice, smsQuizStep, type SmsQuizInput, type SmsQuizState, type SmsQuizTurn } from './sms';
export { MAX_COHORT_SIZE, parseCohortCommand, type CohortCommand } from './trainer';

import { Duration } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { UNFINISHED_REPAIR_EVENT } from '../../shared/intake';
import type { Construct } from 'constructs';
import type { OnCallEscalation } from './escalation';
import { BACKGROUND_MEMORY_MB, HotlineFunction, WEBHOOK_MEMORY_MB } from './function';
import type { FunctionContext } from './function-context';
import { REPLAY_TIMEOUT, type IntakeJournal } from './intake-journal';
import type { NumberVault, VaultAction } from './number-vault';
import type { SmsOutbox } from './outbox';
import { TABLE_ACCESS } from './table-access';
import { ussdReservation } from './concurrency';

/** USSD gateways give up after ~10 s and Twilio after 15 s: an answer later than that is never heard. */
const WEBHOOK_TIMEOUT = Duration.seconds(10);

export interface ChannelOptions {
  /** Where the recorded voice prompts are served (AUDIO_BASE_URL); unset, every prompt is spoken. */
  audioBaseUrl?: string;
  /** The account's Lambda concurrency quota, and what to reserve for USSD (infra/constructs/concurrency.ts). */
  lambdaConcurrencyLimit?: number;
  ussdReservedConcurrency?: number;
  /** The quiz trainers' numbers, comma-separated: who may send COHORT commands (QUIZ_TRAINER_PHONES). */
  quizTrainerPhones?: string;
}

/** How often the intake replay looks for unfinished intakes (each older than UNFINISHED_INTAKE_AGE_MS, a minute). */
export const UNFINISHED_REPAIR_RATE = Duration.minutes(5);

/** What a function that takes reports is wired to. */
export interface ReportIntake {
  outbox: SmsOutbox;
  journal: IntakeJournal;
  vault: NumberVault;
  escalation: OnCallEscalation;
}

/**
 * The functions that take reports: the USSD, SMS and voice webhooks, and the replay of the intake journal. Each
 * needs the outbox (replies, confirmations, pages), the vault (a consented call-back number) and the escalation
 * (urgent reports); the webhooks also journal a report the table refused.
 */
export class ReportChannels {
  readonly ussd: HotlineFunction;
  readonly sms: HotlineFunction;
  readonly voice: HotlineFunction;
  readonly intakeReplay: HotlineFunction;

  constructor(scope: Construct, context: FunctionContext, intake: ReportIntake, options: ChannelOptions) {
    const { table, secrets, publicBaseUrl } = context;
    // USSD: Africa's Talking's gateway waits ~10 s for an answer, then drops the session. A cold start, measured at
    // ~0.4–0.8 s of import and first request on one core (~0.7–1.4 s at 1,024 MB, see infra/constructs/function.ts)
    // plus the secrets, is well inside that, so no provisioned concurrency: it would cost a container kept warm
    // around the clock to save about a second on the first dial after a quiet spell. Reserved concurrency where the
    // account can spare it (infra/constructs/concurrency.ts), so that a burst elsewhere never takes the last
    // containers from callers on the line.
    this.ussd = new HotlineFunction(scope, 'UssdFunction', {
      description: "SafeJob Hotline: Africa's Talking USSD webhooks",
      entry: 'functions/ussd/index.ts',
      memorySize: WEBHOOK_MEMORY_MB,
      timeout: WEBHOOK_TIMEOUT,
      reservedConcurrentExecutions: ussdReservation(options),
      publicBaseUrl,
    })
      .bindTable(table, TABLE_ACCESS.UssdFunction)
      // The Kannel token guards /ussd/kannel.
      .bindSecrets([...secrets.generated, secrets.kannelWebhookToken]);
    takeReports(this.ussd, intake, ['kms:Encrypt']);

    this.sms = new HotlineFunction(scope, 'SmsFunction', {
      description: "SafeJob Hotline: Africa's Talking and Twilio SMS webhooks and delivery reports",
      entry: 'functions/sms/index.ts',
      memorySize: WEBHOOK_MEMORY_MB,
      // Twilio waits about 15 s for a webhook answer; the reply itself leaves through the outbox.
      timeout: WEBHOOK_TIMEOUT,
      publicBaseUrl,
      environment: options.quizTrainerPhones ? { QUIZ_TRAINER_PHONES: options.quizTrainerPhones } : {},
    })
      .bindTable(table, TABLE_ACCESS.SmsFunction)
      // TWILIO_AUTH_TOKEN (in the provider credentials) checks Twilio's signatures; the Kannel token guards /sms/kannel.
      .bindSecrets([...secrets.withProviderCredentials, secrets.kannelWebhookToken]);
    // Officers' commands (ACK, DONE…) and urgent SMS reports go through the escalation service. Decrypt too: an
    // officer's ACK or DONE by SMS texts the reporter, whose number is sealed (escalation/service.ts
    // notifyReporter), and an officer's CALL hands it to the voice bridge (placeCall).
    takeReports(this.sms, intake, ['kms:Encrypt', 'kms:Decrypt']);

    this.voice = new HotlineFunction(scope, 'VoiceFunction', {
      description: "SafeJob Hotline: Africa's Talking and Twilio voice call webhooks (IVR, messages, urgent line)",
      entry: 'functions/voice/index.ts',
      memorySize: WEBHOOK_MEMORY_MB,
      // Twilio waits 15 s for TwiML, Africa's Talking about as long; a caller hears silence meanwhile.
      timeout: WEBHOOK_TIMEOUT,
      publicBaseUrl,
      environment: options.audioBaseUrl ? { AUDIO_BASE_URL: options.audioBaseUrl } : {},
    })
      .bindTable(table, TABLE_ACCESS.VoiceFunction)
      // TWILIO_AUTH_TOKEN checks Twilio's signatures; the AT token Africa's Talking's callbacks.
      .bindSecrets(secrets.withProviderCredentials);
    // Decrypt too: when an officer picks up an Africa's Talking CALL bridge, the reporter's sealed number is opened
    // to dial it (functions/voice/app.ts answerBridge).
    takeReports(this.voice, intake, ['kms:Encrypt', 'kms:Decrypt']);

    // The intake journal's consumer: stores each journaled report (idempotently) and starts the escalation of an
    // urgent one. It seals nothing (the entry carries the sealed number) and opens nothing: no vault permission,
    // though the shared channel wiring wants the key's id. It journals nothing either: it reads the journal.
    this.intakeReplay = new HotlineFunction(scope, 'IntakeReplayFunction', {
      description: 'SafeJob Hotline: replays reports the table refused (the intake journal) and starts urgent escalations',
      entry: 'functions/intake-replay/index.ts',
      memorySize: BACKGROUND_MEMORY_MB,
      timeout: REPLAY_TIMEOUT,
      publicBaseUrl,
    })
      .bindTable(table, TABLE_ACCESS.IntakeReplayFunction)
      .bindSecrets(secrets.generated);
    intake.outbox.bindSender(this.intakeReplay);
    intake.journal.bindReplay(this.intakeReplay);
    intake.vault.bind(this.intakeReplay, []);
    intake.escalation.bindStarter(this.intakeReplay);
    // The same function completes, every few minutes, an intake whose process died between its writes: its grant
    // (INTAKE, with the unfinished marks) and its escalation starter are exactly what that needs.
    new Rule(scope, 'UnfinishedIntakeRepair', {
      description: 'SafeJob Hotline: completes reports a dead process left half-written (the INTAKES unfinished marks)',
      schedule: Schedule.rate(UNFINISHED_REPAIR_RATE),
      targets: [new LambdaFunction(this.intakeReplay, { event: RuleTargetInput.fromObject(UNFINISHED_REPAIR_EVENT), retryAttempts: 0 })],
    });
  }
}

/** A webhook that takes reports: it sends SMS, journals what the table refused, seals numbers, starts escalations. */
function takeReports(fn: HotlineFunction, { outbox, journal, vault, escalation }: ReportIntake, vaultActions: VaultAction[]): void {
  outbox.bindSender(fn);
  journal.bindWriter(fn);
  escalation.bindStarter(fn);
  vault.bind(fn, vaultActions);
}

/**
 * The voice line's webhooks (Twilio and Africa's Talking): a thin shell that parses a callback, reads the call's
 * state from its URL, looks up what the pure step (shared/domain/voice.ts) needs, runs its effects (the language
 * choice, the report through intake) and renders its actions for the provider.
 *
 * Routes: POST /voice/twilio (every Gather, Record and Dial action comes back here with its state in the query,
 * covered by Twilio's signature), POST /voice/africastalking (the same, with `?token=`; also the final `isActive=0`
 * callback), and locally GET /audio/:lang/:file (the recorded prompts in prompts/audio/).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Hono, type Context } from 'hono';
import { requireAtToken } from '../../shared/channels/africastalking';
import {
  AT_BRIDGE_UNAVAILABLE,
  AT_EMPTY_RESPONSE,
  AT_TTS,
  atVoiceInput,
  atVoiceSchema,
  renderAtBridge,
  renderAtVoice,
  type AtVoiceRequest,
} from '../../shared/channels/africastalking-voice';
import { requireTwilioSignature } from '../../shared/channels/twilio';
import { TWILIO_TTS, renderTwilioVoice, twilioVoiceInput, twilioVoiceSchema, type Rendered, type VoiceRenderOptions } from '../../shared/channels/twilio-voice';
import type { VoiceConfig } from '../../shared/channels/voice-config';
import { AUDIO_MANIFEST, recordingResolver, type AudioManifest, type Fallback, type RecordingResolver } from '../../shared/channels/voice-speech';
import { LANGUAGES, isLang, t } from '../../shared/domain/prompts';
import { E164 } from '../../shared/domain/registry';
import { identifierValue } from '../../shared/domain/report';
import { reportAdvice } from '../../shared/domain/report-texts';
import { dushanbeToday } from '../../shared/domain/verify';
import {
  START,
  reportFromVoice,
  stateFromQuery,
  stateToQuery,
  voiceStep,
  type OnCallDirectory,
  type VoiceAction,
  type VoiceData,
  type VoiceInput,
  type VoiceNeed,
  type VoiceRequest,
  type VoiceResult,
  type VoiceState,
} from '../../shared/domain/voice';
import { parseForm } from '../../shared/http';
import { submitReport } from '../../shared/intake';
import { normalisePhone } from '../../shared/privacy';
import type { ChannelDeps, Provider } from '../../shared/runtime';
import { EscalationRepository } from '../../shared/store/escalations';
import { isLive, keys } from '../../shared/store/keys';
import { OfficerRepository } from '../../shared/store/officers';
import { RegistryRepository } from '../../shared/store/registry';
import { KeypadLicences } from './licences';
import { officerOnCallDirectory } from './on-call';

export type VoiceProvider = 'twilio' | 'africastalking';

export interface VoiceAppOptions {
  /** The voice settings; by default `config.voice`. */
  voice?: VoiceConfig;
  /** Who the urgent line rings; by default the officers on duty in the table. */
  onCall?: (deps: ChannelDeps) => OnCallDirectory;
  /**
   * Local only: serve the recorded prompts at GET /audio/:lang/:file from `audioDir`, and play them from
   * `PUBLIC_BASE_URL/audio` unless AUDIO_BASE_URL says otherwise. Never on Lambda (recordings come from
   * AUDIO_BASE_URL there).
   */
  serveAudio?: boolean;
  /** Default: prompts/audio/. */
  audioDir?: string;
  /** Default: prompts/audio-manifest.json. */
  manifest?: AudioManifest;
}

/** What the shell keeps per set of dependencies (per container). */
interface VoiceShell {
  deps: ChannelDeps;
  voice: VoiceConfig;
  recordings: RecordingResolver;
  onCall: OnCallDirectory;
  licences: KeypadLicences;
}

/** One provider callback, provider-neutral. */
interface Call {
  provider: VoiceProvider;
  callId: string;
  /** The caller's number as the provider gives it (possibly withheld). */
  caller: string;
  /** The hotline number called: the caller ID officers see when the urgent line rings them. */
  hotline?: string;
  state: VoiceState;
  input: VoiceInput;
}

/** Numbers Twilio uses for a withheld or unknown caller ID. */
const WITHHELD = new Set(['+266696687', '+86282452253', '+7378742833', '+2562533', '+8656696']);

/** Whether a caller's number can be texted and remembered: a real number, not a withheld one. */
export function callerReachable(raw: string): boolean {
  const phone = normalisePhone(raw);
  return E164.test(phone) && !WITHHELD.has(phone);
}

export function createVoiceApp(getDeps: Provider<ChannelDeps>, options: VoiceAppOptions = {}): Hono {
  const app = new Hono();
  // Only the local server serves recordings from disk; on Lambda there is no prompts/ folder.
  const audioDir = options.serveAudio ? (options.audioDir ?? fileURLToPath(new URL('../../prompts/audio/', import.meta.url))) : '';
  const shells = new WeakMap<ChannelDeps, VoiceShell>();

  const shellOf = async (): Promise<VoiceShell> => {
    const deps = await getDeps();
    let shell = shells.get(deps);
    if (!shell) {
      const voice = options.voice ?? deps.config.voice;
      const audioBaseUrl = voice.audioBaseUrl ?? (options.serveAudio ? `${deps.config.publicBaseUrl}/audio` : undefined);
      // Locally the files are on disk: an entry whose file is missing is not played.
      const exists = options.serveAudio ? (file: string) => existsSync(join(audioDir, file)) : undefined;
      const registryStore = new RegistryRepository(deps.db, deps.config.tableName);
      shell = {
        deps,
        voice,
        recordings: recordingResolver(options.manifest ?? AUDIO_MANIFEST, audioBaseUrl, exists),
        onCall: options.onCall?.(deps) ?? officerOnCallDirectory(new OfficerRepository(deps.db, deps.config.tableName)),
        licences: new KeypadLicences(() => registryStore.loadAll()),
      };
      shells.set(deps, shell);
    }
    return shell;
  };

  const atGuard = requireAtToken(async () => (await getDeps()).config.atWebhookToken);
  const twilioGuard = requireTwilioSignature(async () => {
    const { config } = await getDeps();
    return { authToken: config.twilio.authToken, publicBaseUrl: config.publicBaseUrl };
  });

  app.get('/health', (c) => c.json({ status: 'ok' }));

  // A provider ends the call on an error; a caller hit by a bug hears a polite apology instead.
  app.onError(async (error, c) => {
    const deps = await getDeps().catch(() => undefined);
    deps?.log.error('unexpected error', { path: c.req.path, error });
    const provider: VoiceProvider = c.req.path.startsWith('/voice/africastalking') ? 'africastalking' : 'twilio';
    return xml(c, provider, apology(provider));
  });

  app.post('/voice/twilio', twilioGuard, async (c) => {
    const parsed = await parseForm(c, twilioVoiceSchema);
    if (!parsed.ok) return parsed.response;
    const shell = await shellOf();
    const body = parsed.data;
    const call: Call = {
      provider: 'twilio',
      callId: body.CallSid,
      caller: body.From,
      hotline: body.To || undefined,
      state: callState(shell, c),
      input: twilioVoiceInput(body),
    };
    return xml(c, 'twilio', render(shell, call, await runCall(shell, call)));
  });

  app.post('/voice/africastalking', atGuard, async (c) => {
    const parsed = await parseForm(c, atVoiceSchema);
    if (!parsed.ok) return parsed.response;
    const shell = await shellOf();
    const body = parsed.data;
    // An officer's CALL bridge (the hotline rang them): not a caller of the line.
    if (body.direction?.toLowerCase() === 'outbound') return xml(c, 'africastalking', await answerBridge(shell, body));
    const call: Call = {
      provider: 'africastalking',
      callId: body.sessionId,
      caller: body.callerNumber,
      hotline: body.destinationNumber || undefined,
      state: callState(shell, c),
      input: atVoiceInput(body),
    };
    if (body.isActive === '0') {
      await finalCallback(shell, await withUrgentState(shell, call), body.durationInSeconds);
      return xml(c, 'africastalking', AT_EMPTY_RESPONSE);
    }
    if (call.state.step === 'urgent' || call.state.step === 'dial') await rememberUrgentCall(shell, call);
    return xml(c, 'africastalking', render(shell, call, await runCall(shell, call)));
  });

  if (options.serveAudio) {
    app.get('/audio/:lang/:file', async (c) => {
      const { lang, file } = c.req.param();
      if (!(LANGUAGES as readonly string[]).includes(lang) || !/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.(mp3|wav)$/.test(file)) return c.notFound();
      const bytes = await readFile(join(audioDir, lang, file)).catch(() => undefined);
      if (!bytes) return c.notFound();
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': file.endsWith('.mp3') ? 'audio/mpeg' : 'audio/wav',
        'Cache-Control': 'public, max-age=300',
      });
    });
  }

  return app;
}


function callState(shell: VoiceShell, c: Context): VoiceState {
  const { token: _token, ...query } = c.req.query();
  const state = stateFromQuery(query);
  if (state) return state;
  shell.deps.log.warn('voice callback with an unreadable state; starting over', { path: c.req.path });
  return START;
}

function xml(c: Context, provider: VoiceProvider, body: string) {
  return c.body(body, 200, { 'Content-Type': provider === 'twilio' ? 'text/xml' : 'application/xml' });
}

/** The absolute callback URL carrying `state` (and Africa's Talking's token). */
function actionUrl(shell: VoiceShell, provider: VoiceProvider): (state: VoiceState) => string {
  const { config } = shell.deps;
  return (state) => {
    const query = new URLSearchParams(stateToQuery(state));
    if (provider === 'africastalking' && config.atWebhookToken) query.set('token', config.atWebhookToken);
    return `${config.publicBaseUrl}/voice/${provider}?${query}`;
  };
}

function render(shell: VoiceShell, call: Call, result: VoiceResult): string {
  const options: VoiceRenderOptions = {
    actionUrl: actionUrl(shell, call.provider),
    recordings: shell.recordings,
    ...(call.hotline ? { callerId: call.hotline } : {}),
  };
  const rendered: Rendered = call.provider === 'twilio' ? renderTwilioVoice(result.actions, options) : renderAtVoice(result.actions, options);
  logFallbacks(shell, call, rendered.fallbacks);
  return rendered.body;
}

/** Prompts heard in another language (no recording yet), once per callback. */
function logFallbacks(shell: VoiceShell, call: Call, fallbacks: readonly Fallback[]) {
  if (fallbacks.length === 0) return;
  const unique = [...new Map(fallbacks.map((f) => [`${f.key}:${f.lang}`, f])).values()];
  shell.deps.log.warn('voice prompt without a recording; heard in another language', {
    provider: call.provider,
    callId: call.callId,
    prompts: unique.map((f) => `${f.key} (${f.lang} → ${f.heardAs} ${f.from})`),
  });
}

/**
 * The apology for when the line cannot answer, then the end of the call: in the languages the provider speaks (no
 * recording is looked up when something has already gone wrong).
 */
function apology(provider: VoiceProvider): string {
  const langs = provider === 'twilio' ? TWILIO_TTS : AT_TTS;
  const actions: VoiceAction[] = [
    { kind: 'say', segments: langs.map((lang) => ({ kind: 'prompt', key: 'voice.unavailable', lang }) as const) },
    { kind: 'hangup' },
  ];
  const options: VoiceRenderOptions = { actionUrl: () => '', recordings: () => undefined };
  try {
    return (provider === 'twilio' ? renderTwilioVoice(actions, options) : renderAtVoice(actions, options)).body;
  } catch {
    return provider === 'twilio' ? '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>' : AT_EMPTY_RESPONSE;
  }
}

/**
 * Runs the pure step, then whatever it asks of the shell: the look-ups it needs (each time the step runs again
 * with the results), the report it submits (the step runs again with the outcome, for the reference), and the
 * language chosen. A look-up that fails leaves the answer without it rather than failing the call.
 */
async function runCall(shell: VoiceShell, call: Call): Promise<VoiceResult> {
  const { deps, voice } = shell;
  const callerKey = deps.callerKey(call.caller);
  const reachable = callerReachable(call.caller);
  const [storedLang, registry] = await Promise.all([
    call.state.lang === undefined && reachable
      ? deps.languages.get(callerKey).then(
          (stored) => stored?.lang,
          (error: unknown) => {
            deps.log.error('language lookup failed', { callerKey, error });
            return undefined;
          },
        )
      : undefined,
    deps.registry.get().catch((error: unknown) => {
      deps.log.error('registry unavailable', { error });
      return undefined;
    }),
  ]);
  let data: VoiceData = { registry, today: dushanbeToday(), cardHash: deps.cardHash, reported: new Map() };
  const request = (): VoiceRequest => ({
    state: call.state,
    input: call.input,
    ...(storedLang ? { storedLang } : {}),
    canText: reachable,
    settings: {
      maxRetries: voice.maxRetries,
      maxRecordingSeconds: voice.maxRecordingSeconds,
      inputTimeoutSeconds: voice.inputTimeoutSeconds,
      dialTimeoutSeconds: voice.dialTimeoutSeconds,
    },
    data,
  });
  let result = voiceStep(request());
  for (let round = 0; round < 3 && result.needs.length > 0; round++) {
    data = { ...data, ...(await lookUp(shell, result.needs, data)) };
    result = voiceStep(request());
  }

  const effects = result.effects;
  const submit = effects.find((effect) => effect.type === 'submitReport' || effect.type === 'startEscalation');
  if (submit) {
    const outcome = await submitReport(
      deps.intake,
      { ...reportFromVoice(submit), reporterPhone: call.caller },
      // One report per call: a provider's retry, or the final callback repeating the recording, finds the same one.
      `voice:${call.provider}:${call.callId}`,
    );
    data = { ...data, submitted: outcome.saved ? { saved: true, report: outcome.report } : { saved: false } };
    result = voiceStep(request());
    if (outcome.saved) {
      const { report, created } = outcome;
      deps.log.info('voice report taken', { provider: call.provider, callId: call.callId, reference: report.reference, urgent: report.urgency.urgent, created });
      if (submit.type === 'startEscalation' && !report.urgency.urgent) {
        deps.log.error('urgent voice message not triaged urgent; no escalation', { reference: report.reference });
      }
      // The reference by SMS, to keep; a failed SMS does not undo the report.
      if (created && reachable) {
        const advice = t(submit.lang, reportAdvice(report));
        await deps.outbox
          .send(call.caller, t(submit.lang, 'sms.reportReceived', { ref: report.reference, advice }))
          .catch((error: unknown) => deps.log.error('report confirmation SMS not queued', { reference: report.reference, error }));
      }
    }
  }
  for (const effect of effects) {
    if (effect.type !== 'rememberLanguage' || !reachable) continue;
    await deps.languages
      .put(callerKey, { lang: effect.lang })
      .catch((error: unknown) => deps.log.error('language write failed', { callerKey, error }));
  }
  deps.log.info('voice callback', {
    provider: call.provider,
    callId: call.callId,
    callerKey,
    step: call.state.step,
    tries: call.state.tries,
    ...(result.event ? { event: result.event } : {}),
  });
  return result;
}

async function lookUp(shell: VoiceShell, needs: readonly VoiceNeed[], data: VoiceData): Promise<Partial<VoiceData>> {
  const { deps } = shell;
  const found: Partial<VoiceData> = {};
  const reported = new Map(data.reported);
  await Promise.all(
    needs.map(async (need) => {
      switch (need.type) {
        case 'identifier': {
          const { identifier } = need;
          const summary = await deps.reports.getIdentifierSummary(identifier.kind, identifierValue(identifier)).catch((error: unknown) => {
            deps.log.error('reported identifier lookup failed', { kind: identifier.kind, error });
            return undefined;
          });
          reported.set(`${identifier.kind}:${identifierValue(identifier)}`, summary ? { reporters: summary.reporters, lastSeen: summary.lastSeen } : null);
          return;
        }
        case 'onCall':
          found.onCall = await shell.onCall.onCallNumbers().catch((error: unknown) => {
            deps.log.error('on-call officers lookup failed; taking a message instead', { error });
            return [];
          });
          return;
        case 'licences':
          found.licences = data.registry
            ? await shell.licences.get(data.registry).catch((error: unknown) => {
                deps.log.error('licence keypad index unavailable', { error });
                return null;
              })
            : null;
          return;
      }
    }),
  );
  return { ...found, reported };
}

/**
 * Africa's Talking asks what to do when the officer picks up a CALL bridge (africastalking-call-bridge.ts): the
 * reporter's sealed number, kept under our request id, is opened and dialled. Its final callback forgets the
 * bridge. Nothing here logs a number.
 */
async function answerBridge(shell: VoiceShell, body: AtVoiceRequest): Promise<string> {
  const { deps } = shell;
  const escalations = new EscalationRepository(deps.db, deps.config.tableName);
  const requestId = body.clientRequestId;
  if (body.isActive === '0') {
    deps.log.info('bridge call ended', { callId: body.sessionId, requestId, durationInSeconds: body.durationInSeconds });
    if (requestId) await escalations.removeBridgeCall(requestId).catch((error: unknown) => deps.log.error('bridge call not forgotten', { requestId, error }));
    return AT_EMPTY_RESPONSE;
  }
  const bridge = requestId ? await escalations.getBridgeCall(requestId) : undefined;
  if (!bridge) {
    deps.log.warn('outbound call with no bridge to connect', { callId: body.sessionId, requestId });
    return AT_BRIDGE_UNAVAILABLE;
  }
  const vault = deps.escalation.vault ?? deps.intake.vault;
  const number = await vault.decrypt(bridge.sealedNumber).catch((error: unknown) => {
    deps.log.error('bridge number could not be opened', { reference: bridge.reference, requestId, error });
    return undefined;
  });
  if (!number) return AT_BRIDGE_UNAVAILABLE;
  deps.log.info('bridge call answered; dialling the reporter', { reference: bridge.reference, callId: body.sessionId, requestId });
  return renderAtBridge(number, bridge.reference, body.destinationNumber || undefined);
}

/**
 * Africa's Talking sends its last callback (after hang-up, with the recording of a caller who hung up while
 * speaking) to the number's own URL, without the state our callback URLs carry. A call that reached the urgent line
 * is remembered (best effort, for two hours) so that such a message still starts the escalation.
 */
const URGENT_CALL_MEMORY_SECONDS = 2 * 3600;

async function rememberUrgentCall(shell: VoiceShell, call: Call): Promise<void> {
  const { deps } = shell;
  await deps.db
    .send(
      new PutCommand({
        TableName: deps.config.tableName,
        Item: {
          ...keys.urgentVoiceCall(call.provider, call.callId),
          lang: call.state.lang,
          expiresAt: Math.floor(Date.now() / 1000) + URGENT_CALL_MEMORY_SECONDS,
        },
      }),
    )
    .catch((error: unknown) => deps.log.warn('urgent call not remembered', { callId: call.callId, error }));
}

async function withUrgentState(shell: VoiceShell, call: Call): Promise<Call> {
  if (call.state.step !== 'start') return call;
  const { deps } = shell;
  const { Item } = await deps.db
    .send(new GetCommand({ TableName: deps.config.tableName, Key: keys.urgentVoiceCall(call.provider, call.callId) }))
    .catch(() => ({ Item: undefined }));
  const lang = Item?.lang;
  if (!isLive(Item as { expiresAt?: number } | undefined, Date.now()) || !isLang(lang)) return call;
  return { ...call, state: { step: 'urgent', lang, tries: 0 } };
}

/**
 * Africa's Talking's last callback, after hang-up: a recording in it is a report (the same one if the Record
 * callback already took it); anything else is only logged. Its answer is ignored.
 */
async function finalCallback(shell: VoiceShell, call: Call, duration: string | undefined): Promise<void> {
  const { state, input } = call;
  if (!input.recording) {
    shell.deps.log.info('voice call ended', { provider: call.provider, callId: call.callId, step: state.step, durationInSeconds: duration });
    return;
  }
  const recordingState: VoiceState =
    state.step === 'urgent' || state.step === 'report'
      ? state
      : state.lang
        ? { step: 'report', lang: state.lang, tries: 0, callback: false }
        : START;
  await runCall(shell, { ...call, state: recordingState });
}

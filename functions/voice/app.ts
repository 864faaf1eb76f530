/**
 * The voice line's webhooks (Twilio and Africa's Talking): parse a callback and authenticate it, read the call's
 * state from its URL, answer it (shared/voice/call.ts: the conversation runner over the pure step in
 * shared/domain/voice/) and render its actions for the provider.
 *
 * Routes: POST /voice/twilio (every Gather, Record and Dial action comes back here with its state in the query,
 * covered by Twilio's signature), POST /voice/africastalking (the same, with `?token=`; also the final `isActive=0`
 * callback), and locally GET /audio/:lang/:file (the recorded prompts in prompts/audio/).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
// The preset with PatternRouter: 6 KB less to load, and no router to compile at a container's first request (docs/decisions.md).
import { Hono } from 'hono/tiny';
import { requireAtToken } from '../../shared/channels/africastalking';
import {
  atBridgeUnavailable,
  AT_EMPTY_RESPONSE,
  AT_TTS,
  atVoiceInput,
  atVoiceSchema,
  renderAtBridge,
  renderAtVoice,
  type AtVoiceRequest,
} from '../../shared/channels/africastalking-voice';
import { requireTwilioSignature } from '../../shared/channels/twilio';
import { ACCEPT_KEY, TWILIO_TTS, renderTwilioVoice, twilioVoiceInput, twilioVoiceSchema, whisperAnswer, whisperTwiml, type Rendered, type VoiceRenderOptions } from '../../shared/channels/twilio-voice';
import type { VoiceConfig } from '../../shared/channels/voice-config';
import { AUDIO_MANIFEST, recordingResolver, type AudioManifest, type Fallback, type RecordingResolver } from '../../shared/channels/voice-speech';
import { LANGUAGES } from '../../shared/domain/prompts';
import { stateFromQuery, stateToQuery, START, type OnCallDirectory, type VoiceAction, type VoiceResult, type VoiceState } from '../../shared/domain/voice';
import { parseForm, webhookBodyLimit, webhookStoreBudget } from '../../shared/http';
import type { ConfigWith } from '../../shared/config';
import type { Provider, VoiceServices } from '../../shared/runtime';
import type { StudioServices } from '../../shared/studio/service';
import {
  answerBridge,
  answerCall,
  finalCallback,
  rememberUrgentCall,
  screenOfficer,
  screenedDial,
  type VoiceCall,
  type VoiceLine,
  type VoiceProvider,
} from '../../shared/voice/call';
import { answerStudioCall } from '../../shared/voice/studio-call';
import { STUDIO_START, studioStateFromQuery, studioStateToQuery, type StudioState } from '../../shared/domain/studio/line';

export interface VoiceAppOptions {
  /** The voice settings; by default `config.voice`. */
  voice?: VoiceConfig;
  /** Who the urgent line rings; by default the officers on duty in the table. */
  onCall?: (deps: VoiceServices) => OnCallDirectory;
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

/** What the voice line runs on: its channel's services, the studio's, and the voice line's section of the configuration. */
export type VoiceAppServices = VoiceServices & StudioServices & { config: ConfigWith<'voice'> };

/** What the entry point keeps per set of dependencies (per container). */
interface VoiceShell {
  deps: VoiceAppServices;
  line: VoiceLine;
  audioBaseUrl: string | undefined;
  /** The committed recordings (prompts/audio-manifest.json); the studio's takes are laid over them per callback. */
  recordings: RecordingResolver;
}

export function createVoiceApp(getDeps: Provider<VoiceAppServices>, options: VoiceAppOptions = {}): Hono {
  const app = new Hono();
  // Before any guard or parser: a signature check reads the body too.
  app.use('/voice/*', webhookBodyLimit);
  app.use('/voice/*', webhookStoreBudget(async () => (await getDeps()).config.webhookStoreBudgetMs));
  // Only the local server serves recordings from disk; on Lambda there is no prompts/ folder.
  const audioDir = options.serveAudio ? (options.audioDir ?? fileURLToPath(new URL('../../prompts/audio/', import.meta.url))) : '';
  const shells = new WeakMap<VoiceAppServices, VoiceShell>();

  const shellOf = async (): Promise<VoiceShell> => {
    const deps = await getDeps();
    let shell = shells.get(deps);
    if (!shell) {
      const voice = options.voice ?? deps.config.voice;
      // Locally, and on AWS with the prompt audio bucket, this app serves the recordings itself.
      const audioBaseUrl = voice.audioBaseUrl ?? (options.serveAudio || deps.config.studio.audioBucket ? `${deps.config.publicBaseUrl}/audio` : undefined);
      // Locally the files are on disk: an entry whose file is missing is not played.
      const exists = options.serveAudio ? (file: string) => existsSync(join(audioDir, file)) : undefined;
      shell = {
        deps,
        line: {
          settings: {
            maxRetries: voice.maxRetries,
            maxRecordingSeconds: voice.maxRecordingSeconds,
            inputTimeoutSeconds: voice.inputTimeoutSeconds,
            dialTimeoutSeconds: voice.dialTimeoutSeconds,
          },
          ...(options.onCall ? { onCall: options.onCall(deps) } : {}),
        },
        audioBaseUrl,
        recordings: recordingResolver(options.manifest ?? AUDIO_MANIFEST, audioBaseUrl, exists),
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
    const input = twilioVoiceInput(body);
    // A Dial's end: answered only if the officer's leg pressed 1 in the whisper (call screening).
    if (body.DialCallStatus !== undefined) input.dialAnswered = await screenedDial(shell.deps, 'twilio', body.DialCallSid);
    const call: VoiceCall = {
      provider: 'twilio',
      callId: body.CallSid,
      caller: body.From,
      hotline: body.To || undefined,
      state: callState(shell, c),
      input,
    };
    return xml(c, 'twilio', await render(shell, call, await answerCall(shell.deps, shell.line, call)));
  });

  app.post('/voice/africastalking', atGuard, async (c) => {
    const parsed = await parseForm(c, atVoiceSchema);
    if (!parsed.ok) return parsed.response;
    const shell = await shellOf();
    const body = parsed.data;
    // An officer's CALL bridge (the hotline rang them): not a caller of the line.
    if (body.direction?.toLowerCase() === 'outbound') return xml(c, 'africastalking', await bridgeAnswer(shell, body));
    const call: VoiceCall = {
      provider: 'africastalking',
      callId: body.sessionId,
      caller: body.callerNumber,
      hotline: body.destinationNumber || undefined,
      state: callState(shell, c),
      input: atVoiceInput(body),
    };
    if (body.isActive === '0') {
      await finalCallback(shell.deps, shell.line, call, body.durationInSeconds);
      return xml(c, 'africastalking', AT_EMPTY_RESPONSE);
    }
    if (call.state.step === 'urgent' || call.state.step === 'dial') await rememberUrgentCall(shell.deps, call);
    return xml(c, 'africastalking', await render(shell, call, await answerCall(shell.deps, shell.line, call)));
  });

  // An officer's signed link to a caller's recording (shared/recording-links.ts): checked, then redirected to the
  // provider's recording. Never cached, never followed without a valid signature.
  app.get('/recordings/:reference', async (c) => {
    const { reference } = c.req.param();
    const shell = await shellOf();
    const verdict = shell.deps.recordingLinks.check(reference, c.req.query('exp'), c.req.query('sig'));
    const headers = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
    if (verdict !== 'valid') {
      shell.deps.log.warn('recording link refused', { reference, verdict });
      return c.text(verdict === 'expired' ? 'This link has expired. Send INFO again for a new one.' : 'Forbidden', 403, headers);
    }
    const report = await shell.deps.reports.getByReference(reference);
    if (!report?.recordingUrl) return c.text('Not found', 404, headers);
    shell.deps.log.info('recording link followed', { reference });
    return new Response(null, { status: 302, headers: { ...headers, Location: report.recordingUrl } });
  });

  // Call screening: each officer's leg of the urgent line's Dial runs this first (`<Number url>`); their pressed key
  // comes back with `?key=1`. Pressing 1 is recorded under the leg's CallSid and bridges; anything else hangs up.
  app.post('/voice/twilio/whisper', twilioGuard, async (c) => {
    const parsed = await parseForm(c, twilioVoiceSchema);
    if (!parsed.ok) return parsed.response;
    const shell = await shellOf();
    const { config } = shell.deps;
    if (c.req.query('key') === undefined) {
      const acceptUrl = `${config.publicBaseUrl}/voice/twilio/whisper?key=1`;
      return xml(c, 'twilio', whisperTwiml(acceptUrl, shell.line.settings.inputTimeoutSeconds));
    }
    const accepted = await screenOfficer(shell.deps, 'twilio', parsed.data.CallSid, parsed.data.Digits, ACCEPT_KEY);
    return xml(c, 'twilio', whisperAnswer(accepted));
  });

  // The studio line (docs/studio.md): its own number's webhooks, staff only, after a PIN.
  app.post('/voice/twilio/studio', twilioGuard, async (c) => {
    const parsed = await parseForm(c, twilioVoiceSchema);
    if (!parsed.ok) return parsed.response;
    const shell = await shellOf();
    const { CallSid, From, Digits, RecordingUrl } = parsed.data;
    const result = await answerStudioCall(shell.deps, { provider: 'twilio', callId: CallSid, caller: From, state: studioState(shell, c), ...(Digits !== undefined ? { digits: Digits } : {}), ...(RecordingUrl ? { recordingUrl: RecordingUrl } : {}) }, shell.line.settings.inputTimeoutSeconds);
    return xml(c, 'twilio', renderTwilioVoice(result.actions, studioRenderOptions(shell, 'twilio')).body);
  });

  app.post('/voice/africastalking/studio', atGuard, async (c) => {
    const parsed = await parseForm(c, atVoiceSchema);
    if (!parsed.ok) return parsed.response;
    if (parsed.data.isActive === '0') return xml(c, 'africastalking', AT_EMPTY_RESPONSE);
    const shell = await shellOf();
    const { sessionId, callerNumber, dtmfDigits, recordingUrl } = parsed.data;
    const result = await answerStudioCall(shell.deps, { provider: 'africastalking', callId: sessionId, caller: callerNumber, state: studioState(shell, c), ...(dtmfDigits !== undefined ? { digits: dtmfDigits } : {}), ...(recordingUrl ? { recordingUrl } : {}) }, shell.line.settings.inputTimeoutSeconds);
    return xml(c, 'africastalking', renderAtVoice(result.actions, studioRenderOptions(shell, 'africastalking')).body);
  });

  /**
   * The recordings: the studio's takes (studio/<lang>/…) from the audio store; committed ones (<lang>/…) from
   * prompts/audio/ locally, from the prompt audio bucket on AWS. A take's name is new for every take, so caching
   * it never plays an old one.
   */
  app.get('/audio/*', async (c) => {
    const path = c.req.path.slice('/audio/'.length);
    const lang = AUDIO_PATH.exec(path)?.[1];
    if (!lang || !(LANGUAGES as readonly string[]).includes(lang)) return c.notFound();
    const { deps } = await shellOf();
    const bytes =
      options.serveAudio && !path.startsWith('studio/')
        ? await readFile(join(audioDir, path)).then((buffer) => new Uint8Array(buffer), () => undefined)
        : await deps.studio.file(path).catch((error: unknown) => {
            deps.log.error('recording could not be read', { path, error });
            return undefined;
          });
    if (!bytes) return c.notFound();
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': path.endsWith('.mp3') ? 'audio/mpeg' : 'audio/wav',
      'Cache-Control': 'public, max-age=300',
    });
  });

  return app;
}


/** `tg/voice.menu.mp3`, `studio/tg/voice.menu.20261201T101500000Z.wav`: nothing else is a recording's path. */
const AUDIO_PATH = /^(?:studio\/)?([a-z]{2})\/[A-Za-z0-9_-][A-Za-z0-9._-]*\.(?:mp3|wav)$/;

function callState(shell: VoiceShell, c: Context): VoiceState {
  const { token: _token, ...query } = c.req.query();
  const state = stateFromQuery(query);
  if (state) return state;
  shell.deps.log.warn('voice callback with an unreadable state; starting over', { path: c.req.path });
  return START;
}

function studioState(shell: VoiceShell, c: Context): StudioState {
  const { token: _token, ...query } = c.req.query();
  const state = studioStateFromQuery(query);
  if (state) return state;
  shell.deps.log.warn('studio callback with an unreadable state; starting over', { path: c.req.path });
  return STUDIO_START;
}

/** The studio line's callbacks come back to its own route; it reads texts, so only the take is played. */
function studioRenderOptions(shell: VoiceShell, provider: VoiceProvider): VoiceRenderOptions<StudioState> {
  return { actionUrl: actionUrl(shell, provider, studioStateToQuery, '/studio'), recordings: () => undefined };
}

function xml(c: Context, provider: VoiceProvider, body: string) {
  return c.body(body, 200, { 'Content-Type': provider === 'twilio' ? 'text/xml' : 'application/xml' });
}

/** The absolute callback URL carrying `state` (and Africa's Talking's token), on the line's route or the studio's. */
function actionUrl<S = VoiceState>(shell: VoiceShell, provider: VoiceProvider, toQuery: (state: S) => Record<string, string> = stateToQuery as never, route = ''): (state: S) => string {
  const { config } = shell.deps;
  return (state) => {
    const query = new URLSearchParams(toQuery(state));
    if (provider === 'africastalking' && config.atWebhookToken) query.set('token', config.atWebhookToken);
    return `${config.publicBaseUrl}/voice/${provider}${route}?${query}`;
  };
}

async function render(shell: VoiceShell, call: VoiceCall, result: VoiceResult): Promise<string> {
  const options: VoiceRenderOptions = {
    actionUrl: actionUrl(shell, call.provider),
    recordings: await shell.deps.studio.resolver(shell.audioBaseUrl, shell.recordings),
    ...(call.hotline ? { callerId: call.hotline } : {}),
    ...(call.provider === 'twilio' ? { screenUrl: `${shell.deps.config.publicBaseUrl}/voice/twilio/whisper` } : {}),
  };
  const rendered: Rendered = call.provider === 'twilio' ? renderTwilioVoice(result.actions, options) : renderAtVoice(result.actions, options);
  logFallbacks(shell, call, rendered.fallbacks);
  return rendered.body;
}

/** Prompts heard in another language (no recording yet), once per callback. */
function logFallbacks(shell: VoiceShell, call: VoiceCall, fallbacks: readonly Fallback[]) {
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

/** The officer's end of a CALL bridge, rendered for Africa's Talking. */
async function bridgeAnswer(shell: VoiceShell, body: AtVoiceRequest): Promise<string> {
  const answer = await answerBridge(shell.deps, {
    callId: body.sessionId,
    ...(body.clientRequestId ? { requestId: body.clientRequestId } : {}),
    active: body.isActive !== '0',
    ...(body.durationInSeconds ? { durationInSeconds: body.durationInSeconds } : {}),
  });
  if (answer.kind === 'ended') return AT_EMPTY_RESPONSE;
  if (answer.kind === 'unavailable') return atBridgeUnavailable();
  return renderAtBridge(answer.number, answer.reference, body.destinationNumber || undefined);
}

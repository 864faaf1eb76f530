/**
 * The phone simulator (local only, never deployed): a static page at `/` that drives the REAL webhook routes in the
 * providers' formats, plus the few helpers under `/dev/sim/` it cannot do itself. The page never sees a secret it
 * would not also see on the wire: it gets the Africa's Talking `?token=` (the gateway sends it in the URL), but
 * Twilio's auth token stays here and only signatures leave.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import * as z from '../shared/domain/zod';
import type { Config } from '../shared/config';
import { twilioSignature } from '../shared/channels/twilio';
import { REFERENCE_ALPHABET, REFERENCE_LENGTH } from '../shared/domain/report';
import { measureScreen, smsParts } from '../shared/domain/screen';

const SIMULATOR_DIR = new URL('../simulator/', import.meta.url);

/** The types of the page's files: its HTML, its stylesheets and its ES modules. Nothing else is served from the folder. */
const ASSET_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page's files (the folder's own, not its subfolders), by name, with their types; listed once, at start. */
export function simulatorAssets(): Map<string, string> {
  const assets = new Map<string, string>();
  for (const entry of readdirSync(SIMULATOR_DIR, { withFileTypes: true })) {
    const type = ASSET_TYPES[extname(entry.name)];
    if (entry.isFile() && type && /^[a-z][a-z0-9-]*\.[a-z]+$/.test(entry.name)) assets.set(entry.name, type);
  }
  return assets;
}

/** Everything the page loads comes from this server: no CDN, so it works offline, and nothing else may run. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "media-src 'self' blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The simulated numbers: a fictional on-call officer (+992900009xxx, as in the sample officers) and the inbound numbers. */
export const SIMULATOR_DEFAULTS = {
  officerNumber: '+992900009001',
  callerNumber: '+992900000001',
  /** The short code migrants text (Africa's Talking), as in the provider fixtures. */
  atShortCode: '21525',
  /** Twilio's UK number used when no TWILIO_FROM is configured (an Ofcom drama number: never a real phone). */
  twilioNumber: '+447700900123',
  /** The voice number callers ring on Africa's Talking, as in the provider fixtures (AT's own example number). */
  atVoiceNumber: '+254711082000',
  networkCode: '99999',
} as const;

/**
 * Recordings the page uploads (a caller's message, from the microphone or the sample): kept in memory, like the
 * local table by default, so that the URL the hotline stores can be played back while the hotline runs.
 */
export const SIM_RECORDINGS = {
  /** Larger than two minutes of 8 kHz WAV or of the browser's Opus; the voice line records at most 120 s by default. */
  maxBytes: 2 * 1024 * 1024,
  /** The oldest are forgotten beyond this many, so a long session cannot fill the memory. */
  kept: 30,
  /** The audio types a browser records (MediaRecorder) or the page makes (WAV); kept without their parameters (codecs). */
  types: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/webm', 'audio/ogg', 'audio/mpeg', 'audio/mp4', 'audio/aac'],
} as const;

const RECORDING_ID = /^[0-9a-f]{24}$/;

interface SimRecording {
  type: string;
  bytes: Uint8Array;
}

/** Paths the signing helper signs: Twilio's webhooks, nothing else. */
const TWILIO_WEBHOOK_PATH = /^\/(sms|voice)\/twilio(\/[A-Za-z0-9/_-]*)?$/;

const signRequestSchema = z.object({
  /** The URL (or path) the page will POST to; only its path and query are used, under PUBLIC_BASE_URL. */
  url: z.string().check(z.minLength(1), z.maxLength(2000)),
  params: z.record(z.string(), z.string().check(z.maxLength(4000))),
});

const measureRequestSchema = z.object({ text: z.string().check(z.maxLength(4000)) });

/** The media type of a Content-Type header, lower case, without its parameters. */
const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

const isLoopbackHost = (header: string | undefined) =>
  ['localhost', '127.0.0.1', '[::1]'].includes((header ?? '').replace(/:\d+$/, '').toLowerCase());

/** The local hotline's other `/dev/*` views (the outbox, the CALL bridges) answer a page on this machine only. */
export const loopbackOnly: MiddlewareHandler = async (c, next) => {
  if (!isLoopbackHost(c.req.header('host') ?? new URL(c.req.url).host)) return c.text('Forbidden: the local views answer localhost only', 403);
  await next();
};

/**
 * `/dev/sim/*` answers only a page on this machine: the Host must be a loopback name (a DNS-rebinding page on
 * another site cannot read the Africa's Talking token or use the signer), a browser must not flag the request as
 * cross-site, and POSTs must be JSON (which a cross-site form cannot send without a CORS preflight we never allow),
 * or, for a recording upload, an audio type (not a CORS-safelisted type either: it needs the same preflight).
 */
const localOnly: MiddlewareHandler = async (c, next) => {
  if (!isLoopbackHost(c.req.header('host'))) return c.text('Forbidden: the simulator helpers answer localhost only', 403);
  if (c.req.header('sec-fetch-site') === 'cross-site') return c.text('Forbidden: cross-site request', 403);
  if (c.req.method === 'POST') {
    const type = mediaType(c.req.header('content-type'));
    const upload = c.req.path === '/dev/sim/recordings';
    if (upload && !(SIM_RECORDINGS.types as readonly string[]).includes(type)) {
      return c.text(`Unsupported media type: send the recording as one of ${SIM_RECORDINGS.types.join(', ')}`, 415);
    }
    if (!upload && type !== 'application/json') return c.text('Unsupported media type: send JSON', 415);
  }
  await next();
};

/** Twilio's signature for a request to `path` (path + query) under the public base URL, as the webhook checks it. */
export function twilioSignatureFor(
  config: { publicBaseUrl: string; twilio: { authToken: string | undefined } },
  path: string,
  params: Record<string, string>,
) {
  const authToken = config.twilio.authToken;
  if (!authToken) return undefined;
  const url = `${config.publicBaseUrl}${path}`;
  return { url, signature: twilioSignature(authToken, url, Object.entries(params)) };
}

/** The page at `/`, its stylesheet and modules under `/dev/sim/`, and the local-only helpers under `/dev/sim/`. */
export function simulatorRoutes(deps: { config: Config }): Hono {
  const { config } = deps;
  const app = new Hono();

  const serveAsset = (name: string, type: string) =>
    app.get(name === 'index.html' ? '/' : `/dev/sim/${name}`, async (c) => {
      const body = await readFile(new URL(name, SIMULATOR_DIR), 'utf8');
      return c.body(body, 200, {
        'Content-Type': type,
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      });
    });
  for (const [name, type] of simulatorAssets()) serveAsset(name, type);

  app.use('/dev/sim/*', localOnly);

  app.get('/dev/sim/config', (c) =>
    c.json({
      ussdServiceCode: config.ussdServiceCode,
      ussdLimits: config.ussdLimits,
      /** Sent in the URL of every Africa's Talking request, as the gateway does once it is configured. */
      atWebhookToken: config.atWebhookToken ?? null,
      atShortCode: SIMULATOR_DEFAULTS.atShortCode,
      twilioNumber: config.twilio.sending?.from?.startsWith('+') ? config.twilio.sending.from : SIMULATOR_DEFAULTS.twilioNumber,
      twilioSigning: Boolean(config.twilio.authToken),
      /** The numbers callers ring, per provider: the voice webhooks get them as `destinationNumber` / `To`. */
      voiceNumbers: {
        africastalking: SIMULATOR_DEFAULTS.atVoiceNumber,
        twilio: config.twilio.sending?.from?.startsWith('+') ? config.twilio.sending.from : SIMULATOR_DEFAULTS.twilioNumber,
      },
      /** The origin of the callback URLs the voice line writes into its answers; the page posts them here instead. */
      publicBaseUrl: config.publicBaseUrl,
      recordingMaxBytes: SIM_RECORDINGS.maxBytes,
      networkCode: SIMULATOR_DEFAULTS.networkCode,
      callerNumber: SIMULATOR_DEFAULTS.callerNumber,
      officerNumber: SIMULATOR_DEFAULTS.officerNumber,
      reference: { alphabet: REFERENCE_ALPHABET, length: REFERENCE_LENGTH },
    }),
  );

  app.post('/dev/sim/measure', async (c) => {
    const parsed = measureRequestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.text('Bad request: {"text": string} expected', 400);
    const { text } = parsed.data;
    return c.json({ ...measureScreen(text, config.ussdLimits), smsParts: smsParts(text) });
  });

  app.post('/dev/sim/twilio-sign', async (c) => {
    const parsed = signRequestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.text('Bad request: {"url": string, "params": {name: string}} expected', 400);
    let target: URL;
    try {
      target = new URL(parsed.data.url, 'http://localhost');
    } catch {
      return c.text('Bad request: not a URL', 400);
    }
    if (!TWILIO_WEBHOOK_PATH.test(target.pathname)) return c.text('Forbidden: only Twilio webhook paths are signed', 403);
    const signed = twilioSignatureFor(config, `${target.pathname}${target.search}`, parsed.data.params);
    if (!signed) return c.text('No Twilio auth token is configured, so Twilio webhooks refuse every request', 409);
    return c.json(signed);
  });

  // A caller's message: the page uploads the audio, and sends the URL it gets back as the provider's recording URL
  // (Twilio's RecordingUrl, Africa's Talking's recordingUrl), which the hotline keeps on the report.
  const recordings = new Map<string, SimRecording>();
  app.post(
    '/dev/sim/recordings',
    bodyLimit({
      maxSize: SIM_RECORDINGS.maxBytes,
      onError: (c) => c.text(`Payload too large: a recording is at most ${SIM_RECORDINGS.maxBytes} bytes`, 413),
    }),
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.length === 0) return c.text('Bad request: the recording is empty', 400);
      if (bytes.length > SIM_RECORDINGS.maxBytes) return c.text(`Payload too large: a recording is at most ${SIM_RECORDINGS.maxBytes} bytes`, 413);
      const id = randomBytes(12).toString('hex');
      recordings.set(id, { type: mediaType(c.req.header('content-type')), bytes });
      for (const oldest of recordings.keys()) {
        if (recordings.size <= SIM_RECORDINGS.kept) break;
        recordings.delete(oldest);
      }
      const path = `/dev/sim/recordings/${id}`;
      // The address this page reached the hotline at: where the recording can be played back from.
      return c.json({ id, path, url: `${new URL(c.req.url).origin}${path}`, bytes: bytes.length }, 201);
    },
  );

  app.get('/dev/sim/recordings/:id', (c) => {
    const id = c.req.param('id');
    const recording = RECORDING_ID.test(id) ? recordings.get(id) : undefined;
    if (!recording) return c.text('Not found: no such recording (they are kept in memory while the hotline runs)', 404);
    return c.body(recording.bytes.slice(), 200, {
      'Content-Type': recording.type,
      'Content-Length': String(recording.bytes.length),
      'Cache-Control': 'private, max-age=3600',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Content-Type-Options': 'nosniff',
    });
  });

  return app;
}

/**
 * `npm start`: the whole hotline on one machine. dynalite (an embedded DynamoDB) on the standard
 * AWS_ENDPOINT_URL_DYNAMODB endpoint, the table created if missing, sample data seeded, and every function's
 * Hono app served on one port, plus local-only routes under /dev/. Nothing here is deployed.
 */
import { serve, type ServerType } from '@hono/node-server';
import dynalite from 'dynalite';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createSmsApp } from '../functions/sms/app';
import { createUssdApp } from '../functions/ussd/app';
import { createVoiceApp } from '../functions/voice/app';
import { ConfigError, readEnvironment, type Config, type Environment } from '../shared/config';
import { loadWholeConfig } from '../shared/config-sections';
import { deliver } from '../shared/outbox/deliver';
import { LocalOutbox, LocalQueue, localSender } from '../shared/outbox/local';
import { configuredSenders } from '../shared/outbox/senders';
import { withChannels } from '../shared/channels-root';
import { withConsole } from '../shared/console/compose';
import { withSms } from '../shared/sms/compose';
import { withUssd } from '../shared/ussd/compose';
import { withVoice } from '../shared/voice/compose';
import { createDeps } from '../shared/services-root';
import type { ChannelDeps, SmsServices, UssdServices, VoiceServices } from '../shared/runtime';
import { LocalNumberVault } from '../shared/crypto';
import type { Logger } from '../shared/log';
import { afterReplay, repairUnfinishedIntakes } from '../shared/intake';
import { createLocalEscalationDeps, type LocalEscalationDeps } from '../shared/escalation/local';
import { LocalCallBridge } from '../shared/escalation/call-bridge';
import { configuredCallBridge } from '../shared/escalation/call-bridges';
import { rearmPending } from '../shared/escalation/service';
import { broadcastReport, listAlerts, listBroadcasts, runBroadcastSchedule } from '../shared/outreach/service';
import { SegmentThrottle } from '../shared/outbox/throttle';
import { BulkOutbox } from '../shared/outbox/bulk';
import { BulkMessageRepository } from '../shared/store/bulk-messages';
import { SubscriptionRepository } from '../shared/store/outreach';
import { FileJournal } from '../shared/store/journal';
import { LocalOutboxSpool } from '../shared/store/local-outbox-spool';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureTable } from '../shared/store/client';
import { seedSampleData } from './seed';
import { createConsoleApp } from '../functions/console/app';
import { LocalMailbox } from '../shared/console/mail';
import { remindDueReferrals } from '../shared/console/referrals';
import { OidcSignIn } from '../shared/console/sign-in';
import type { ConsoleDeps } from '../shared/runtime';
import { startLocalOidcProvider } from './local-oidc';
import { loopbackOnly, simulatorRoutes } from './simulator';
import { FileAudioStore } from '../shared/studio/audio-files';
import { withStudio } from '../shared/studio/compose';
import type { StudioServices } from '../shared/studio/service';
import { toTelephonyAudio } from '../shared/audio/telephony';

export interface LocalHotline {
  url: string;
  deps: LocalDeps;
  /** The console's dependencies (the same stores), once the server knows its port. */
  console: ConsoleDeps;
  /** The embedded OpenID provider the console signs in to (the local stand-in for Cognito). */
  oidcIssuer: string;
  dynamoEndpoint: string;
  stop(): Promise<void>;
}

/** How often the local console reminds partners of referrals near their deadline. */
const REFERRAL_REMINDERS_EVERY_MS = 5 * 60_000;

/** How often the local hotline replays reports the table refused. */
const JOURNAL_REPLAY_EVERY_MS = 60_000;
/** How often the local hotline looks for due broadcasts and timed tips (a schedule does this on AWS). */
const BROADCASTS_EVERY_MS = 30_000;

type Closable = { close(callback: (error?: Error) => void): unknown };
const closeServer = (server: Closable) => new Promise<void>((resolve) => server.close(() => resolve()));

async function startDynalite(config: Config): Promise<{ endpoint: string; server: Closable }> {
  const url = new URL(config.dynamoEndpoint!);
  const server = dynalite({ path: config.dynalitePath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(url.port || 80), url.hostname, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return { endpoint: `${url.protocol}//${url.hostname}:${port}`, server };
}

/**
 * Everything the functions need (every channel's part: one process serves them all), with the in-process queue and
 * the local outbox standing in for SQS.
 */
export interface LocalDeps extends ChannelDeps, UssdServices, SmsServices, VoiceServices, StudioServices {
  /** One process runs every function: the whole configuration. */
  config: Config;
  /** The vault that seals numbers, which the voice line's part only opens. */
  vault: ChannelDeps['vault'];
  localOutbox: LocalOutbox;
  localQueue: LocalQueue;
  journalFile: FileJournal;
  escalation: LocalEscalationDeps;
  /** Officers' CALL bridges, recorded instead of placed when no voice provider is configured (GET /dev/calls). */
  localCalls: LocalCallBridge;
  /** E-mails to partners, kept here instead of sent (GET /dev/mail). */
  localMail: LocalMailbox;
}

export function createLocalDeps(config: Config, log?: Logger): LocalDeps {
  const base = createDeps(config, log);
  const localOutbox = new LocalOutbox();
  const context = {
    senders: configuredSenders(config),
    fallback: localSender,
    routes: config.sms.routes,
    messages: base.messages,
    maxAttempts: config.sms.maxAttempts,
    log: base.log,
    subscribers: new SubscriptionRepository(base.db, config.tableName),
    throttle: new SegmentThrottle(config.outreach.segmentLimits),
  };
  const { journal, vault } = config.reports;
  if (journal.kind !== 'file' || vault.kind !== 'local') throw new Error('the local hotline keeps its journal in a file and seals numbers locally');
  const numberVault = new LocalNumberVault(vault.secret);
  const localQueue = new LocalQueue((message, attempt) => deliver(context, message, attempt), {
    maxAttempts: config.sms.maxAttempts,
    retryBaseMs: config.sms.retryBaseMs,
    view: localOutbox,
    spool: new LocalOutboxSpool(base.db, config.tableName, numberVault),
  });
  const journalFile = new FileJournal(journal.path);
  let escalation: LocalEscalationDeps | undefined;
  const localCalls = new LocalCallBridge();
  const common = withChannels(base, {
    queue: localQueue,
    journal: journalFile,
    vault: numberVault,
    // Like SMS: the configured voice providers when there are credentials, else the local record.
    callBridge: (escalations) => configuredCallBridge(config, { escalations, vault: numberVault }, localCalls),
    escalation: (shared) => (escalation = createLocalEscalationDeps(shared, config.escalation)),
  });
  const channels = withStudio(withVoice(withSms(withUssd(common))), { audio: new FileAudioStore(config.studio.audioDir), toTelephony: toTelephonyAudio });
  // The bulk lane of the outbox: here the broadcasts are fanned out too (functions/broadcast on AWS).
  channels.campaigns.bulk = new BulkOutbox(new BulkMessageRepository(base.db, config.tableName, base.messages), localQueue, () => base.now());
  return { ...channels, escalation: escalation!, localOutbox, localQueue, journalFile, localCalls, localMail: new LocalMailbox() };
}

/**
 * At start, what the last run left unfinished (with DYNALITE_PATH the table outlives the process): the SMS it
 * queued and never sent are queued again, then the journal is replayed and half-written reports are completed.
 */
export async function recoverLocalWork(deps: LocalDeps): Promise<void> {
  const requeued = await deps.localQueue.resume();
  if (requeued > 0) deps.log.warn('queued SMS from the last run queued again', { count: requeued });
  await replayLocalJournal(deps);
}

/** Replays the intake journal (reports the table refused) into the table; run at start and on a timer. */
export async function replayLocalJournal(deps: LocalDeps): Promise<void> {
  const result = await deps.journalFile.drain(deps.reports);
  await afterReplay(deps.intake, result);
  // And the intakes a crash left half-written (they were never journaled: nothing failed, the process died).
  await repairUnfinishedIntakes(deps.intake);
}

/** Every function's app, as deployed, on one server with the same dependencies, plus the local-only routes. */
export function localApp(deps: LocalDeps, getConsole?: () => Promise<ConsoleDeps>): Hono {
  const getDeps = async () => deps;
  const root = new Hono();
  if (getConsole) root.route('/', createConsoleApp(getConsole));
  // What the console would have e-mailed to partners.
  root.get('/dev/mail', loopbackOnly, (c) => c.json(deps.localMail.list()));
  root.route('/', createUssdApp(getDeps));
  root.route('/', createSmsApp(getDeps));
  root.route('/', createVoiceApp(getDeps, { serveAudio: true }));
  // The messages and call bridges hold phone numbers: for a page on this machine only (no DNS rebinding).
  root.get('/dev/outbox', loopbackOnly, async (c) => c.json(await deps.localOutbox.list(deps.messages)));
  // Officers' CALL bridges the local hotline would have placed: which phone rings, to whom it connects.
  root.get('/dev/calls', loopbackOnly, (c) => c.json(deps.localCalls.list()));
  // Scam alerts and broadcasts with their delivery reports, and one run of the broadcast schedule (AWS: every minute).
  root.get('/dev/alerts', loopbackOnly, async (c) => c.json(await listAlerts(deps.campaigns)));
  root.get('/dev/broadcasts', loopbackOnly, async (c) => c.json(await listBroadcasts(deps.campaigns)));
  root.get('/dev/broadcasts/:id', loopbackOnly, async (c) => {
    const broadcast = await broadcastReport(deps.campaigns, c.req.param('id'));
    return broadcast ? c.json(broadcast) : c.json({ error: 'no such broadcast' }, 404);
  });
  root.post('/dev/broadcasts/run', loopbackOnly, async (c) => c.json(await runBroadcastSchedule(deps.campaigns)));
  root.route('/', simulatorRoutes(deps));
  return root;
}

export async function startLocalHotline(env: Environment = readEnvironment()): Promise<LocalHotline> {
  // The local hotline has open routes and no secrets: it must never be mistaken for a deployed one.
  if (env.HOTLINE_MODE === 'aws') throw new Error('HOTLINE_MODE=aws is a deployed Lambda: npm start runs the local hotline only (unset HOTLINE_MODE)');
  const config = loadWholeConfig({ ...env, HOTLINE_MODE: 'local' });
  const store = await startDynalite(config);
  // Port 0 (tests) resolves to the port dynalite actually took.
  const deps = createLocalDeps({ ...config, dynamoEndpoint: store.endpoint });
  await ensureTable(deps.db, config.tableName);
  if (config.seedSampleData) await seedSampleData(deps.db, config.tableName, config.phoneHashKey);
  if (config.reports.journal.kind === 'file') await mkdir(dirname(config.reports.journal.path), { recursive: true });
  await recoverLocalWork(deps);
  const replayTimer = setInterval(() => {
    replayLocalJournal(deps).catch((error: unknown) => deps.log.error('journal replay failed', { error }));
  }, JOURNAL_REPLAY_EVERY_MS);
  replayTimer.unref();
  const broadcastTimer = setInterval(() => {
    runBroadcastSchedule(deps.campaigns).catch((error: unknown) => deps.log.error('broadcast run failed', { error }));
  }, BROADCASTS_EVERY_MS);
  broadcastTimer.unref();
  // Escalations waiting for an ACK when the hotline last stopped get their timers back.
  await rearmPending(deps.escalation);

  let consoleDeps: ConsoleDeps | undefined;
  const http: ServerType = await new Promise((resolve) => {
    const app = localApp(deps, async () => consoleDeps!);
    const server = serve({ fetch: app.fetch, port: config.port, hostname: '127.0.0.1' }, () => resolve(server));
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  // The console signs in to an embedded OpenID provider, started once the console's callback URL is known.
  const oidc = await startLocalOidcProvider({
    port: config.console.localOidcPort,
    clientId: config.console.clientId,
    redirectUri: `${url}/console/callback`,
    rolesClaim: config.console.rolesClaim,
  });
  consoleDeps = withConsole(deps, {
    signIn: new OidcSignIn({ issuer: oidc.issuer, clientId: config.console.clientId, redirectUri: `${url}/console/callback`, rolesClaim: config.console.rolesClaim }),
    mail: deps.localMail,
    consoleBaseUrl: url,
  });
  const reminderTimer = setInterval(() => {
    remindDueReferrals(consoleDeps!).catch((error: unknown) => deps.log.error('referral reminders failed', { error }));
  }, REFERRAL_REMINDERS_EVERY_MS);
  reminderTimer.unref();
  return {
    url,
    dynamoEndpoint: store.endpoint,
    deps,
    console: consoleDeps,
    oidcIssuer: oidc.issuer,
    async stop() {
      clearInterval(replayTimer);
      clearInterval(broadcastTimer);
      clearInterval(reminderTimer);
      await oidc.stop();
      await closeServer(http);
      await deps.escalation.scheduler.stop();
      await deps.localQueue.drain();
      await closeServer(store.server);
    },
  };
}

async function main() {
  try {
    const hotline = await startLocalHotline();
    console.log(`SafeJob Hotline is running at ${hotline.url} (DynamoDB at ${hotline.dynamoEndpoint}; Ctrl-C stops it)`);
    const stop = async () => {
      await hotline.stop();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    const message =
      error instanceof ConfigError
        ? error.message
        : (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
          ? `Cannot start: ${(error as Error).message}. Is another hotline running? Set PORT or AWS_ENDPOINT_URL_DYNAMODB.`
          : `Cannot start: ${(error as Error).stack ?? String(error)}`;
    console.error(message);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main();

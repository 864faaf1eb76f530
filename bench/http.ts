/**
 * The hotline through its full local HTTP stack (bench/server.ts in a child process), driven from this process over
 * loopback: latency per request kind against `GET /health` of the same server, store round-trips per request kind,
 * and USSD throughput at 50 concurrent sessions (autocannon). All load goes to 127.0.0.1, bounded in count and time.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnvironment } from '../shared/config';
import { send, type Req } from './loopback';
import type { StoreCall } from '../test/support/faults';
import { random, syntheticRegistry } from './registry';
import { STORE_PROBES, type StoreCallTimes } from './store-calls';
import { round, summary, verdict, type Verdict } from './stats';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REGISTRY_ENTRIES = 10_000;

/** What the bench server answers to, and the reply each request waits for (bench/server.ts). */
const REPLIES = { calls: 'calls', drain: 'drained', store: 'store', latency: 'latency', hold: 'held' } as const;

interface BenchServer {
  url: string;
  importMs: number;
  ask<T>(type: keyof typeof REPLIES, details?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'server.ts')], {
    cwd: ROOT,
    // The hotline logs one JSON line per event to stdout, as on Lambda; it is written, not shown.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...readEnvironment(), REGISTRY_ENTRIES: String(REGISTRY_ENTRIES) },
  });
  const ready = await new Promise<{ url: string; importMs: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code}) before it was ready`)));
    child.on('message', (message: { type: string; url: string; importMs: number }) => {
      if (message.type === 'ready') resolve(message);
    });
  });
  return {
    ...ready,
    ask<T>(type: keyof typeof REPLIES, details: Record<string, unknown> = {}) {
      return new Promise<T>((resolve) => {
        const listener = (message: { type: string }) => {
          if (message.type !== REPLIES[type]) return;
          child.off('message', listener);
          resolve(message as T);
        };
        child.on('message', listener);
        child.send({ ...details, type });
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One request at a time, over one kept-alive connection

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const HEALTH: Req = { method: 'GET', path: '/health' };

/** Numbers of returning callers (English remembered) and of SMS senders. */
const CALLERS = Array.from({ length: 50 }, (_, i) => `+99290${String(7_000_000 + i)}`);
const SENDERS = Array.from({ length: 50 }, (_, i) => `+99290${String(8_000_000 + i)}`);

const ussd = (sessionId: string, phoneNumber: string, text: string): Req => ({
  method: 'POST',
  path: '/ussd/africastalking',
  body: form({ sessionId, serviceCode: '*384*1234#', phoneNumber, networkCode: '99999', text }),
});
const sms = (id: string, from: string, text: string): Req => ({
  method: 'POST',
  path: '/sms/africastalking',
  body: form({ id, from, to: '21525', text, date: '2026-11-25 09:00:00', networkCode: '99999' }),
});

/** The synthetic registry the server imported (same generator, same seed). */
const entries = syntheticRegistry(REGISTRY_ENTRIES, random(REGISTRY_ENTRIES));
let run = 0;
const unique = () => `${process.pid}-${++run}`;

interface Kind {
  name: string;
  make: (k: number) => Req;
  /** What a correct answer looks like: measuring wrong answers fast would mean nothing. */
  expect: (reply: { status: number; body: string }) => boolean;
  count: number;
  /** Its replies' deliveries held until the kind is measured (they run in the server's process here, not on AWS). */
  holdDelivery?: boolean;
}

const SMS_CHECK: Kind = {
  name: 'SMS CHECK (name, 10k registry)',
  make: (k) => sms(`check-${unique()}`, SENDERS[k % SENDERS.length]!, `CHECK ${entries[(k * 104_729) % entries.length]!.name}`),
  expect: (r) => r.status === 200 && r.body === 'OK',
  count: 600,
};

const KINDS: Kind[] = [
  {
    // Not a target: what a POST with a form costs before any store call (body read, form parse, validation, a log
    // line), to tell the HTTP and parsing share of a step from its store share.
    name: 'POST a form, no store call (USSD end-of-session event)',
    make: (k) => ({
      method: 'POST',
      path: '/ussd/africastalking/events',
      body: form({ sessionId: `event-${k}`, serviceCode: '*384*1234#', phoneNumber: CALLERS[k % CALLERS.length]!, status: 'Success', durationInMillis: '41230', hopsCount: '5' }),
    }),
    expect: (r) => r.status === 200 && r.body === 'OK',
    count: 1000,
  },
  {
    name: 'USSD menu step (returning caller)',
    make: (k) => ussd(`menu-${unique()}`, CALLERS[k % CALLERS.length]!, ['4', '1', '4*1', '1*1'][k % 4]!),
    expect: (r) => r.status === 200 && r.body.startsWith('CON '),
    count: 1500,
  },
  {
    // One session per caller, reused: after its first step the session's language is known to this container.
    name: 'USSD menu step (within a session)',
    make: (k) => ussd(`menu-session-${process.pid}-${k % CALLERS.length}`, CALLERS[k % CALLERS.length]!, ['4', '1', '4*1', '1*1'][k % 4]!),
    expect: (r) => r.status === 200 && r.body.startsWith('CON '),
    count: 1500,
  },
  {
    name: 'USSD verification by name (10k registry)',
    make: (k) => ussd(`name-${unique()}`, CALLERS[k % CALLERS.length]!, `1*1*${entries[(k * 7919) % entries.length]!.name}`),
    expect: (r) => r.status === 200 && r.body.startsWith('CON '),
    count: 1000,
  },
  {
    // As a caller meets it: the check is the fourth screen of a session this container has answered before.
    name: 'USSD verification by name, within a session (10k registry)',
    make: (k) => ussd(`name-session-${process.pid}-${k % CALLERS.length}`, CALLERS[k % CALLERS.length]!, `1*1*${entries[(k * 7919) % entries.length]!.name}`),
    expect: (r) => r.status === 200 && r.body.startsWith('CON '),
    count: 1000,
  },
  {
    name: 'USSD verification by licence (10k registry)',
    make: (k) => ussd(`lic-${unique()}`, CALLERS[k % CALLERS.length]!, `1*1*${entries[(k * 7919) % entries.length]!.licenceNumber}`),
    expect: (r) => r.status === 200 && /^CON .*LICENSED|^CON .*WARNING/s.test(r.body),
    count: 1000,
  },
  SMS_CHECK,
  // The same, without the reply's delivery (lease, provider call, sent mark) beside it in the same process: on AWS
  // the outbox is a function of its own. The replies are still recorded and queued; they are sent afterwards.
  { ...SMS_CHECK, name: 'SMS CHECK (name, 10k registry), its delivery held until after', holdDelivery: true },
  {
    name: 'USSD report submission (final step, fresh session)',
    make: (k) => ussd(`report-${unique()}`, CALLERS[k % CALLERS.length]!, `2*3*2*3000*1*@bench_scam_${k % 200}*1*1*1`),
    expect: (r) => r.status === 200 && /^END Report [2-9A-Z]{6} received\./.test(r.body),
    count: 400,
  },
];

/** What each latency target allows, as a ratio of p50 to the baseline's p50 (issue #10). */
const LATENCY_TARGETS: Record<string, number> = {
  'USSD menu step (returning caller)': 3,
  'USSD menu step (within a session)': 3,
  'USSD verification by name (10k registry)': 4,
  'USSD verification by name, within a session (10k registry)': 4,
  'USSD verification by licence (10k registry)': 4,
  'SMS CHECK (name, 10k registry)': 6,
};

export interface LatencyRow {
  request: string;
  n: number;
  p50Ms: number;
  p99Ms: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  p50Ratio: number;
  p99Ratio: number;
  target: string;
  verdict: Verdict | '-';
  wrongAnswers: number;
}

let warmed = false;
async function warmUp(server: BenchServer) {
  if (warmed) return;
  warmed = true;
  // Every caller has chosen English in an earlier session; the registry index is loaded (a refresh reads the
  // version item and, when it moved, the whole registry once).
  for (const phone of CALLERS) {
    await send(server.url, ussd(`warm-${phone}`, phone, ''));
    await send(server.url, ussd(`warm-${phone}`, phone, '3'));
  }
  for (const kind of KINDS) for (let k = 0; k < 30; k++) await send(server.url, kind.make(k));
  await server.ask('drain');
}

/** The first wrong answer of each kind, printed below the table. */
export const firstWrong = new Map<string, string>();

/** Each kind's requests interleaved with the baseline's, one at a time, so that both see the same machine state. */
export async function measureLatency(server: BenchServer): Promise<LatencyRow[]> {
  await warmUp(server);
  const rows: LatencyRow[] = [];
  for (const kind of KINDS) {
    const baseline: number[] = [];
    const target: number[] = [];
    let wrong = 0;
    if (kind.holdDelivery) await server.ask('hold', { on: true });
    for (let k = 0; k < kind.count; k++) {
      const order = k % 2 === 0 ? (['base', 'target'] as const) : (['target', 'base'] as const);
      for (const which of order) {
        if (which === 'base') baseline.push((await send(server.url, HEALTH)).ms);
        else {
          const reply = await send(server.url, kind.make(k));
          if (!kind.expect(reply)) {
            if (wrong === 0) firstWrong.set(kind.name, reply.body.slice(0, 200));
            wrong++;
          }
          target.push(reply.ms);
        }
      }
    }
    if (kind.holdDelivery) await server.ask('hold', { on: false });
    await server.ask('drain');
    const b = summary(baseline);
    const t = summary(target);
    const allowed = LATENCY_TARGETS[kind.name];
    const p50Ratio = t.p50 / b.p50;
    rows.push({
      request: kind.name,
      n: t.n,
      p50Ms: round(t.p50, 3),
      p99Ms: round(t.p99, 3),
      baselineP50Ms: round(b.p50, 3),
      baselineP99Ms: round(b.p99, 3),
      p50Ratio: round(p50Ratio),
      p99Ratio: round(t.p99 / b.p99),
      target: allowed ? `≤ ${allowed}×` : '-',
      verdict: allowed ? verdict(p50Ratio <= allowed && wrong === 0) : '-',
      wrongAnswers: wrong,
    });
  }
  return rows;
}

export interface StoreCallRow {
  call: string;
  p50Ms: number;
  p99Ms: number;
  /** Against `GET /health` timed from the same place (inside the server), interleaved with it. */
  perHealthHere: number;
  /** Against the latency table's baseline (`GET /health` from the load generator). */
  perBaseline: number;
}

const STORE_CALLS: Record<keyof StoreCallTimes, string> = {
  getSdk: "GetItem, the caller's language: through the SDK document client (as the server)",
  getRaw: 'GetItem, the same body: a raw keep-alive POST to dynalite',
  updateSdk: "UpdateItem, the analysts' verification count: through the SDK document client",
  updateRaw: 'UpdateItem, the same body: a raw keep-alive POST to dynalite',
  health: 'GET /health of the server, from inside the server',
};

/**
 * One read and one write, each through the SDK and raw, and `/health`, all timed inside the server (bench/store-calls.ts),
 * where the server's own calls are made: raw = the local store (dynalite and its HTTP round trip), SDK − raw = the
 * SDK's own CPU.
 */
export async function measureStoreCalls(server: BenchServer, baselineP50Ms: number) {
  // A returning caller's read: the warm-up stored this caller's language.
  await warmUp(server);
  const { ms } = await server.ask<{ ms: StoreCallTimes }>('store', { caller: CALLERS[0] });
  const p50 = Object.fromEntries(STORE_PROBES.map((probe) => [probe, summary(ms[probe]).p50])) as Record<keyof StoreCallTimes, number>;
  const rows: StoreCallRow[] = STORE_PROBES.map((probe) => ({
    call: STORE_CALLS[probe],
    p50Ms: round(p50[probe], 3),
    p99Ms: round(summary(ms[probe]).p99, 3),
    perHealthHere: round(p50[probe] / p50.health),
    perBaseline: round(p50[probe] / baselineP50Ms),
  }));
  return { rows, p50 };
}

export interface LatencyShareRow {
  request: string;
  /** The latency table's p50 ratio, split into the columns after it (each in units of the row's baseline). */
  ratio: number;
  /** A POSTed form that makes no store call: HTTP, form parsing, validation, a log line. */
  formFloor: number;
  reads: number;
  writes: number;
  /** The calls × the raw POST's cost (reads priced as the GetItem, writes as the UpdateItem): the local store itself. */
  dynalite: number;
  /** The calls × (SDK − raw): the SDK's own CPU. */
  sdk: number;
  /** The remainder: the hotline's own code beyond the form floor. */
  ours: number;
  /** The outbox's calls once the reply is out (a texted reply's delivery, in the same process here), not in the split. */
  deliveryCalls: number;
}

/**
 * Each store-calling row of the latency table split into the form POST floor, the local store, the SDK and the rest:
 * the calls are counted on the same kind of request (median of `perKind`) and priced at the store calls' p50s.
 * Calls side by side are counted in full: here the SDK and dynalite share the server's one thread.
 */
export async function splitLatency(server: BenchServer, latency: LatencyRow[], store: Record<keyof StoreCallTimes, number>, perKind = 20): Promise<LatencyShareRow[]> {
  const form = latency.find((row) => row.request.startsWith('POST a form'))!;
  const rows: LatencyShareRow[] = [];
  // Those measured across the network, and SMS CHECK with its delivery held.
  for (const kind of KINDS.filter((k) => NETWORK_KINDS.includes(k.name) || k.holdDelivery)) {
    const row = latency.find((r) => r.request === kind.name)!;
    const perRequest = await storeCallsOf(server, kind.make, perKind);
    const median = (values: number[]) => summary(values).median;
    const reads = median(perRequest.map((r) => r.reads));
    const writes = median(perRequest.map((r) => r.writes));
    const share = (ms: number) => round(ms / row.baselineP50Ms);
    const formFloor = share(form.p50Ms);
    const dynalite = share(reads * store.getRaw + writes * store.updateRaw);
    const sdk = share(reads * (store.getSdk - store.getRaw) + writes * (store.updateSdk - store.updateRaw));
    rows.push({
      request: kind.name,
      ratio: row.p50Ratio,
      formFloor,
      reads,
      writes,
      dynalite,
      sdk,
      ours: round(row.p50Ratio - formFloor - dynalite - sdk),
      deliveryCalls: median(perRequest.map((r) => r.outbox)),
    });
  }
  return rows;
}

/** The closing note's sentence for a row ("ours" holds the form floor too: the HTTP stack and parsing are ours). */
export const shareSentence = (row: LatencyShareRow) =>
  `of the ${row.ratio}× of "${row.request}", ${row.dynalite}× is dynalite, ${row.sdk}× the SDK, ${round(row.formFloor + row.ours)}× ours ` +
  `(${row.formFloor}× of it the form POST floor)`;

export interface NetworkRow {
  request: string;
  n: number;
  /** p50 with the store as it is here (dynalite in the server's process). */
  localP50Ms: number;
  /** p50 with every store call `latencyMs` later, the same requests interleaved with the local ones. */
  networkP50Ms: number;
  addedMs: number;
  /** The added time in units of one call's latency: the rounds of store calls the request waits on, one after another. */
  waits: number;
}

/** The kinds that call the store: split into their shares (splitLatency) and measured across the simulated network. */
const NETWORK_KINDS = [
  'USSD menu step (returning caller)',
  'USSD verification by name (10k registry)',
  'USSD verification by name, within a session (10k registry)',
  'SMS CHECK (name, 10k registry)',
  'USSD report submission (final step, fresh session)',
];

/**
 * The same requests with the store `latencyMs` away, as DynamoDB is from a Lambda (a few ms a call), alternating
 * with the store as it is here: what each sequential round of store calls costs where the store is not in the
 * process, and so what running calls side by side saves there (here dynalite's and the SDK's CPU share one thread).
 */
export async function measureAcrossNetwork(server: BenchServer, latencyMs: number, count = 150): Promise<NetworkRow[]> {
  await warmUp(server);
  const rows: NetworkRow[] = [];
  for (const kind of KINDS.filter((k) => NETWORK_KINDS.includes(k.name))) {
    const local: number[] = [];
    const network: number[] = [];
    for (let k = 0; k < count; k++) {
      for (const ms of k % 2 === 0 ? [0, latencyMs] : [latencyMs, 0]) {
        await server.ask('latency', { ms });
        const reply = await send(server.url, kind.make(2 * k + (ms === 0 ? 0 : 1)));
        if (!kind.expect(reply)) throw new Error(`${kind.name}: wrong answer across the network: ${reply.body.slice(0, 200)}`);
        (ms === 0 ? local : network).push(reply.ms);
      }
    }
    await server.ask('latency', { ms: 0 });
    await server.ask('drain');
    const l = summary(local).p50;
    const n = summary(network).p50;
    rows.push({ request: kind.name, n: count, localP50Ms: round(l, 3), networkP50Ms: round(n, 3), addedMs: round(n - l, 2), waits: round((n - l) / latencyMs, 1) });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Store round-trips

export interface RoundTripRow {
  request: string;
  reads: number;
  writes: number;
  maxReads: number;
  maxWrites: number;
  /** The longest chain of store calls each waiting on the one before (calls side by side count once). */
  rounds: number;
  /** The outbox's own calls once the reply is out (local queue; on AWS the outbox function makes them). */
  outboxAfter: number;
  calls: string;
  target: string;
  verdict: Verdict | '-';
}

/**
 * A queued SMS's delivery, started as the reply leaves: read the status, record the provider id, mark it sent, and
 * the local queue lets the message go.
 */
const isOutboxDelivery = (call: StoreCall) =>
  (call.item === 'OUTMSG' && call.command !== 'PutItem') ||
  (call.item === 'PROVIDERMSG' && call.command === 'PutItem') ||
  (call.item === 'LOCALOUTBOX' && call.command === 'DeleteItem');

interface TripKind {
  name: string;
  make: (k: number) => Req;
  target?: { reads: number; writes: number; rounds?: number; label: string };
}

/**
 * A verification's store calls: its one read beyond navigation, and one write, the analysts' daily counter of checks
 * (console dashboard, verifications per week), which holds counts only.
 */
const VERIFICATION_TRIPS = { reads: 2, writes: 1, label: "≤ 1 read beyond navigation, 1 write (the analysts' daily count)" };

const TRIP_KINDS: TripKind[] = [
  { name: 'USSD first dial (new caller)', make: (k) => ussd(`new-${unique()}`, `+99290${String(6_000_000 + k)}`, '') },
  { name: 'USSD language choice (new caller)', make: (k) => ussd(`new-lang-${k}`, `+99290${String(6_000_000 + k)}`, '3') },
  {
    name: 'USSD navigation step (returning caller)',
    make: (k) => ussd(`nav-${unique()}`, CALLERS[k % CALLERS.length]!, ['4', '4*1', '1', '4*2*98'][k % 4]!),
    target: { reads: 1, writes: 0, label: 'no write, ≤ 1 read' },
  },
  {
    name: 'USSD navigation step (within a session, after its first)',
    make: (k) => ussd(`nav-session-${process.pid}`, CALLERS[0]!, ['4', '4*1', '1', '4*2*98'][k % 4]!),
    target: { reads: 0, writes: 0, label: "no store call (the session's language known here)" },
  },
  {
    name: 'USSD verification by name',
    make: (k) => ussd(`trip-name-${unique()}`, CALLERS[k % CALLERS.length]!, `1*1*${entries[(k * 31) % entries.length]!.name}`),
    target: VERIFICATION_TRIPS,
  },
  {
    name: 'USSD verification by name, within a session',
    make: (k) => ussd(`trip-name-session-${process.pid}`, CALLERS[0]!, `1*1*${entries[(k * 31) % entries.length]!.name}`),
    target: { reads: 0, writes: 1, rounds: 1, label: "the analysts' daily count only (the session's language known here)" },
  },
  {
    name: 'USSD verification by licence',
    make: (k) => ussd(`trip-lic-${unique()}`, CALLERS[k % CALLERS.length]!, `1*1*${entries[(k * 31) % entries.length]!.licenceNumber}`),
    target: VERIFICATION_TRIPS,
  },
  {
    name: 'USSD verification of a phone number',
    make: (k) => ussd(`trip-phone-${unique()}`, CALLERS[k % CALLERS.length]!, `1*2*+992 93 ${String(1_000_000 + k)}`),
    // A number is looked up as an identifier (who reported it, whose official contact it is), not in the registry.
    target: { reads: 3, writes: 1, rounds: 3, label: "the language; the number's 2 identifier items side by side; the daily count" },
  },
  { name: 'USSD report submission', make: (k) => ussd(`trip-report-${unique()}`, CALLERS[k % CALLERS.length]!, `2*3*2*3000*1*@trip_scam_${k}*1*1*1`) },
  {
    name: 'SMS CHECK (name)',
    make: (k) => sms(`trip-check-${unique()}`, SENDERS[k % SENDERS.length]!, `CHECK ${entries[k]!.name}`),
    target: {
      reads: 1,
      writes: 6,
      rounds: 4,
      label: "4 rounds: the claim beside the language read and the flood count; the reply's record beside the counter; its queuing; the done mark",
    },
  },
  { name: 'SMS CHECK (phone number)', make: (k) => sms(`trip-checkp-${unique()}`, SENDERS[k % SENDERS.length]!, `CHECK +992 93 ${String(2_000_000 + k)}`) },
  { name: 'SMS REPORT', make: (k) => sms(`trip-rep-${unique()}`, SENDERS[k % SENDERS.length]!, `REPORT they asked 500 somoni, @trip_sms_${k}`) },
];

interface RequestCalls {
  reads: number;
  writes: number;
  rounds: number;
  /** The outbox delivery's calls after the reply. */
  outbox: number;
  calls: string;
}

/** The store calls of `count` requests made by `make`, one at a time, each recorded on its own. */
async function storeCallsOf(server: BenchServer, make: (k: number) => Req, count: number): Promise<RequestCalls[]> {
  const perRequest: RequestCalls[] = [];
  for (let k = 0; k < count; k++) {
    await server.ask('drain');
    await server.ask('calls');
    await send(server.url, make(k));
    await server.ask('drain');
    const { calls } = await server.ask<{ calls: StoreCall[] }>('calls');
    const own = calls.filter((call) => !isOutboxDelivery(call));
    perRequest.push({
      reads: own.filter((c) => c.kind === 'read').length,
      writes: own.filter((c) => c.kind === 'write').length,
      rounds: Math.max(0, ...own.map((c) => c.round)),
      outbox: calls.length - own.length,
      calls: own.map((c) => `${c.command} ${c.item}`).join(', '),
    });
  }
  return perRequest;
}

export async function measureRoundTrips(server: BenchServer, perKind = 20): Promise<RoundTripRow[]> {
  await warmUp(server);
  const rows: RoundTripRow[] = [];
  for (const kind of TRIP_KINDS) {
    const perRequest = await storeCallsOf(server, kind.make, perKind);
    const median = (values: number[]) => summary(values).median;
    const reads = median(perRequest.map((r) => r.reads));
    const writes = median(perRequest.map((r) => r.writes));
    const rounds = median(perRequest.map((r) => r.rounds));
    // The typical request's calls (the registry's version item is read at most every 30 s, by whichever request).
    const typical = perRequest.find((r) => r.reads === reads && r.writes === writes) ?? perRequest[0]!;
    rows.push({
      request: kind.name,
      reads,
      writes,
      maxReads: Math.max(...perRequest.map((r) => r.reads)),
      maxWrites: Math.max(...perRequest.map((r) => r.writes)),
      rounds,
      outboxAfter: median(perRequest.map((r) => r.outbox)),
      calls: summariseCalls(typical.calls),
      target: kind.target?.label ?? '-',
      verdict: kind.target
        ? verdict(reads <= kind.target.reads && writes <= kind.target.writes && rounds <= (kind.target.rounds ?? Infinity))
        : '-',
    });
  }
  return rows;
}

/** `GetItem CALLER, GetItem CALLER` → `2× GetItem CALLER`. */
function summariseCalls(calls: string): string {
  const counts = new Map<string, number>();
  for (const call of calls.split(', ').filter(Boolean)) counts.set(call, (counts.get(call) ?? 0) + 1);
  return [...counts].map(([call, n]) => (n > 1 ? `${n}× ${call}` : call)).join(', ') || 'none';
}

// ---------------------------------------------------------------------------------------------------------------
// Throughput

export interface ThroughputRow {
  load: string;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  ratioToBaseline: number | '-';
}

function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export async function measureThroughput(server: BenchServer, seconds = 10, connections = 50): Promise<ThroughputRow[]> {
  await warmUp(server);
  // Menu navigation of returning callers: main menu, advice, check prompts, language menu, paging.
  const paths = ['', '4', '4*1', '1', '1*1', '4*2', '4*1*98', '5'];
  let next = 0;
  const steps = await cannon({
    url: server.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/ussd/africastalking',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        // 50 sessions at once: each connection is one caller; every request a step of that caller's session.
        setupRequest: (req) => {
          const n = next++;
          const caller = n % connections;
          return {
            ...req,
            body: form({
              sessionId: `tp-${caller}-${Math.floor(n / (connections * paths.length))}`,
              serviceCode: '*384*1234#',
              phoneNumber: CALLERS[caller % CALLERS.length]!,
              networkCode: '99999',
              text: paths[Math.floor(n / connections) % paths.length]!,
            }),
          };
        },
      },
    ],
  });
  await server.ask('drain');
  const health = await cannon({ url: `${server.url}/health`, connections, duration: Math.max(3, Math.round(seconds / 2)) });
  const row = (load: string, r: autocannon.Result, ratio: number | '-'): ThroughputRow => ({
    load,
    connections,
    seconds: r.duration,
    requestsPerSecond: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    ratioToBaseline: ratio,
  });
  return [
    row('GET /health (baseline)', health, '-'),
    row('USSD steps, 50 sessions at once', steps, round(steps.requests.average / health.requests.average)),
  ];
}

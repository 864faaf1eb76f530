/**
 * A real Kannel (Debian's bearerbox and smsbox, package `kannel`) on loopback ports, for tests: a kannel.conf in a
 * temporary folder, both boxes as child processes, ready once bearerbox reports the smsbox connected and smsbox's
 * sendsms port answers; stopped (and the folder removed) by `stop`. Kannel's fake SMSC is driven by
 * `/usr/lib/kannel/test/fakesmsc` (package `kannel-extras`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as smpp from 'smpp';

export const BEARERBOX = '/usr/sbin/bearerbox';
export const SMSBOX = '/usr/sbin/smsbox';
export const FAKESMSC = '/usr/lib/kannel/test/fakesmsc';

/** Why the Kannel tests cannot run here, or undefined when they can (CI installs both packages). */
export function kannelMissing(): string | undefined {
  for (const path of [BEARERBOX, SMSBOX, FAKESMSC]) {
    if (!existsSync(path)) return `${path} is missing: apt-get install kannel kannel-extras (CI's .ci/run does)`;
  }
  return undefined;
}

/** A loopback port nobody listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const ADMIN_PASSWORD = 'test-admin';
export const SENDSMS_USER = { username: 'hotline', password: 'test-sendsms-password' };

/** The loopback ports of one Kannel: admin page, box connections, sendsms, the fake SMSC. */
export type KannelPorts = Record<'admin' | 'smsbox' | 'sendsms' | 'fake', number>;

export interface KannelOptions {
  /** `group = smsc` (and `smpp-tlv`) sections; `{fakePort}` is replaced by the fake SMSC's port. */
  smscs: string;
  /** `group = sms-service` sections. */
  services: string;
}

export interface Kannel {
  fakeSmscPort: number;
  sendsmsUrl: string;
  /** bearerbox's status page (its SMSC connections and boxes). */
  status(): Promise<string>;
  /** Both boxes' logs, for a failing test's message. */
  logs(): Promise<string>;
  stop(): Promise<void>;
}

function conf(dir: string, ports: KannelPorts, options: KannelOptions): string {
  return `
group = core
admin-port = ${ports.admin}
admin-password = ${ADMIN_PASSWORD}
admin-interface = 127.0.0.1
smsbox-port = ${ports.smsbox}
box-allow-ip = 127.0.0.1
log-file = "${dir}/bearerbox.log"
log-level = 0
dlr-storage = internal

${options.smscs.replaceAll('{fakePort}', String(ports.fake))}

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${ports.smsbox}
sendsms-port = ${ports.sendsms}
sendsms-interface = 127.0.0.1
log-file = "${dir}/smsbox.log"
log-level = 0
mo-recode = true

group = sendsms-user
username = ${SENDSMS_USER.username}
password = ${SENDSMS_USER.password}
max-messages = 10
concatenation = true

${options.services}
`;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, logs: () => Promise<string>, children: ChildProcess[], ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (children.some((child) => child.exitCode !== null)) throw new Error(`Kannel: a box exited while waiting for ${what}\n${await logs()}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Kannel: ${what} not ready within ${ms} ms\n${await logs()}`);
}

/** A Kannel with the test's SMSCs and services around the harness's core, smsbox and sendsms user. */
export function startKannel(options: KannelOptions): Promise<Kannel> {
  return startKannelConf((dir, ports) => conf(dir, ports, options));
}

/** A Kannel on a whole kannel.conf, written for the temporary folder and ports it is given. */
export async function startKannelConf(build: (dir: string, ports: KannelPorts) => string): Promise<Kannel> {
  const dir = await mkdtemp(join(tmpdir(), 'safejob-kannel-'));
  const ports = { admin: await freePort(), smsbox: await freePort(), sendsms: await freePort(), fake: await freePort() };
  const confPath = join(dir, 'kannel.conf');
  await writeFile(confPath, build(dir, ports));
  const logs = async () => {
    const read = (name: string) => readFile(join(dir, name), 'utf8').catch(() => '');
    return `--- bearerbox.log\n${(await read('bearerbox.log')).slice(-4000)}\n--- smsbox.log\n${(await read('smsbox.log')).slice(-4000)}`;
  };
  const status = async () => {
    const response = await fetch(`http://127.0.0.1:${ports.admin}/status.txt?password=${ADMIN_PASSWORD}`);
    return response.text();
  };
  const children: ChildProcess[] = [];
  const stop = async () => {
    // smsbox first: bearerbox waits for its boxes to leave before it exits.
    for (const child of [...children].reverse()) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    children.push(spawn(BEARERBOX, [confPath], { stdio: 'ignore' }));
    await waitFor('bearerbox', async () => (await status()).includes('Status: running'), logs, children);
    children.push(spawn(SMSBOX, [confPath], { stdio: 'ignore' }));
    await waitFor('smsbox', async () => /smsbox:\(none\), IP 127\.0\.0\.1/.test(await status()), logs, children);
    await waitFor('sendsms', async () => (await fetch(`http://127.0.0.1:${ports.sendsms}/cgi-bin/sendsms`)).status > 0, logs, children);
  } catch (error) {
    await stop();
    throw error;
  }
  return { fakeSmscPort: ports.fake, sendsmsUrl: `http://127.0.0.1:${ports.sendsms}/cgi-bin/sendsms`, status, logs, stop };
}

/** Bytes as fakesmsc's `ucs2` and `data` types take and print them: every byte URL-encoded. */
export function urlEncodeBytes(bytes: Buffer): string {
  return [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

/**
 * A message fakesmsc received from Kannel (`Got message N: <from to type data>`): `ucs-2` and `text` messages whole,
 * the parts of a concatenated one as `udh` (its UDH, then the part's raw bytes).
 */
export interface FakeSmscMessage {
  from: string;
  to: string;
  type: string;
  udh?: Buffer;
  bytes: Buffer;
}

function urlDecodeBytes(data: string): Buffer {
  return Buffer.from(
    data.replace(/\+/g, ' ').replace(/%([0-9a-fA-F]{2})|([\s\S])/g, (_, hex: string | undefined, ch: string) =>
      hex ? String.fromCharCode(parseInt(hex, 16)) : ch,
    ),
    'latin1',
  );
}

function parseFakeSmscLine(line: string): FakeSmscMessage | undefined {
  const match = /Got message \d+: <(\S+) (\S+) (\S+) (.*)>\s*$/.exec(line);
  if (!match) return undefined;
  const [, from, to, type, rest] = match as unknown as [string, string, string, string, string];
  if (type !== 'udh') return { from, to, type, bytes: urlDecodeBytes(rest) };
  const [udh, , data] = rest.split(' ');
  return { from, to, type, udh: urlDecodeBytes(udh ?? ''), bytes: urlDecodeBytes(data ?? '') };
}

/**
 * The texts Kannel sent, a concatenated message joined from its parts (UDH element 0: reference, count, number).
 * fakesmsc prints a UCS-2 message as `ucs-2`, but a UCS-2 part only as raw bytes: `partsAre` says how to read them.
 */
export function fakeSmscTexts(messages: FakeSmscMessage[], partsAre: 'ucs-2' | 'text'): string[] {
  const decode = (bytes: Buffer, type: string) => (type === 'ucs-2' ? Buffer.from(bytes).swap16().toString('utf16le') : bytes.toString('utf8'));
  const texts: string[] = [];
  const parts = new Map<number, Buffer[]>();
  for (const message of messages) {
    if (!message.udh) {
      texts.push(decode(message.bytes, message.type));
      continue;
    }
    const [, iei, , reference, count, number] = message.udh;
    if (iei !== 0) throw new Error(`not a concatenation UDH: ${message.udh.toString('hex')}`);
    const list = parts.get(reference!) ?? [];
    list[number! - 1] = message.bytes;
    parts.set(reference!, list);
    if (list.filter(Boolean).length === count) texts.push(decode(Buffer.concat(list), partsAre));
  }
  return texts;
}

/**
 * Kannel's fake SMSC, played by fakesmsc: sends `messages` (`"<from> <to> ucs2 <bytes>"`) once connected and
 * records what Kannel sends it.
 */
export function startFakeSmsc(port: number, messages: string[]): { received: FakeSmscMessage[]; stop(): Promise<void> } {
  const child = spawn(FAKESMSC, ['-H', '127.0.0.1', '-r', String(port), '-m', String(messages.length), '-i', '0.1', ...messages], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const received: FakeSmscMessage[] = [];
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const message = parseFakeSmscLine(line);
      if (message) received.push(message);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return { received, stop: () => stopChild(child) };
}

/** Waits until `ready()` holds (polling), for at most `ms`. */
export async function eventually<T>(read: () => T | Promise<T>, ready: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!ready(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** A submit_sm Kannel sent the operator, with the bind (system_id) it came through. */
export interface Submitted {
  systemId: string;
  pdu: smpp.Pdu;
}

export interface SmppOperator {
  port: number;
  /** Kannel's binds, by the system_id each bound with. */
  sessions: Map<string, smpp.Session>;
  submitted: Submitted[];
  /** Resolves once Kannel has bound with each of these system_ids. */
  bound(systemIds: string[], ms?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The operators' SMPP gateways, played by an SMPP server (the `smpp` package) on a loopback port: it accepts every
 * transceiver bind, answers enquire_links, and records and acknowledges every submit_sm.
 */
export async function startSmppOperator(): Promise<SmppOperator> {
  const sessions = new Map<string, smpp.Session>();
  const submitted: Submitted[] = [];
  const server = smpp.createServer((session) => {
    let systemId = '';
    session.on('bind_transceiver', (pdu) => {
      systemId = String(pdu.system_id);
      session.send(pdu.response());
      sessions.set(systemId, session);
    });
    session.on('submit_sm', (pdu) => {
      submitted.push({ systemId, pdu });
      session.send(pdu.response({ message_id: `op-${submitted.length}` }));
    });
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => session.send(pdu.response()));
    session.on('error', () => undefined);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    port,
    sessions,
    submitted,
    async bound(systemIds, ms = 15_000) {
      await eventually(() => systemIds.every((id) => sessions.has(id)), Boolean, ms);
      const missing = systemIds.filter((id) => !sessions.has(id));
      if (missing.length > 0) throw new Error(`Kannel did not bind as ${missing.join(', ')}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A deliver_sm from the operator: the caller's MO (an SMS, or with `ussd` a USSD dial or answer). */
export function deliverMo(
  session: smpp.Session,
  mo: { from: string; to: string; text: string; ussd?: { op: number; sessionInfo: Buffer } },
): Promise<void> {
  return new Promise((resolve) =>
    session.deliver_sm(
      {
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: mo.from,
        destination_addr: mo.to,
        short_message: mo.text,
        ...(mo.ussd ? { service_type: 'USSD', ussd_service_op: mo.ussd.op, its_session_info: mo.ussd.sessionInfo } : {}),
      },
      () => resolve(),
    ),
  );
}

/** A submit_sm's text as the phone would show it (the smpp package decodes UCS-2 by data_coding). */
export function submittedText(pdu: smpp.Pdu): string {
  const message = pdu.short_message as { message?: string } | Buffer;
  return Buffer.isBuffer(message) ? message.toString() : (message.message ?? '');
}

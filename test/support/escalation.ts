import { LocalNumberVault } from '../../shared/crypto';
import type { RotaOfficer } from '../../shared/domain/escalation';
import type { Report, ReportDraft } from '../../shared/domain/report';
import { loadWholeConfig } from '../../shared/config-sections';
import { LocalCallBridge } from '../../shared/escalation/call-bridge';
import type { CallBridge } from '../../shared/ports';
import { createLocalEscalationDeps, type LocalEscalationDeps } from '../../shared/escalation/local';
import { createLogger } from '../../shared/log';
import { deliver } from '../../shared/outbox/deliver';
import { LocalOutbox, LocalQueue, localSender } from '../../shared/outbox/local';
import { Outbox } from '../../shared/outbox/outbox';
import { officerCommandCode, phoneKey } from '../../shared/privacy';
import { COMMAND_CODE_LENGTH } from '../../shared/domain/officer';
import { EscalationRepository } from '../../shared/store/escalations';
import { MessageRepository } from '../../shared/store/messages';
import { OfficerRepository, type OfficerImport } from '../../shared/store/officers';
import { ReportRepository } from '../../shared/store/reports';
import type { TestStore } from './dynalite';
import { createActiveTable } from './tables';

export const HASH_KEY = 'test-phone-hash-key-0123456789abcdef';
export const VAULT_SECRET = 'test-number-vault-secret-0123456789ab';
export const callerKey = (phone: string) => phoneKey(HASH_KEY, phone);
export const commandCode = (officerKey: string, scope: string) => officerCommandCode(HASH_KEY, officerKey, scope, COMMAND_CODE_LENGTH);
/** The code the officer with this phone got in the pages about this case. */
export const caseCode = (phone: string, reference: string) => commandCode(callerKey(phone), `case:${reference}`);
/** The officer's code for ON and OFF at this time. */
export const dutyCode = (phone: string, now = Date.now()) => commandCode(callerKey(phone), `duty:${Math.floor(now / 3_600_000)}`);

/** A fictional rota: two at level 1, one at level 2, a supervisor at level 3. */
export const OFFICERS = {
  aziz: { name: 'Aziz', phone: '+992900009101', role: 'officer', languages: ['tg', 'ru'], level: 1 },
  emma: { name: 'Emma', phone: '+992900009102', role: 'officer', languages: ['en'], level: 1 },
  farrukh: { name: 'Farrukh', phone: '+992900009103', role: 'officer', languages: ['ru', 'tg'], level: 2 },
  malika: { name: 'Malika', phone: '+992900009104', role: 'supervisor', languages: ['en', 'ru'], level: 3 },
} as const satisfies Record<string, Omit<OfficerImport, 'key'>>;

export const officerImport = (officer: Omit<OfficerImport, 'key'>): OfficerImport => ({
  ...officer,
  languages: [...officer.languages],
  key: callerKey(officer.phone),
});

export const rotaOfficer = (officer: Omit<OfficerImport, 'key'>, onDuty = true): RotaOfficer => {
  const { phone: _phone, ...rest } = officerImport(officer);
  return { ...rest, onDuty };
};

export interface EscalationHarness {
  deps: LocalEscalationDeps;
  reports: ReportRepository;
  officers: OfficerRepository;
  vault: LocalNumberVault;
  /** The local CALL bridge (the default `callBridge`): what it would have placed. */
  calls: LocalCallBridge;
  tableName: string;
  logLines: string[];
  /** Every SMS queued so far, once the local queue has sent them. */
  sent(): Promise<{ to: string; text: string }[]>;
  stop(): Promise<void>;
}

let tables = 0;

/** The escalation on a fresh table of the test store, with the real outbox (local queue) and local timers. */
export async function escalationHarness(
  store: TestStore,
  env: Record<string, string> = {},
  options: { callBridge?: CallBridge } = {},
): Promise<EscalationHarness> {
  const tableName = `escalation-${++tables}-${Date.now().toString(36)}`;
  await createActiveTable(store.client, tableName);
  const logLines: string[] = [];
  const log = createLogger('test', (line) => logLines.push(line));
  const messages = new MessageRepository(store.client, tableName);
  const view = new LocalOutbox();
  const queue = new LocalQueue(
    (message, attempt) => deliver({ senders: {}, fallback: localSender, routes: [], messages, maxAttempts: 2, log }, message, attempt),
    { maxAttempts: 2, retryBaseMs: 1, view },
  );
  const reports = new ReportRepository(store.client, tableName);
  const vault = new LocalNumberVault(VAULT_SECRET);
  const calls = new LocalCallBridge();
  const deps = createLocalEscalationDeps(
    {
      officers: new OfficerRepository(store.client, tableName),
      escalations: new EscalationRepository(store.client, tableName),
      outbox: new Outbox(messages, queue, callerKey),
      log,
      callerKey,
      commandCode,
      reports,
      vault,
      callBridge: options.callBridge ?? calls,
    },
    loadWholeConfig(env).escalation,
    { retryMs: 50 },
  );
  return {
    deps,
    reports,
    officers: new OfficerRepository(store.client, tableName),
    vault,
    calls,
    tableName,
    logLines,
    async sent() {
      await queue.drain();
      return (await view.list(messages)).map(({ to, text }) => ({ to, text }));
    },
    async stop() {
      await deps.scheduler.stop();
      await queue.drain();
    },
  };
}

/** An urgent report draft; tests override what they are about. */
export function urgentDraft(overrides: Partial<ReportDraft> = {}): ReportDraft {
  return {
    channel: 'ussd',
    lang: 'tg',
    category: 'fee_requested',
    paid: 'about_to_pay',
    amount: { value: 3000, currency: 'TJS' },
    freeText: 'Аз ман 3000 сомонӣ талаб мекунанд, рақамам +992900000777',
    identifiers: [{ kind: 'phone', value: '+992927001122' }],
    callbackConsent: true,
    urgency: { urgent: true, reasons: ['about_to_pay', 'large_amount'] },
    createdAt: new Date().toISOString(),
    reporterKey: callerKey('+992900000777'),
    ...overrides,
  };
}

/** Stores an urgent report (with its sealed call-back number when consented) as intake would. */
export async function storeReport(h: EscalationHarness, key: string, overrides: Partial<ReportDraft> = {}, reporterPhone = '+992900000777'): Promise<Report> {
  const draft = urgentDraft(overrides);
  const sealed = draft.callbackConsent ? await h.vault.encrypt(reporterPhone) : undefined;
  return (await h.reports.create(draft, key, sealed)).report;
}

/** Resolves once `check` holds, polling; fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

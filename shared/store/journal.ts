/**
 * Nothing lost: when the table refuses a report, the intake is journaled and replayed later. Intake journals a
 * report whenever `create` or `recordIdentifiers` threw, tells the caller it is received and the reference will come
 * by SMS (or, if the number cannot take one, that it is kept), and a later replay (a timer locally, a queue consumer on AWS) stores it exactly once, since both steps are idempotent.
 *
 * The journal holds the report's free text and the sealed call-back number, never a raw number: the local file is
 * created readable by its owner only, the queue is encrypted (see the stack).
 */
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import * as z from '../domain/zod';
import { reportDraftSchema, type Report } from '../domain/report';
import type { IntakeJournal, JournalEntry } from '../ports';
import type { ReportRepository } from './reports';

export const journalEntrySchema = z.lazy(() => z.object({
  idempotencyKey: z.string().check(z.minLength(1)),
  report: reportDraftSchema,
  sealedCallbackNumber: z.optional(z.string()),
  /** The reporter's number, sealed, so that the replay can text the reference (only when it can take an SMS). */
  sealedReporterNumber: z.optional(z.string()),
  handedOver: z.optional(z.literal(true)),
}));


export interface ReplayResult {
  /** Stored now, or found stored already (`created: false`: the failed call had written it after all). */
  replayed: { idempotencyKey: string; report: Report; created: boolean; sealedReporterNumber?: string; handedOver?: true }[];
  /** Still failing: keep them for the next replay. */
  failed: JournalEntry[];
  /** Refused for what they are (no retry can store them): for the dead letter, with why. */
  deadLettered: { entry: JournalEntry; reason: string }[];
}

/**
 * What the table refuses for the request itself, not for its own state: a key or an item over DynamoDB's limits, a
 * value it rejects. Throttling, timeouts and 500s pass; these never do.
 */
const NEVER_STORABLE = new Set(['ValidationException', 'ItemCollectionSizeLimitExceededException', 'SerializationException']);
export const isNeverStorable = (error: unknown): boolean => error instanceof Error && NEVER_STORABLE.has(error.name);

/**
 * Runs each entry's `create` and `recordIdentifiers` again, and finishes its intake (`createAndLink`). Urgent
 * reports among `replayed` still need their escalation started by the caller (unless `handedOver`); `deadLettered`
 * ones their dead letter.
 */
export async function replayJournal(entries: readonly JournalEntry[], repo: ReportRepository): Promise<ReplayResult> {
  const result: ReplayResult = { replayed: [], failed: [], deadLettered: [] };
  for (const entry of entries) {
    try {
      const stored = await repo.createAndLink(entry.report, entry.idempotencyKey, entry.sealedCallbackNumber);
      if (!stored.linked) throw stored.error;
      const { report, created } = stored;
      const { idempotencyKey, sealedReporterNumber, handedOver } = entry;
      result.replayed.push({
        idempotencyKey,
        report,
        created,
        ...(sealedReporterNumber ? { sealedReporterNumber } : {}),
        ...(handedOver ? { handedOver } : {}),
      });
    } catch (error) {
      if (isNeverStorable(error)) result.deadLettered.push({ entry, reason: `${(error as Error).name}: ${(error as Error).message}` });
      else result.failed.push(entry);
    }
  }
  return result;
}

export interface DrainResult extends ReplayResult {
  /** Lines that are not entries (a write torn by a crash): kept in the file for a person to look at. */
  unreadable: number;
}

/**
 * The local journal: one JSON entry per line, appended and fsynced before `append` resolves. One process writes
 * it (the local hotline); appends and the rewrite at the end of `drain` are serialised within that process.
 */
export class FileJournal implements IntakeJournal {
  private exclusive: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  /** Entries no replay can store, beside the journal (`<path>.dead`), one JSON entry per line. */
  get deadLetterPath(): string {
    return `${this.path}.dead`;
  }

  append(entry: JournalEntry): Promise<void> {
    return this.serialised(async () => {
      const file = await open(this.path, 'a+', 0o600);
      try {
        // After a torn write the file does not end in a newline: start a fresh line, so this entry stays whole.
        const { size } = await file.stat();
        const torn = size > 0 && (await lastByte(file, size)) !== '\n';
        await file.appendFile(`${torn ? '\n' : ''}${JSON.stringify(journalEntrySchema.parse(entry))}\n`, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
    });
  }

  /** The entries in the journal, in the order they were appended. */
  async entries(): Promise<JournalEntry[]> {
    return parseLines(await this.readAll()).entries;
  }

  /**
   * Replays every entry, then replaces the file by one holding only the entries that still fail, unreadable lines
   * and whatever was appended meanwhile. The replacement is written to a temporary file, fsynced and renamed over
   * the journal, so a crash leaves either the old journal (replayed again, harmlessly) or the new one.
   */
  async drain(repo: ReportRepository): Promise<DrainResult> {
    const text = await this.serialised(() => this.readAll());
    const { entries, unreadable } = parseLines(text);
    const result = await replayJournal(entries, repo);
    await this.serialised(async () => {
      // Kept whole for a person (the store's dead-letter record says which and why), before leaving the journal.
      if (result.deadLettered.length > 0) await appendSynced(this.deadLetterPath, result.deadLettered.map(({ entry }) => JSON.stringify(entry)));
      // Appends only ever add after what was read, so the file's tail past the old length is what arrived since.
      const since = (await this.readAll()).slice(text.length);
      const kept = [...unreadable, ...result.failed.map((entry) => JSON.stringify(entry))].map((line) => `${line}\n`);
      const temporary = `${this.path}.tmp`;
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.writeFile(kept.join('') + since, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, this.path);
    });
    return { ...result, unreadable: unreadable.length };
  }

  private async readAll(): Promise<string> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(work, work);
    this.exclusive = run.catch(() => undefined);
    return run;
  }
}

async function appendSynced(path: string, lines: readonly string[]): Promise<void> {
  const file = await open(path, 'a', 0o600);
  try {
    await file.appendFile(lines.map((line) => `${line}\n`).join(''), 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
}

async function lastByte(file: FileHandle, size: number): Promise<string> {
  const { buffer } = await file.read(Buffer.alloc(1), 0, 1, size - 1);
  return buffer.toString('utf8');
}

function parseLines(text: string): { entries: JournalEntry[]; unreadable: string[] } {
  const entries: JournalEntry[] = [];
  const unreadable: string[] = [];
  for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
    const parsed = safeJson(line);
    const entry = journalEntrySchema.safeParse(parsed);
    if (entry.success) entries.push(entry.data);
    else unreadable.push(line);
  }
  return { entries, unreadable };
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

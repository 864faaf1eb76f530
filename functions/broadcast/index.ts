/**
 * The broadcast schedule on AWS (every minute, one run at a time under the table's run lease): fans out every approved broadcast that is due
 * and outside quiet hours into the outbox's bulk queue, then today's timed tips. A run cut short resumes from the
 * broadcast's cursor on the next.
 */
import { awsFanOutDeps } from '../../shared/outreach/fan-out';
import { runBroadcastSchedule } from '../../shared/outreach/service';

export async function handler(): Promise<{ ran: boolean; fannedOut: string[]; tips: number }> {
  return runBroadcastSchedule(await awsFanOutDeps());
}

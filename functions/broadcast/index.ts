/**
 * The broadcast schedule on AWS (every minute, one run at a time): fans out every approved broadcast that is due
 * and outside quiet hours into the outbox's bulk queue, then today's timed tips. A run cut short resumes from the
 * broadcast's cursor on the next.
 */
import { awsFanOutDeps } from '../../shared/outreach/fan-out';
import { runDueBroadcasts, sendDueTips } from '../../shared/outreach/service';

export async function handler(): Promise<{ fannedOut: string[]; tips: number }> {
  const campaigns = await awsFanOutDeps();
  const fannedOut = await runDueBroadcasts(campaigns);
  const tips = await sendDueTips(campaigns);
  return { fannedOut, tips };
}

/**
 * A total time budget for the store calls of one webhook request. The client's own limits bound each call (and its
 * retries), but a turn makes several calls one after another (the language, the look-ups, the report's writes):
 * against a store that hangs they would add up past the gateway's deadline. Within a request run by
 * `withinBudget`, every store call fails (as a timeout) once the request's budget is spent, and one in flight is
 * given up when it runs out, so the turn goes on to its polite answer (or journals the report) in time.
 *
 * The budget is carried with the request's async context (AsyncLocalStorage), so no repository has to pass it on.
 * Work the request started and left running (the local outbox's sending, an escalation's timer) is bound by it
 * only while the request lasts: once it has answered, its budget no longer applies.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

interface Budget {
  deadline: number;
  /** False once the request has answered. */
  open: boolean;
}

const budgets = new AsyncLocalStorage<Budget>();

/** Runs `work` with a store budget of `ms` from now. */
export async function withinBudget<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const budget: Budget = { deadline: Date.now() + ms, open: true };
  try {
    return await budgets.run(budget, work);
  } finally {
    budget.open = false;
  }
}

/** What a call past the budget fails with: a timeout, retried later like any (never dead-lettered as invalid). */
export class BudgetSpentError extends Error {
  override readonly name = 'TimeoutError';
  constructor() {
    super("the request's store budget is spent");
  }
}

/** Holds every call of this client to the budget of the request it runs in (outside of one: unbounded). */
export function bindToRequestBudget(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const budget = budgets.getStore();
      if (!budget?.open) return next(args);
      const left = budget.deadline - Date.now();
      if (left <= 0) throw new BudgetSpentError();
      let timer: NodeJS.Timeout | undefined;
      const spent = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new BudgetSpentError()), left);
      });
      try {
        return await Promise.race([next(args), spent]);
      } finally {
        clearTimeout(timer);
      }
    },
    // Outside the SDK's retries: the budget bounds all the attempts of a call together.
    { step: 'initialize', name: 'requestBudget', priority: 'high' },
  );
}

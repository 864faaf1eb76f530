/**
 * The input path of a USSD session whose gateway sends one input at a time (SMPP USSD, through Kannel), where
 * Africa's Talking sends the whole path in every request. The shell keeps it in the store between steps; the pure
 * USSD step (step.ts) replays it as it replays Africa's Talking's `text`.
 */
export interface UssdSession {
  /** Unique per session, for idempotency keys: a gateway's session numbers repeat (SMPP's is one octet). */
  uid: string;
  /** The caller's inputs so far, oldest first. */
  path: string[];
  /** The gateway's id of the last message applied: a message delivered twice is not appended twice. */
  lastMessageId: string;
}

/** What the caller did: dialled the code (a new session), or answered the last screen with `input`. */
export type UssdSessionEvent = { kind: 'dialled'; messageId: string } | { kind: 'answered'; messageId: string; input: string };

/**
 * The session after this event: a dial starts one with an empty path, an answer appends its input, an answer
 * delivered twice changes nothing. Undefined for an answer to a session that is not held (expired or unknown).
 */
export function advanceUssdSession(stored: UssdSession | undefined, event: UssdSessionEvent, newUid: () => string): UssdSession | undefined {
  if (event.kind === 'dialled') return { uid: newUid(), path: [], lastMessageId: event.messageId };
  if (!stored) return undefined;
  if (stored.lastMessageId === event.messageId) return stored;
  return { ...stored, path: [...stored.path, event.input], lastMessageId: event.messageId };
}

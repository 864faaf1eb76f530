/**
 * The opt-in on the keypad (main menu 7): which messages, as the USSD menu offers them (scam alerts; with departure
 * tips; with UK scheme news too), and for tips the destination and the departure month; or stop them all. The
 * choice is the consent, recorded by the runner (the `subscribe` effect) with the channel voice and the call's
 * language. A withheld number cannot be texted, so it is not offered.
 */
import type { Lang } from '../prompts';
import { DESTINATIONS, parseMonth, TOPIC_CHOICES, type SubscriptionChoice } from '../outreach/subscription';
import type { VoiceAction, VoiceState } from './call-state';
import { ask, at, type Context, pressedKeys, prompt, retry, say } from './questions';

/** Main menu 7. */
export function offerSubscription(ctx: Context, state: VoiceState, lang: Lang): VoiceAction[] {
  if (!ctx.request.canText) return [say(prompt(lang, 'voice.subscribe.noSms')), ...ask(ctx, at(state, 'main'))];
  return ask(ctx, at(state, 'subscribe'));
}

/** 1 to 3: the topics (tips go on to the destination); 4: stop everything; 0: the main menu. */
export function answerTopics(ctx: Context, state: VoiceState, lang: Lang): VoiceAction[] {
  const keys = pressedKeys(ctx.request.input.digits);
  if (!keys) return retry(ctx, state, 'voice.noInput');
  if (keys === '0' || keys === '*') return ask(ctx, at(state, 'main'));
  if (keys === '4') {
    ctx.effects.push({ type: 'unsubscribe', lang });
    return [say(prompt(lang, 'voice.subscribe.stopped')), ...ask(ctx, at(state, 'main'))];
  }
  const topics = /^[1-9]$/.test(keys) ? TOPIC_CHOICES[Number(keys) - 1] : undefined;
  if (!topics) return retry(ctx, state, 'voice.invalid');
  // Alerts alone need nothing more; tips are timed by the destination and month.
  if (!(topics as readonly string[]).includes('departure_tips')) return subscribed(ctx, state, lang, { topics: [...topics] });
  return ask(ctx, at(state, 'subscribeDestination', { choice: Number(keys) }));
}

export function answerDestination(ctx: Context, state: VoiceState): VoiceAction[] {
  const keys = pressedKeys(ctx.request.input.digits);
  if (!keys) return retry(ctx, state, 'voice.noInput');
  const destination = /^[1-9]$/.test(keys) ? DESTINATIONS[Number(keys) - 1] : undefined;
  if (!destination) return retry(ctx, state, 'voice.invalid');
  return ask(ctx, at(state, 'subscribeMonth', { ...(state.choice ? { choice: state.choice } : {}), destination }));
}

/** The month and year typed as six digits (`032027`), or `#` alone for "not known yet". */
export function answerMonth(ctx: Context, state: VoiceState, lang: Lang): VoiceAction[] {
  const keys = pressedKeys(ctx.request.input.digits);
  const topics = TOPIC_CHOICES[(state.choice ?? 2) - 1] ?? TOPIC_CHOICES[1];
  const choice: SubscriptionChoice = { topics: [...topics], ...(state.destination ? { destination: state.destination } : {}) };
  if (!keys) return subscribed(ctx, state, lang, choice);
  const typed = /^(\d{2})(\d{4})$/.exec(keys);
  const departureMonth = typed ? parseMonth(`${typed[1]}.${typed[2]}`) : undefined;
  if (!departureMonth) return retry(ctx, state, 'voice.invalid');
  return subscribed(ctx, state, lang, { ...choice, departureMonth });
}

function subscribed(ctx: Context, state: VoiceState, lang: Lang, choice: SubscriptionChoice): VoiceAction[] {
  ctx.effects.push({ type: 'subscribe', choice, lang });
  return [say(prompt(lang, 'voice.subscribe.done')), ...ask(ctx, at(state, 'main'))];
}

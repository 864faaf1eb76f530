/**
 * The opt-in from the USSD menu: which messages (scam alerts; with departure tips; with UK scheme news), and for
 * tips the destination and departure month; or stop them all. The choice is the consent, recorded by the runner
 * (the `subscribe` effect) with the channel and language.
 */
import { t } from '../prompts';
import { DESTINATIONS, parseMonth, TOPIC_CHOICES } from '../outreach/subscription';
import { go, type Screen, type View, type Walk } from './walk';

type SubscribeScreen = Extract<Screen, { name: 'subscribe' | 'subscribeDestination' | 'subscribeMonth' | 'subscribed' | 'unsubscribed' }>;

export function isSubscribeScreen(screen: Screen): screen is SubscribeScreen {
  return screen.name === 'subscribe' || screen.name === 'subscribeDestination' || screen.name === 'subscribeMonth' || screen.name === 'subscribed' || screen.name === 'unsubscribed';
}

const CHOICE_LABELS = ['subscribe.alerts', 'subscribe.alertsTips', 'subscribe.all'] as const;
const CHOICES = TOPIC_CHOICES.map((topics, i) => ({ label: CHOICE_LABELS[i]!, topics: [...topics] }));

export function subscribeView(walk: Walk, screen: SubscribeScreen): View {
  const lang = walk.lang!;
  const subscribed = (w: Walk, choice: Extract<SubscribeScreen, { name: 'subscribed' }>['choice']): Walk => ({
    ...go(w, { name: 'subscribed', choice }),
    effects: [{ type: 'subscribe', choice, lang }],
  });
  switch (screen.name) {
    case 'subscribe':
      return {
        kind: 'menu',
        title: t(lang, 'subscribe.title'),
        options: [
          ...CHOICES.map(({ label, topics }) => ({
            label: t(lang, label),
            // Alerts alone need nothing more; tips are timed by the destination and month.
            choose: (w: Walk) => (topics.includes('departure_tips') ? go(w, { name: 'subscribeDestination', topics }) : subscribed(w, { topics })),
          })),
          { label: t(lang, 'subscribe.stop'), choose: (w: Walk) => ({ ...go(w, { name: 'unsubscribed' }), effects: [{ type: 'unsubscribe', lang }] }) },
        ],
      };
    case 'subscribeDestination':
      return {
        kind: 'menu',
        title: t(lang, 'subscribe.destination'),
        options: DESTINATIONS.map((destination) => ({
          label: t(lang, `subscribe.destination.${destination}`),
          choose: (w: Walk) => go(w, { name: 'subscribeMonth', topics: screen.topics, destination }),
        })),
      };
    case 'subscribeMonth': {
      const base = { topics: screen.topics, ...(screen.destination ? { destination: screen.destination } : {}) };
      return {
        kind: 'prompt',
        text: t(lang, 'subscribe.monthPrompt'),
        options: [{ label: t(lang, 'subscribe.monthSkip'), choose: (w) => subscribed(w, base) }],
        answer: (w, input) => {
          const departureMonth = parseMonth(input);
          return departureMonth ? subscribed(w, { ...base, departureMonth }) : { ...w, invalid: true };
        },
      };
    }
    case 'subscribed':
      return { kind: 'end', text: t(lang, 'subscribe.done') };
    case 'unsubscribed':
      return { kind: 'end', text: t(lang, 'subscribe.stopped') };
  }
}

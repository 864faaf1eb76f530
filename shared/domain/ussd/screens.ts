/**
 * The screens of the menu: language, main menu, checks and advice (the report flow is report-flow.ts).
 */
import { PROMPTS, t, type PromptKey } from '../prompts';
import { identifierKey } from '../conversation';
import { extractIdentifiers } from '../report';
import { checkVerdict, contactAnswer, entryAnswer, nameAnswer, noRecordAnswer, officialContactsOf } from '../verify';
import { ADVICE_TOPICS, type Context, go, home, type View, type Walk } from './walk';
import { reportView } from './report-flow';
import { isQuizScreen, quizView } from './quiz-flow';
import { isSubscribeScreen, subscribeView } from './subscribe-flow';

/** A screen drawn from the registry before it is read: its need named, the screen drawn again once it is read. */
function needRegistry(ctx: Context): View {
  ctx.needs.push({ type: 'registry' });
  return { kind: 'text', text: '', options: [] };
}

const languageWords = (walk: Walk, count: number) =>
  walk.languages.slice(0, count).map((l) => PROMPTS[l]['lang.word']).join(' / ');

export function view(walk: Walk, ctx: Context): View {
  const lang = walk.lang;
  const { screen } = walk.at;
  const { data } = ctx;
  switch (screen.name) {
    case 'language':
      return {
        kind: 'menu',
        // A caller who has not chosen yet sees the question in the first three of their languages, or two where
        // three do not fit above the options (Kannel's shorter screens).
        title: lang ? t(lang, 'lang.title') : languageWords(walk, 3),
        ...(lang ? {} : { shorterTitle: languageWords(walk, 2) }),
        options: walk.languages.map((chosen) => ({
          label: PROMPTS[chosen]['lang.name'],
          choose: (w) => ({ ...home({ ...w, lang: chosen }), effects: [{ type: 'rememberLanguage', lang: chosen }] }),
        })),
      };
    case 'main':
      return {
        kind: 'menu',
        title: t(lang!, 'menu.title'),
        options: [
          { label: t(lang!, 'menu.check'), choose: (w) => go(w, { name: 'check' }) },
          { label: t(lang!, 'menu.report'), choose: (w) => go(w, { name: 'reportCategory' }) },
          { label: t(lang!, 'menu.myReports'), choose: (w) => go(w, { name: 'myReports' }) },
          { label: t(lang!, 'menu.advice'), choose: (w) => go(w, { name: 'advice' }) },
          { label: t(lang!, 'menu.language'), choose: (w) => go(w, { name: 'language' }) },
          { label: t(lang!, 'menu.quiz'), choose: (w) => go(w, { name: 'quizIntro' }) },
          { label: t(lang!, 'menu.subscribe'), choose: (w) => go(w, { name: 'subscribe' }) },
        ],
      };
    case 'check':
      return {
        kind: 'menu',
        title: t(lang!, 'check.title'),
        options: [
          { label: t(lang!, 'check.entity'), choose: (w) => go(w, { name: 'checkEntity' }) },
          { label: t(lang!, 'check.contact'), choose: (w) => go(w, { name: 'checkContact' }) },
        ],
      };
    case 'checkEntity':
      return {
        kind: 'prompt',
        text: t(lang!, 'check.entityPrompt'),
        options: [],
        // The verdict is that of the result screen this leads to (its registry read, the step runs again).
        answer: (w, query) => ({
          ...go(w, { name: 'entityResult', query }),
          effects: [{ type: 'verified', kind: 'name', verdict: checkVerdict({ name: query }, data.registry, undefined, data.today) }],
        }),
      };
    case 'entityResult': {
      if (data.registry === undefined) return needRegistry(ctx);
      if (!data.registry) return { kind: 'text', text: t(lang!, 'common.unavailable'), options: [] };
      const match = data.registry.findByNameOrLicence(screen.query);
      if (match.kind === 'none') return { kind: 'text', text: noRecordAnswer(lang!, screen.query), options: [] };
      if (match.kind === 'one') return { kind: 'text', text: nameAnswer(lang!, screen.query, match, data.today), options: [] };
      return {
        kind: 'menu',
        title: t(lang!, 'check.pick'),
        options: match.entries.map((entry) => ({ label: entry.name, choose: (w: Walk) => go(w, { name: 'entityDetail', id: entry.id }) })),
      };
    }
    case 'entityDetail': {
      if (data.registry === undefined) return needRegistry(ctx);
      const entry = data.registry?.get(screen.id);
      return { kind: 'text', text: entry ? entryAnswer(lang!, entry, data.today) : t(lang!, 'common.unavailable'), options: [] };
    }
    case 'checkContact':
      return {
        kind: 'prompt',
        text: t(lang!, 'check.contactPrompt'),
        options: [],
        answer: (w, query) => {
          const identifier = extractIdentifiers(query, data.cardHash)[0];
          const reported = identifier ? data.reported.get(identifierKey(identifier)) : undefined;
          return {
            ...go(w, { name: 'contactResult', query }),
            effects: [
              {
                type: 'verified',
                kind: identifier?.kind ?? 'unrecognised',
                verdict: checkVerdict(identifier ? { identifier } : undefined, data.registry, reported, data.today),
              },
            ],
          };
        },
      };
    case 'contactResult': {
      const identifier = extractIdentifiers(screen.query, data.cardHash)[0];
      if (!identifier) return { kind: 'text', text: t(lang!, 'contact.invalid'), options: [] };
      const key = identifierKey(identifier);
      if (!data.reported.has(key)) ctx.needs.push({ type: 'identifier', identifier });
      if ((identifier.kind === 'phone' || identifier.kind === 'url') && data.registry === undefined) ctx.needs.push({ type: 'registry' });
      const official = data.registry ? officialContactsOf(data.registry, identifier) : [];
      return {
        kind: 'text',
        text: contactAnswer(lang!, identifier, official, data.reported.get(key) ?? undefined, data.today),
        options: [],
      };
    }
    case 'advice':
      return {
        kind: 'menu',
        title: t(lang!, 'advice.title'),
        options: ADVICE_TOPICS.map((topic) => ({
          label: t(lang!, `advice.${topic}.title` as PromptKey),
          choose: (w: Walk) => go(w, { name: 'adviceText', topic }),
        })),
      };
    case 'adviceText':
      return { kind: 'text', text: t(lang!, `advice.${screen.topic}.text` as PromptKey), options: [] };
    default:
      return isQuizScreen(screen) ? quizView(walk, screen, ctx) : isSubscribeScreen(screen) ? subscribeView(walk, screen) : reportView(walk, screen, ctx);
  }
}

/**
 * The session's step: the input path replayed from the first screen, the screen reached rendered.
 */
import { type Context, home, KEY_BACK, KEY_HOME, KEY_MORE, type UssdRequest, type UssdResult, type Walk } from './walk';
import { view } from './screens';
import { pages, render } from './pages';
import { exceedsBytes, INPUT_LIMITS, lettersWithin } from '../input-limits';
import { t, type Lang } from '../prompts';
import { languageOrder } from '../language-choice';

export function ussdStep(request: UssdRequest): UssdResult {
  let walk: Walk = {
    lang: request.startLang,
    languages: languageOrder(request.homeLang),
    at: { screen: request.startLang ? { name: 'main' } : { name: 'language' }, page: 0 },
    history: [],
    invalid: false,
    effects: [],
  };
  const ctx: Context = { limits: request.limits, data: request.data, needs: [] };
  for (const [index, input] of request.path.entries()) {
    // An answer over its cap ends the session politely, in the language reached: it goes no further.
    if (exceedsBytes(input, INPUT_LIMITS.ussdInputBytes)) return tooLong(walk.lang);
    // Effects are produced only by the newest input; earlier ones were run by earlier requests of the session.
    walk = applyInput({ ...walk, invalid: false, effects: [] }, input.trim(), ctx);
    if (index < request.path.length - 1) walk = { ...walk, effects: [] };
  }
  // Only the screen shown needs its lookups; screens passed on the way were shown by earlier requests. But the
  // registry shapes the way too (the pick among matching names), so its need is kept.
  ctx.needs = ctx.needs.some((need) => need.type === 'registry') ? [{ type: 'registry' }] : [];
  const reply = render(walk, ctx);
  return { reply, lang: walk.lang, effects: walk.effects, needs: ctx.needs };
}

function tooLong(lang: Lang | undefined): UssdResult {
  const text = t(lang ?? 'tg', 'common.tooLong', { max: lettersWithin(INPUT_LIMITS.ussdInputBytes) });
  return { reply: { end: true, text }, lang, effects: [], needs: [] };
}

function applyInput(walk: Walk, input: string, ctx: Context): Walk {
  if (input === KEY_HOME && walk.lang) return home(walk);
  if (input === KEY_BACK && walk.history.length > 0) {
    return { ...walk, at: walk.history.at(-1)!, history: walk.history.slice(0, -1) };
  }
  const current = view(walk, ctx);
  if (current.kind === 'end') return { ...walk, invalid: true };
  if (current.kind === 'prompt') {
    const option = /^\d{1,2}$/.test(input) ? current.options[Number(input) - 1] : undefined;
    if (option) return option.choose(walk);
    return input ? current.answer(walk, input) : { ...walk, invalid: true };
  }
  if (input === KEY_MORE && walk.at.page + 1 < pages(walk, current, ctx.limits).length) {
    return { ...walk, history: [...walk.history, walk.at], at: { ...walk.at, page: walk.at.page + 1 } };
  }
  const choice = /^\d{1,2}$/.test(input) ? Number(input) : NaN;
  const option = current.options[choice - 1];
  return option ? option.choose(walk) : { ...walk, invalid: true };
}

/**
 * A screen as the gateway shows it: numbered options, paged with `98` when they do not fit, and the polite
 * notice after an invalid input.
 */
import { t, type Lang } from '../prompts';
import { fitsScreen, paginate, type ScreenLimits } from '../screen';
import { type Context, KEY_BACK, KEY_MORE, type Option, type UssdReply, type View, type Walk } from './walk';
import { view } from './screens';

function footerLines(lang: Lang | undefined, more: boolean, back: boolean): string[] {
  if (!lang) return [];
  return [
    ...(more ? [`${KEY_MORE}. ${t(lang, 'common.more')}`] : []),
    ...(back ? [`${KEY_BACK}. ${t(lang, 'common.back')}`] : []),
  ];
}

/**
 * The polite word that heads a screen after an invalid input; before a language is chosen, in the caller's likeliest
 * one (five languages' words would not fit above the five languages on one screen).
 */
function invalidNotice(walk: Walk): string {
  return t(walk.lang ?? walk.languages[0]!, 'common.invalid');
}

const optionLines = (options: Option[]) => options.map((option, i) => `${i + 1}. ${option.label}`);

type Page = { body: string[]; title?: string };

/**
 * Cutting a screen into pages measures it line by line and word by word, and every step replays its session's whole
 * path, so a container cuts the same screens again and again. The cut depends only on the texts, the language and
 * the limits, so it is kept for a bounded number of screens (the pages are never changed by their readers).
 */
const cutScreens = new Map<string, Page[]>();
const CUT_SCREENS_KEPT = 1_000;

/** A view's pages: each a body (lines) that fits one screen with the footer, and with the invalid-input notice. */
export function pages(walk: Walk, current: View, limits: ScreenLimits): Page[] {
  if (current.kind === 'prompt') return [{ body: [current.text, ...optionLines(current.options)] }];
  if (current.kind === 'end') return [{ body: [current.text] }];
  const labels = current.options.map((option) => option.label);
  const texts = current.kind === 'text' ? [current.text] : [current.title, current.shorterTitle, invalidNotice(walk)];
  const key = JSON.stringify([current.kind, walk.lang, limits.gsm, limits.ucs2, texts, labels]);
  let cut = cutScreens.get(key);
  if (!cut) {
    if (cutScreens.size >= CUT_SCREENS_KEPT) cutScreens.clear();
    cut = cutPages(walk, current, limits);
    cutScreens.set(key, cut);
  }
  return cut;
}

function cutPages(walk: Walk, current: Extract<View, { kind: 'text' | 'menu' }>, limits: ScreenLimits): Page[] {
  // Pages are cut as if a Back line were always there: a screen's pages must not change once the caller moves
  // on to its second page (from where Back is possible).
  const back = true;
  if (current.kind === 'text') {
    // The options stand under the last page only, so that the pages before it carry more text.
    const options = optionLines(current.options);
    const middle = footerLines(walk.lang, true, back).join('\n');
    const last = [...options, ...footerLines(walk.lang, false, back)].join('\n');
    const text = current.text.normalize('NFC');
    if (fitsScreen(`${text}\n${last}`, limits)) return [{ body: [text, ...options] }];
    // Pages are filled in order; the last must also fit the options, so its first words may move to a page before.
    const texts = paginate(text, limits, middle);
    const words = texts.pop()!.split(' ');
    let start = 0;
    while (start < words.length - 1 && !fitsScreen(`${words.slice(start).join(' ')}\n${last}`, limits)) start++;
    if (start > 0) texts.push(words.slice(0, start).join(' '));
    return [...texts, words.slice(start).join(' ')].map((page, i, all) => ({
      body: i === all.length - 1 ? [page, ...options] : [page],
    }));
  }
  return menuPages(walk, current, limits, back);
}

/**
 * Menu options numbered from 1, on one screen when they fit, else split into screens. The title is decoration: it
 * is shown only when the whole menu fits one screen with it. Every page fits with its footer, and its options fit
 * under the invalid-input notice (see `render`).
 */
function menuPages(walk: Walk, menu: { title?: string; shorterTitle?: string; options: Option[] }, limits: ScreenLimits, back: boolean) {
  const { lang } = walk;
  const notice = invalidNotice(walk);
  const fits = (page: { body: string[]; title?: string }, more: boolean) => {
    const footer = footerLines(lang, more, back);
    return (
      fitsScreen([...(page.title ? [page.title] : []), ...page.body, ...footer].join('\n'), limits) &&
      fitsScreen([notice, ...page.body].join('\n'), limits)
    );
  };
  const lines = optionLines(menu.options);
  for (const title of [menu.title, menu.shorterTitle, undefined]) {
    const single = title ? { title, body: lines } : { body: lines };
    if (fits(single, false)) return [single];
  }
  const result: { body: string[]; title?: string }[] = [];
  let page: string[] = [];
  for (const line of lines) {
    if (page.length > 0 && !fits({ body: [...page, line] }, true)) {
      result.push({ body: page });
      page = [];
    }
    page = [...page, line];
  }
  result.push({ body: page });
  return result;
}

export function render(walk: Walk, ctx: Context): UssdReply {
  const { limits } = ctx;
  const current = view(walk, ctx);
  if (current.kind === 'end') return { end: true, text: current.text };
  const all = pages(walk, current, limits);
  const page = all[walk.at.page]!;
  const footer = footerLines(walk.lang, walk.at.page + 1 < all.length, walk.history.length > 0);
  const title = page.title ? [page.title] : [];
  if (!walk.invalid) return { end: false, text: [...title, ...page.body, ...footer].join('\n') };
  // The same screen again, headed by a polite word. What gives way when it does not fit: the title, then the text
  // the caller has just read, then the More/Back lines (their keys still work). Pages are cut so that the notice
  // and the options always fit.
  const notice = invalidNotice(walk);
  const options = current.kind === 'menu' ? page.body : page.body.slice(1);
  const candidates = [
    [notice, ...title, ...page.body, ...footer],
    [notice, ...page.body, ...footer],
    [notice, ...options, ...footer],
    [notice, ...options],
  ].map((lines) => lines.join('\n'));
  return { end: false, text: candidates.find((text) => fitsScreen(text, limits)) ?? candidates.at(-1)! };
}

/**
 * The apology for when the hotline cannot answer (the store is down): it ends the session politely. A caller whose
 * language is unknown is most likely Tajik.
 */
export function unavailableReply(lang: Lang | undefined): UssdReply {
  return { end: true, text: t(lang ?? 'tg', 'common.unavailable') };
}

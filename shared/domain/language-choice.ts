/**
 * Which language a caller who has not chosen one is offered first, from the country code of their number: the
 * hotline serves mostly Tajik migrants, and with them Uzbek and Kyrgyz ones. A remembered choice always wins; this
 * only orders the first screen (and the voice line's language question) of a caller without one.
 */
import { parsePhone } from './phone';
import { LANGUAGES, type Lang } from './prompts';

/** The national language of the countries the hotline's callers come from, by calling code. */
const COUNTRY_LANGUAGES: readonly { code: string; lang: Lang }[] = [
  { code: '+992', lang: 'tg' },
  { code: '+998', lang: 'uz' },
  { code: '+996', lang: 'ky' },
];

/**
 * The language of the caller's country, if it is one of the hotline's; undefined for any other number (a Russian
 * +7 SIM is as likely a Tajik migrant's as a Russian's, so it gets the usual order, Tajik first).
 */
export function homeLanguage(phone: string): Lang | undefined {
  const e164 = parsePhone(phone);
  return e164 ? COUNTRY_LANGUAGES.find(({ code }) => e164.startsWith(code))?.lang : undefined;
}

/**
 * The language menu's order for a caller: their country's language first, then Russian and English (which
 * migrants of every country read), then the others in the hotline's order. A Tajik number, or one from elsewhere,
 * gets LANGUAGES as it is: 1 stays Tajik for the majority.
 */
export function languageOrder(home: Lang | undefined): readonly Lang[] {
  if (!home || home === LANGUAGES[0]) return LANGUAGES;
  const first: Lang[] = [home, 'ru', 'en'];
  return [...first, ...LANGUAGES.filter((lang) => !first.includes(lang))];
}

/**
 * Names folded to a common Latin skeleton, so that Cyrillic, Latin and misspelt forms of a name meet.
 */

import { lazy } from '../lazy';

/** Cyrillic (Russian, Tajik, and the letters of neighbouring languages) to the Latin skeleton. */
const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'sh', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  // Tajik
  ғ: 'g', ӣ: 'i', қ: 'k', ӯ: 'u', ҳ: 'h', ҷ: 'j',
  // Uzbek, Kyrgyz, Kazakh, Ukrainian
  ў: 'u', ң: 'n', ө: 'o', ү: 'u', ұ: 'u', ә: 'a', һ: 'h', і: 'i', ї: 'i', є: 'e',
};

/**
 * Spelling variants that sound alike, applied in order to each Latin word: English and Russian-style
 * transliterations of one name should meet ("Dzhakhongir"/"Jahongir", "Force"/"Форс", "Philipp"/"Филипп").
 */
const PHONETIC_RULES: Array<[RegExp, string]> = [
  [/ph/g, 'f'],
  [/th/g, 't'],
  [/kh/g, 'h'],
  [/gh/g, 'g'],
  [/zh/g, 'j'],
  [/dj/g, 'j'],
  [/ch/g, 'č'], // kept apart from c, which becomes k or s below
  [/c(?=[eiy])/g, 's'],
  [/c/g, 'k'],
  [/č/g, 'c'],
  [/q/g, 'k'],
  [/x/g, 'ks'],
  [/w/g, 'v'],
  [/y/g, 'i'],
  [/oo|ou/g, 'u'],
  [/ee/g, 'i'],
  [/([^aeiou\d])e$/, '$1'], // silent final e: "force" → "fors"
  [/([a-z])\1+/g, '$1'], // double letters: "Fruitfull" → "fruitful", "ия" → "iia" → "ia"
];

function foldWord(word: string): string {
  if (!/^[a-z\d]+$/.test(word) || word.length < 3) return word;
  return PHONETIC_RULES.reduce((w, [pattern, replacement]) => w.replace(pattern, replacement), word);
}

function foldWords(text: string): string[] {
  const latin = [...text.normalize('NFKC').toLowerCase()]
    .map((ch) => CYRILLIC_TO_LATIN[ch] ?? ch)
    .join('')
    .normalize('NFD')
    .replace(/\p{M}/gu, '') // é → e, after the Cyrillic letters with marks (ӣ, ӯ, й, ё) were mapped whole
    .replace(/['’ʼ`]/g, '') // O'Neil → oneil
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  return latin.split(' ').filter(Boolean).map(foldWord);
}

/** Built on first use: only a verification compares names. */
const foldedSet = (words: string[]) => lazy(() => new Set(words.flatMap(foldWords)));

/** Legal forms, the country tag and the sample-data marker: they say nothing about which body it is. */
const IGNORED_WORDS = foldedSet([
  'ltd', 'limited', 'llc', 'llp', 'plc', 'inc', 'uk', 'лтд', 'ооо', 'оао', 'зао', 'пао', 'ао', 'ҷдмм', 'ҷск',
  'sample',
]);

/**
 * Words that many names share: they count a fifth of a distinctive word, so "UK jobs" never matches
 * "Fruitful Jobs" on "jobs" alone.
 */
export const GENERIC_WORDS = foldedSet([
  'agency', 'agent', 'recruitment', 'recruiting', 'labour', 'labor', 'solutions', 'solution', 'services', 'service',
  'jobs', 'job', 'work', 'workers', 'employment', 'staff', 'staffing', 'personnel', 'group', 'international',
  'global', 'company', 'travel', 'агентство', 'агентии', 'ширкат', 'ширкати', 'компания', 'кадровое', 'кор',
  'корёбӣ', 'корёбии', 'хизмат', 'хизматрасонӣ', 'работа', 'сервис',
]);

export const GENERIC_WEIGHT = 0.2;

/** The words a name is compared by: folded, ignored words dropped (unless that leaves nothing). */
export function nameWords(text: string): string[] {
  const words = foldWords(text);
  const meaningful = words.filter((w) => !IGNORED_WORDS().has(w));
  return meaningful.length > 0 ? meaningful : words;
}

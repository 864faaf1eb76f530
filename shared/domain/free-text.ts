/**
 * A message without a keyword, read as a migrant means it: its language, and whether it tells what happened (a
 * report to offer), asks whether someone is genuine (a check to answer) or neither (help). Pure: the SMS step
 * decides what to answer.
 */
import type { Lang } from './prompts';
import { extractAmount, extractIdentifiers, foldedWords, textReasons, wordMatches } from './report';

export type MessageIntent = 'report' | 'check' | 'other';

/** Asking whether someone is genuine: "is it real", "проверьте", "литсензия доранд?", `бовар` (trust). */
const CHECK_WORDS = [
  'check*', 'verify', 'real', 'legit*', 'legal', 'genuine', 'fake', 'trust*', 'licen*', 'official', 'scam', 'who',
  'провер*', 'настоящ*', 'реальн*', 'легальн*', 'лиценз*', 'довер*', 'официальн*', 'мошенник', 'мошенники',
  'мошенников', 'кто', 'provert*', 'proverk*', 'litsenz*', 'licenz*', 'nastoyashch*', 'kto',
  'санч*', 'sanj*', 'sanch*', 'бовар*', 'bovar*', 'дуруст*', 'durust*', 'литсенз*', 'ичозат*', 'ijozat*', 'ichozat*',
  'конуни*', 'qonuni*', 'konuni*', 'каллоб', 'kallob', 'qallob', 'кист', 'kist',
  // Uzbek (Latin and Cyrillic) and Kyrgyz: "check", "real", "official", "trust".
  'tekshir*', 'текшир*', 'haqiqiy*', 'хакикий*', 'rostmi', 'ростми', 'rasmiy*', 'расмий*', 'ishon*', 'ишон*',
  'текшер*', 'чыныгы*', 'чынбы', 'ишен*',
];
/**
 * Telling what happened: someone contacted, offered, promised, took or was paid. With an identifier or an amount,
 * such a message is a report even without a danger sign.
 */
const STORY_WORDS = [
  'paid', 'sent', 'gave', 'transferred', 'promised', 'offer*', 'contacted', 'called', 'wrote', 'messaged', 'took',
  'blocked', 'disappeared', 'cheat*', 'scammed', 'deceiv*', 'fraud*', 'stole*', 'lost',
  'заплатил*', 'оплатил*', 'перевел*', 'отправил*', 'отдал*', 'обещал*', 'предлага*', 'предложил*',
  'написал*', 'звонил*', 'позвонил*', 'пишут', 'взял*', 'забрал*', 'пропал*', 'заблокир*', 'обман*', 'кинул*',
  'развел*', 'украл*', 'жалу*',
  'zaplatil*', 'perevel*', 'otpravil*', 'obeshch*', 'predlaga*', 'napisal*', 'zvonil*', 'obman*', 'kinul*', 'propal*',
  'додам', 'додем', 'dodam', 'dodem', 'фиристодам', 'firistodam', 'супоридам', 'suporidam', 'гирифтанд', 'giriftand',
  'навиштанд', 'navishtand', 'навишт', 'navisht', 'занг', 'zang', 'ваъда', 'vada', "va'da", 'пешних*', 'pishnih*',
  'фиреб*', 'fireb*', 'firib*', 'гум', 'gum', 'намегирад', 'namegirad',
  // Uzbek and Kyrgyz: paid, sent, promised, offered, deceived, asked for, took.
  "to'ladim", 'toʻladim', 'berdim', "o'tkazdim", 'oʻtkazdim', 'yubordim', "va'da*", 'vaʼda*', 'taklif*', 'aldad*',
  'aldash*', "so'rad*", 'soʻrad*', "so'rash*", 'soʻrash*', 'тўладим', 'туладим', 'бердим', 'юбордим', 'таклиф*', 'алдад*',
  'төлөдүм', 'которудум', 'жөнөттүм', 'убада*', 'сунуш*', 'алдап*', 'алдашты', 'сурады', 'сурашты',
  // Wages withheld.
  'unpaid', 'wages', 'salary', 'зарплат*', 'zarplat*', 'маош', 'maosh', 'намедиханд', 'namedihand',
];

/** The message itself, without its links and accounts: `@work_uk_official` asks nothing, `visa.example` is no English. */
// Word by word: one pattern `\S*(?:@|…)\S*` over the whole text backtracks quadratically on a long run such as
// "a.a.a.…" (10 ms at the SMS cap of 1,600 characters, against 0.2 ms here).
const prose = (text: string) => text.replace(/\S+/gu, (word) => (/[@/]|\.\p{L}{2}/u.test(word) ? ' ' : word));

/** What a message without a keyword asks for. */
export function messageIntent(text: string): MessageIntent {
  // Only whether there is one: the identifiers are read again, with the real card hash, when the report is made.
  const named = extractIdentifiers(text, () => 'any').length > 0;
  const amount = extractAmount(text) !== undefined;
  const said = foldedWords(prose(text));
  // A danger sign or a demand for money is a report to take now, whatever else the message asks.
  if (textReasons(text).length > 0) return 'report';
  const asksWhether = said.some((word) => wordMatches(word, CHECK_WORDS));
  const question = text.includes('?');
  if (asksWhether && (named || question || said.length <= 8)) return 'check';
  if (said.some((word) => wordMatches(word, STORY_WORDS)) && (named || amount || said.length >= 6)) return 'report';
  if (named && amount) return 'report';
  // A bare number, account or link, or a question about one: what does the hotline know of it?
  if (named) return 'check';
  return 'other';
}

/** Words that are not the name a check asks about (folded, as every list here: ё as е, ҳ as х). */
const NOT_THE_NAME = [
  ...CHECK_WORDS, 'is', 'it', 'this', 'that', 'a', 'an', 'the', 'are', 'they', 'please', 'pls', 'plz', 'can', 'you',
  'do', 'does', 'have', 'has', 'company', 'agency', 'firm', 'ok', 'okay', 'or', 'not', 'and', 'of',
  'это', 'ли', 'пожалуйста', 'у', 'них', 'есть', 'компания', 'фирма', 'агентство', 'или', 'нет', 'они', 'эта', 'этот',
  'скажите', 'подскажите', 'eto', 'li', 'pozhaluysta', 'pojaluysta', 'kompaniya', 'firma', 'skazhite', 'tell', 'me',
  'ое', 'аст', 'хаст', 'лутфан', 'доранд', 'дорад', 'ширкат', 'ширкати', 'ин', 'е',
  'oyo', 'ast', 'hast', 'lutfan', 'dorand', 'dorad', 'shirkat', 'shirkati', 'in', 'yo', 'mumkin', 'мумкин', 'кардан',
  'kardan',
];

/** What a message read as a check asks about, for CHECK: its identifiers as written, else the name left over. */
export function checkQuery(text: string): string {
  if (extractIdentifiers(text, () => 'any').length > 0) return text;
  const kept = text
    .normalize('NFC')
    .split(/[\s?!.,:;"«»()]+/u)
    .filter((word) => word && !foldedWords(word).every((w) => wordMatches(w, NOT_THE_NAME)));
  return kept.join(' ').replace(/^['"]+|['"]+$/g, '').trim() || text.trim();
}

/** Words that are only English, only Russian written in Latin letters, or only Tajik written in Latin letters. */
const LATIN_WORDS: Record<Lang, Set<string>> = {
  en: new Set(
    ('the a an is are was were i me my we us our you he she they them his her it this that to of for and in on at ' +
      'with from by want wants asked pay paid money job work visa help please what how who hello hi thanks thx')
      .split(' '),
  ),
  ru: new Set(
    ('ya mne menya my nas oni on ona eto chto kak ne net da i v na s za do u ot pomogite zdravstvuyte privet ' +
      'nado nuzhno prosyat trebuyut rabota rabotu raboty dengi deneg nomer nomera zvonili napisali segodnya zavtra ' +
      'pasport zabral zabrali spasibo')
      .split(' '),
  ),
  tg: new Set(
    ('man mo shumo vay ba dar va ki az baroi boyad pul kor kerak ast hast nest meni mara maro salom assalom ' +
      'rahmat giriftand dodam imruz fardo kardand mekunand namedihand nadoram hastem hastam aka oyo in on')
      .split(' '),
  ),
  uz: new Set(
    ('men siz biz ular menga sizga mendan sizdan uchun ish ishga ishni emas bilan qildi qilishdi berdim berdi oldi ' +
      'olishdi sorashdi sorayapti yordam iltimos assalomu alaykum qanday nima yaxshi yoq kim bu shu ham lekin pulni ' +
      "firibgar aldadi aldashdi hozir bugun ertaga yo'q bo'ldi so'radi so'rashdi to'ladim to'lash o'zbek")
      .split(' '),
  ),
  ky: new Set(
    ('akcha jumush jumushka jok emne kantip jardam suranam berdim berdi aldy aldashty alar bizge sizge menen')
      .split(' '),
  ),
};
/** Uzbek and Kyrgyz words written in Cyrillic without the letters only they have (ў; ң ө ү). */
const CYRILLIC_WORDS: Partial<Record<Lang, Set<string>>> = {
  uz: new Set('менга сизга учун иш ишга эмас билан килди берди олди ёрдам ердам илтимос нима яхши йук хозир'.split(' ')),
  ky: new Set('акча жумуш жумушка жок эмне кантип жардам суранам алдады алдашты бизге сизге менен'.split(' ')),
};
/** Tajik words that are not Russian ones: a Tajik text typed without ҳ қ ғ ҷ ӣ ӯ still reads as Tajik. */
const TAJIK_IN_CYRILLIC = new Set(
  ('ман мо шумо вай ба дар ва ки аз барои бояд пул кор аст нест маро мара моро салом ассалом рахмат гирифтанд ' +
    'додам имруз фардо карданд кардан мекунанд намедиханд надорам надорем хастем хастам ака ое ин мумкин бовар ' +
    'лозим керак гуфтанд мешавад шуд лутфан ракам нафар чи чаро')
    .split(' '),
);

/**
 * The language a message is written in, when nothing else says: the script, then its commonest words; Latin words
 * that say nothing are read as `fallback` (the sender's country's language; Tajik, the likeliest, if unknown).
 */
export function guessLanguage(message: string, fallback: Lang = 'tg'): Lang {
  const text = prose(message);
  const said = foldedWords(text);
  // Letters only one of the languages has: Kyrgyz ң ө ү, Uzbek ў (Cyrillic) and the ʻ of oʻ gʻ (Latin; typed as a
  // plain apostrophe it is in the words below), Tajik ҳ қ ғ ҷ ӣ ӯ (Uzbek Cyrillic shares ҳ қ ғ, so ў comes first).
  if (/[ңөүҢӨҮ]/.test(text)) return 'ky';
  if (/[ўЎʻ]/.test(text)) return 'uz';
  if (/[ҳқғҷӣӯҲҚҒҶӢӮ]/.test(text)) return 'tg';
  // The script most of the letters are in: a stray Cyrillic letter in Latin words does not make them Russian.
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  if (cyrillic > (text.match(/\p{Script=Latin}/gu)?.length ?? 0)) {
    if (said.some((word) => TAJIK_IN_CYRILLIC.has(word))) return 'tg';
    const other = (['uz', 'ky'] as const).find((lang) => said.some((word) => CYRILLIC_WORDS[lang]!.has(word)));
    return other ?? 'ru';
  }
  const score = (lang: Lang) => said.filter((word) => LATIN_WORDS[lang].has(word)).length;
  const [en, ru, tg, uz, ky] = [score('en'), score('ru'), score('tg'), score('uz'), score('ky')];
  // Uzbek and Kyrgyz only when their words outnumber the others': Tajik stays the likeliest.
  if (uz > Math.max(en, ru, tg, ky)) return 'uz';
  if (ky > Math.max(en, ru, tg, uz)) return 'ky';
  // Latin text from a first-time sender is as likely Tajik written in Latin letters as English: Tajik on a tie.
  if (en > tg && en > ru) return 'en';
  if (ru > tg) return 'ru';
  return tg > 0 ? 'tg' : fallback;
}

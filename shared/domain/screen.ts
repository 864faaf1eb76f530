/**
 * What fits on a feature phone's USSD screen. A screen is 160 octets: 182 GSM 7-bit characters, but any character
 * outside that alphabet (all Tajik and Russian text) switches the whole screen to UCS-2, about 80 characters.
 * Text is counted after NFC normalisation, because ӣ and ӯ decompose into two code points in NFD.
 */
export interface ScreenLimits {
  gsm: number;
  ucs2: number;
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// Extension-table characters are sent as an escape plus a character: two septets each.
const GSM_EXTENDED = '^{}\\[~]|€\f';
const gsmBasic = new Set(GSM_BASIC);
const gsmExtended = new Set(GSM_EXTENDED);

/** Length in GSM septets, or undefined when the text needs UCS-2. */
function gsmLength(text: string): number | undefined {
  let length = 0;
  for (const ch of text) {
    if (gsmBasic.has(ch)) length += 1;
    else if (gsmExtended.has(ch)) length += 2;
    else return undefined;
  }
  return length;
}

/** Whether a text can go in GSM 7-bit (else it needs UCS-2: any Cyrillic does). */
export function isGsmText(text: string): boolean {
  return gsmLength(text.normalize('NFC')) !== undefined;
}

export interface ScreenMeasure {
  encoding: 'gsm' | 'ucs2';
  length: number;
  limit: number;
}

export function measureScreen(text: string, limits: ScreenLimits): ScreenMeasure {
  const normalised = text.normalize('NFC');
  const septets = gsmLength(normalised);
  if (septets !== undefined) return { encoding: 'gsm', length: septets, limit: limits.gsm };
  // UCS-2 counts UTF-16 code units; every character we use is in the Basic Multilingual Plane.
  return { encoding: 'ucs2', length: normalised.length, limit: limits.ucs2 };
}

export function fitsScreen(text: string, limits: ScreenLimits): boolean {
  const m = measureScreen(text, limits);
  return m.length <= m.limit;
}

/**
 * Splits a long text into pages so that every page, with `footer` under it on its own line, fits one screen.
 * `footer` is the longest footer any page gets (e.g. "98. More\n0. Back"); the last page's shorter one fits too.
 * Breaks at spaces; a single word longer than a page is cut.
 */
export function paginate(text: string, limits: ScreenLimits, footer: string): string[] {
  const fits = (body: string) => fitsScreen(`${body}\n${footer}`, limits);
  const pages: string[] = [];
  let current = '';
  for (let word of text.normalize('NFC').split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) pages.push(current);
    while (!fits(word)) {
      let cut = word.length - 1;
      while (cut > 1 && !fits(word.slice(0, cut))) cut--;
      pages.push(word.slice(0, cut));
      word = word.slice(cut);
    }
    current = word;
  }
  pages.push(current);
  return pages;
}

/**
 * How many SMS parts a text takes: GSM 7-bit 160 alone or 153 per part; UCS-2 (any Cyrillic) 70 alone or 67.
 */
export function smsParts(text: string): number {
  const m = measureScreen(text, { gsm: Infinity, ucs2: Infinity });
  const [single, part] = m.encoding === 'gsm' ? [160, 153] : [70, 67];
  return m.length <= single ? 1 : Math.ceil(m.length / part);
}

import { describe, expect, it } from 'vitest';
import { fitsScreen, measureScreen, paginate } from '../shared/domain/screen';

const limits = { gsm: 182, ucs2: 80 };

describe('measureScreen', () => {
  it('counts plain Latin text in GSM septets against the 182 limit', () => {
    expect(measureScreen('1. Safe migration advice', limits)).toEqual({ encoding: 'gsm', length: 24, limit: 182 });
  });

  it('counts extension characters such as € and { as two septets', () => {
    expect(measureScreen('€5 {x}', limits)).toEqual({ encoding: 'gsm', length: 9, limit: 182 });
  });

  it('switches the whole screen to UCS-2 (80) for any Cyrillic letter', () => {
    expect(measureScreen('English and Тоҷикӣ', limits)).toEqual({ encoding: 'ucs2', length: 18, limit: 80 });
  });

  it('counts after NFC normalisation, so a decomposed ӣ is one character', () => {
    const decomposed = 'Тоҷикӣ'.normalize('NFD');
    expect(decomposed.length).toBe(7);
    expect(measureScreen(decomposed, limits).length).toBe(6);
  });

  it('accepts exactly the limit and rejects one more', () => {
    expect(fitsScreen('ж'.repeat(80), limits)).toBe(true);
    expect(fitsScreen('ж'.repeat(81), limits)).toBe(false);
    expect(fitsScreen('a'.repeat(182), limits)).toBe(true);
    expect(fitsScreen('a'.repeat(183), limits)).toBe(false);
  });
});

describe('paginate', () => {
  const footer = '98. Далее\n0. Назад';
  const text =
    'Признаки мошенничества: у вас просят деньги за работу, визу, документы или место, и торопят с оплатой.';

  it('cuts at spaces so that every page fits with its footer, losing no word', () => {
    const pages = paginate(text, limits, footer);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(fitsScreen(`${page}\n${footer}`, limits)).toBe(true);
    expect(pages.join(' ')).toBe(text);
  });

  it('keeps a short text on one page', () => {
    expect(paginate('Short text.', limits, footer)).toEqual(['Short text.']);
  });

  it('cuts a word longer than a page rather than overflow', () => {
    const pages = paginate('ж'.repeat(200), limits, footer);
    for (const page of pages) expect(fitsScreen(`${page}\n${footer}`, limits)).toBe(true);
    expect(pages.join('')).toBe('ж'.repeat(200));
  });
});

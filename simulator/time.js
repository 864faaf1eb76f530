// @ts-check
// Times as the providers write them and as the phones show them.

/** @param {number} n */
export const pad = (n) => String(n).padStart(2, '0');

/** Africa's Talking's date format, `2026-11-20 09:20:11` (UTC). */
export const atDate = (date = new Date()) =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
  `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;

/** A message's time of day, `09:20:11`, or nothing when it has none. @param {string} iso */
export const timeOf = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

/** A call's length, `mm:ss`. @param {number} ms */
export const callClock = (ms) => {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
};

/**
 * Whole seconds from `startedAt` to `endedAt`, at least one, as the providers report a length.
 * @param {number} startedAt
 * @param {number} [endedAt]
 */
export const secondsBetween = (startedAt, endedAt = Date.now()) => Math.max(1, Math.round((endedAt - startedAt) / 1000));

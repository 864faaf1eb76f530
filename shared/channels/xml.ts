/**
 * Text for the voice providers' XML. Provider fields (a hotline number as caller ID, the digits a caller pressed) and
 * registry names are echoed into it, and XML 1.0 has no way at all to carry some characters, not even escaped: a
 * control character other than tab, LF and CR, U+FFFE, U+FFFF or half a surrogate pair makes the whole answer
 * malformed, and the provider drops the call. They are dropped from the text; nothing can speak them anyway.
 */

/** With the `u` flag a surrogate range matches only a lone half: a whole pair is one code point, and allowed. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

/** `text` without the characters XML 1.0 cannot carry. */
export const xmlChars = (text: string): string => text.replace(NOT_XML_CHAR, '');

/** Text and attribute values for XML: only characters XML can carry, the five special ones as entities. */
export function escapeXml(text: string): string {
  return xmlChars(text).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

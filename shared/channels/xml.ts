/**
 * The voice providers' XML answers (Twilio's TwiML, Africa's Talking's XML), built as strings: one element at a
 * time, every text and attribute value escaped here. (The twilio package's builders weighed 80 KB of the sms and
 * voice bundles, with xmlbuilder, for a dozen elements.)
 *
 * Provider fields (a hotline number as caller ID, the digits a caller pressed) and registry names are echoed into
 * it, and XML 1.0 has no way at all to carry some characters, not even escaped: a control character other than tab,
 * LF and CR, U+FFFE, U+FFFF or half a surrogate pair makes the whole answer malformed, and the provider drops the
 * call. They are dropped from the text; nothing can speak them anyway.
 */

/** With the `u` flag a surrogate range matches only a lone half: a whole pair is one code point, and allowed. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

/** `text` without the characters XML 1.0 cannot carry. */
export const xmlChars = (text: string): string => text.replace(NOT_XML_CHAR, '');

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' };

/**
 * Text and attribute values for XML: only characters XML can carry, the five special ones as entities (and a
 * carriage return as a reference, which a parser would otherwise turn into a line feed).
 */
export function escapeXml(text: string): string {
  return xmlChars(text).replace(/[&<>"'\r]/g, (ch) => ENTITIES[ch]!);
}

/** An attribute value: escaped, with tabs and line feeds as references, which a parser would turn into spaces. */
const escapeAttribute = (value: string) => escapeXml(value).replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;');

/** Attribute values; undefined ones are left out, booleans written `true`/`false`. */
export type XmlAttributes = Record<string, string | number | boolean | undefined>;

/** `<name a="1">children</name>`, or `<name a="1"/>` without children; `children` is XML already (escape text). */
export function xmlElement(name: string, attributes: XmlAttributes = {}, children?: string): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeAttribute(String(value))}"`)
    .join('');
  return children === undefined || children === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${children}</${name}>`;
}

/** A whole answer: the XML declaration and a `<Response>` holding `verbs` (both providers' root). */
export const xmlResponse = (verbs: readonly string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>${xmlElement('Response', {}, verbs.join(''))}`;

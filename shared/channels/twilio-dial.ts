/**
 * A number Twilio dials, for the voice line's urgent Dial and the officers' CALL bridge alike: a module of its own,
 * so that the SMS function (which places the bridge) bundles none of the voice line's TwiML, speech plans or
 * recordings manifest.
 */
import { escapeXml, xmlElement } from './xml';

/** A `<Number>` of a `<Dial>`; the screening URL runs the whisper on the officer's leg before bridging. */
export const numberTwiml = (phone: string, screenUrl?: string) =>
  xmlElement('Number', screenUrl ? { url: screenUrl, method: 'POST' } : {}, escapeXml(phone));

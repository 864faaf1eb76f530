/**
 * TwiML built as strings against the twilio package's builder it replaces (a devDependency here, the oracle).
 */
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { describe, expect, it } from 'vitest';
import { BRIDGE_DIAL_TIMEOUT_SECONDS, bridgeTwiml, spokenReference } from '../shared/channels/twilio-call-bridge';
import { escapeXml, xmlElement, xmlResponse } from '../shared/channels/xml';
import { BRIDGE_LANG, t } from '../shared/domain/prompts';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false });

describe('TwiML built as strings', () => {
  it("renders the CALL bridge as the twilio package's builder did", () => {
    const reference = '7K3R9M';
    const oracle = new VoiceResponse();
    oracle.say({ voice: 'alice', language: 'en-GB' }, t(BRIDGE_LANG, 'bridge.connecting', { ref: spokenReference(reference) }));
    oracle.dial({ callerId: '+447700900123', timeout: BRIDGE_DIAL_TIMEOUT_SECONDS }).number('+992900001234');
    oracle.say({ voice: 'alice', language: 'en-GB' }, t(BRIDGE_LANG, 'bridge.unreachable'));
    const ours = bridgeTwiml('+992900001234', reference, '+447700900123');
    expect(XMLValidator.validate(ours)).toBe(true);
    expect(parser.parse(ours)).toEqual(parser.parse(oracle.toString()));
  });

  it('escapes text and attributes into the same document as the twilio builder, for any text XML can carry', () => {
    const special = fc.constantFrom('&', '<', '>', '"', "'", '\t', '\n', '\r', ' ', 'ж', '&amp;', ']]>');
    const xmlText = fc.oneof(
      fc.string({ unit: special, maxLength: 20 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }).filter((text) => /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd]*$/u.test(text)),
    );
    fc.assert(
      fc.property(xmlText, xmlText, (text, attribute) => {
        const oracle = new VoiceResponse();
        oracle.say({ voice: attribute } as never, text);
        const ours = xmlResponse([xmlElement('Say', { voice: attribute }, escapeXml(text))]);
        expect(XMLValidator.validate(ours)).toBe(true);
        expect(parser.parse(ours)).toEqual(parser.parse(oracle.toString()));
      }),
      { numRuns: 200 },
    );
  });
});

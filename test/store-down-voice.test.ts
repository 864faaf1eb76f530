/**
 * Nothing lost when the store is down (issue 15), on the voice line: a message whose recording callback arrives
 * while every store call fails is journaled (the caller's stored language and the registry cannot be read either),
 * the caller hears a polite answer in the call's language, and the replay files exactly one report.
 */
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayLocalJournal } from '../infra/local';
import { PROMPTS } from '../shared/domain/prompts';
import { startTestStore, type TestStore } from './support/dynalite';
import { injectStoreFaults, seeded } from './support/faults';
import { formBody } from './support/fixtures';
import { hotlineOnNewTable, storedOnceAndTexted } from './support/hotline';

const BASE = 'https://hotline.example.org';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore('safejob-store-down-voice');
});
afterAll(async () => store.close());

const hotlineOnFreshTable = () => hotlineOnNewTable(store, 'down-voice');
type Hotline = Awaited<ReturnType<typeof hotlineOnFreshTable>>;

const storeDown = (hotline: Hotline) => injectStoreFaults(hotline.deps.db, { rate: 1, random: seeded(5), lostResponses: false });

/** Twilio's Record callback for a report message in English (the state is in the action URL), signed. */
function twilioRecording(hotline: Hotline, callSid: string, from: string) {
  const url = `${BASE}/voice/twilio?s=report&l=en&t=0&c=0`;
  const params = { CallSid: callSid, From: from, Caller: from, To: '+447700900000', AccountSid: 'AC00000000000000000000000000000000', CallStatus: 'in-progress', Direction: 'inbound', RecordingUrl: 'https://api.twilio.com/Recordings/RE-down', RecordingDuration: '42', Digits: '#' };
  return hotline.app.request(new Request(`http://localhost/voice/twilio?s=report&l=en&t=0&c=0`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature('test-auth-token', url, params) },
    body: formBody(params),
  }));
}

/** Africa's Talking's Record callback for a report message in English. */
function atRecording(hotline: Hotline, sessionId: string, caller: string) {
  const params = { isActive: '1', sessionId, direction: 'Inbound', callerNumber: caller, destinationNumber: '+254711082000', recordingUrl: 'https://recordings.example.org/ATVId_down.mp3' };
  return hotline.app.request(new Request('http://localhost/voice/africastalking?s=report&l=en&t=0', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody(params),
  }));
}

const cases = [
  { provider: 'Twilio', callId: 'CA-down-1', phone: '+992900000711', recording: twilioRecording },
  { provider: "Africa's Talking", callId: 'ATVId_down_1', phone: '+992900000712', recording: atRecording },
] as const;

describe.each(cases)('a $provider voice message whose recording arrives while the store is down', ({ callId, phone, recording }) => {
  it('is journaled, the caller answered politely in English, and replayed into exactly one report', async () => {
    const hotline = await hotlineOnFreshTable();
    const faults = storeDown(hotline);
    const answer = await recording(hotline, callId, phone);
    // The provider repeats the callback: still one report.
    const retry = await recording(hotline, callId, phone);
    expect(answer.status).toBe(200);
    expect(retry.status).toBe(200);
    const spoken = await answer.text();
    expect(spoken).toContain(PROMPTS.en['voice.report.kept']!);
    const journaled = await hotline.deps.journalFile.entries();
    expect(journaled.length).toBeGreaterThanOrEqual(1);
    expect(journaled[0]!.report).toMatchObject({ channel: 'voice', lang: 'en' });

    await replayLocalJournal(hotline.deps); // still down: kept
    expect((await hotline.deps.journalFile.entries()).length).toBe(journaled.length);
    faults.rate = 0;
    await storedOnceAndTexted(hotline, store, phone, { channel: 'voice', lang: 'en' });
  });
});

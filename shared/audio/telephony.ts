/**
 * A recording from wherever it came as the line plays it (shared/audio/wav.ts): WAV from the browser and Twilio,
 * MP3 from Africa's Talking, decoded by mpg123-decoder (mpg123 compiled to WebAssembly and shipped inside the
 * package: nothing is downloaded at install time or run outside the function; measured at ~25 ms to load and ~3 ms
 * to decode a second of speech). docs/studio.md says why not ffmpeg.
 */
import { TELEPHONY_RATE, WavError, telephonyFromPcm, toTelephonyWav, type TelephonyAudio } from './wav';

/** An MP3 file: an ID3 tag, or an MPEG audio frame's sync word. */
export function isMp3(bytes: Uint8Array): boolean {
  const id3 = bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33;
  return id3 || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0);
}

async function fromMp3(bytes: Uint8Array): Promise<TelephonyAudio> {
  // Imported when an MP3 arrives: the voice line's other routes never evaluate the decoder's module.
  const { MPEGDecoder } = await import('mpg123-decoder');
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const { channelData, sampleRate, samplesDecoded } = decoder.decode(bytes);
    if (samplesDecoded === 0 || channelData.length === 0) throw new WavError('not an MP3 file that can be decoded');
    const samples = new Float32Array(samplesDecoded);
    for (const channel of channelData) for (let i = 0; i < samplesDecoded; i++) samples[i]! += channel[i]! / channelData.length;
    return telephonyFromPcm({ sampleRate, samples }, { sampleRate, channels: channelData.length, format: 'mp3' });
  } finally {
    decoder.free();
  }
}

/**
 * 8 kHz mono 16-bit PCM WAV, loudness-normalised, from a WAV or an MP3. `requireTelephony` (the browser's upload):
 * only a WAV already at 8 kHz mono.
 */
export async function toTelephonyAudio(bytes: Uint8Array, options: { requireTelephony?: boolean } = {}): Promise<TelephonyAudio> {
  if (!isMp3(bytes)) return toTelephonyWav(bytes, options);
  if (options.requireTelephony) throw new WavError(`expected a ${TELEPHONY_RATE} Hz mono WAV, got an MP3`);
  return fromMp3(bytes);
}

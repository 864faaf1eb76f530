import { describe, expect, it } from 'vitest';
import { PEAK_CEILING_DBFS, TARGET_RMS_DBFS, WavError, loudness, readWav, toTelephonyWav, writeWav } from '../shared/audio/wav';
import { toTelephonyAudio } from '../shared/audio/telephony';
import { sampleMp3, sampleRecording, tone } from './support/audio';

/** A WAV header by hand: what a provider or a browser may send that writeWav never makes. */
function wavOf(format: number, channels: number, sampleRate: number, bits: number, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(44 + data.length);
  const v = new DataView(bytes.buffer);
  const put = (at: number, s: string) => [...s].forEach((ch, i) => v.setUint8(at + i, ch.charCodeAt(0)));
  put(0, 'RIFF');
  v.setUint32(4, 36 + data.length, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, format, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, (sampleRate * channels * bits) / 8, true);
  v.setUint16(32, (channels * bits) / 8, true);
  v.setUint16(34, bits, true);
  put(36, 'data');
  v.setUint32(40, data.length, true);
  bytes.set(data, 44);
  return bytes;
}

describe('telephone audio', () => {
  it('brings a quiet 8 kHz recording to the speech level, as 8 kHz mono 16-bit PCM', () => {
    const out = toTelephonyWav(sampleRecording({ amplitude: 0.01 }), { requireTelephony: true });
    const pcm = readWav(out.wav);
    expect(pcm).toMatchObject({ sampleRate: 8000, channels: 1, format: 'pcm', bitsPerSample: 16 });
    expect(out.durationSeconds).toBe(1);
    expect(loudness(pcm).rmsDbfs).toBeCloseTo(TARGET_RMS_DBFS, 0);
  });

  it('turns a loud recording down so that its peaks stay under the ceiling', () => {
    // A square-ish wave: RMS close to its peak, so the peak limit decides the gain.
    const square = tone({ sampleRate: 8000, seconds: 1, hz: 200, amplitude: 1 });
    square.samples.forEach((s, i) => (square.samples[i] = Math.sign(s)));
    const out = loudness(readWav(toTelephonyWav(writeWav(square)).wav));
    expect(out.peakDbfs).toBeLessThanOrEqual(PEAK_CEILING_DBFS + 0.01);
    expect(out.rmsDbfs).toBeLessThan(TARGET_RMS_DBFS + 20);
  });

  it('resamples a 48 kHz stereo recording (a browser) to 8 kHz mono, keeping its length', () => {
    const left = tone({ sampleRate: 48_000, seconds: 0.5, hz: 300, amplitude: 0.2 }).samples;
    const data = new Uint8Array(left.length * 4);
    const v = new DataView(data.buffer);
    left.forEach((s, i) => {
      v.setInt16(i * 4, Math.round(s * 32767), true);
      v.setInt16(i * 4 + 2, Math.round(s * 32767), true);
    });
    const out = toTelephonyWav(wavOf(1, 2, 48_000, 16, data));
    expect(out.received).toEqual({ sampleRate: 48_000, channels: 2, format: 'pcm', bitsPerSample: 16 });
    expect(readWav(out.wav).samples.length).toBe(4000);
    expect(() => toTelephonyWav(wavOf(1, 2, 48_000, 16, data), { requireTelephony: true })).toThrow('expected 8000 Hz mono, got 48000 Hz with 2 channel(s)');
  });

  it('reads G.711 μ-law (a telephone recording) and A-law', () => {
    // μ-law 0x00 and 0x80 are the loudest negative and positive values, 0xFF and 0x7F silence.
    expect(Array.from(readWav(wavOf(7, 1, 8000, 8, new Uint8Array([0x80, 0x00, 0xff]))).samples)).toEqual([32124 / 32768, -32124 / 32768, 0]);
    expect(Array.from(readWav(wavOf(6, 1, 8000, 8, new Uint8Array([0xd5, 0x55]))).samples)).toEqual([8 / 32768, -8 / 32768]);
  });

  it('refuses what is not a recording: not a WAV, an MP3, a slip of the finger, an unknown format', () => {
    expect(() => toTelephonyWav(new TextEncoder().encode('ID3 not a wav at all'))).toThrow(WavError);
    expect(() => toTelephonyWav(sampleRecording({ seconds: 0.1 }))).toThrow('only 0.10 s of audio');
    expect(() => toTelephonyWav(wavOf(2, 1, 8000, 4, new Uint8Array(4000)))).toThrow('unsupported format 2 at 4 bits');
  });

  it('leaves silence silent rather than amplifying noise', () => {
    const out = readWav(toTelephonyWav(sampleRecording({ amplitude: 0 })).wav);
    expect(out.samples.every((s) => s === 0)).toBe(true);
  });

  it("decodes an MP3 (Africa's Talking's recordings) to the same telephone WAV, but never takes one from the browser", async () => {
    const out = await toTelephonyAudio(sampleMp3({ sampleRate: 8000 }));
    expect(out.received).toMatchObject({ format: 'mp3', sampleRate: 8000 });
    const pcm = readWav(out.wav);
    expect(pcm).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    expect(out.durationSeconds).toBeGreaterThanOrEqual(1);
    expect(loudness(pcm).rmsDbfs).toBeCloseTo(TARGET_RMS_DBFS, 0);
    await expect(toTelephonyAudio(sampleMp3(), { requireTelephony: true })).rejects.toThrow('expected a 8000 Hz mono WAV, got an MP3');
  });
});

import { Mp3Encoder } from '@breezystack/lamejs';
import { writeWav, type Pcm } from '../../shared/audio/wav';

/** A sine at `hz`, `seconds` long, at `amplitude` (0..1): a stand-in for a voice in tests. */
export function tone(options: { sampleRate: number; seconds: number; hz: number; amplitude: number }): Pcm {
  const { sampleRate, seconds, hz, amplitude } = options;
  const samples = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return { sampleRate, samples };
}

/** A synthetic recording as a WAV file: a quiet 440 Hz tone at 8 kHz mono, as a phone would send it. */
export const sampleRecording = (options: Partial<Parameters<typeof tone>[0]> = {}): Uint8Array =>
  writeWav(tone({ sampleRate: 8000, seconds: 1, hz: 440, amplitude: 0.05, ...options }));

/** The same tone as an MP3 (lamejs, pure JavaScript), as Africa's Talking's recordings come. */
export function sampleMp3(options: Partial<Parameters<typeof tone>[0]> = {}): Uint8Array {
  const pcm = tone({ sampleRate: 8000, seconds: 1, hz: 440, amplitude: 0.05, ...options });
  const encoder = new Mp3Encoder(1, pcm.sampleRate, 16);
  const parts = [encoder.encodeBuffer(Int16Array.from(pcm.samples, (s) => Math.round(s * 32767))), encoder.flush()];
  const mp3 = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    mp3.set(part, offset);
    offset += part.length;
  }
  return mp3;
}

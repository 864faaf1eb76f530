/**
 * Telephone audio in pure TypeScript: WAV read and written, resampled to 8 kHz mono and loudness-normalised, so a
 * recording sounds alike whoever made it (browser, Twilio, Africa's Talking) with no native encoder in the Lambda
 * bundle (docs/studio.md says why not ffmpeg). Reads PCM (8/16/24/32-bit integer, 32-bit float) and G.711 μ-law
 * and A-law, the formats the providers and browsers give; writes 16-bit PCM at 8 kHz mono.
 */

export const TELEPHONY_RATE = 8000;

export interface Pcm {
  sampleRate: number;
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
}

export class WavError extends Error {}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

function ascii(view: DataView, offset: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(view.getUint8(offset + i));
  return text;
}

function mulaw(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)) - 0x84;
  return (u & 0x80 ? -magnitude : magnitude) / 32768;
}

function alaw(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a & 0x70) >> 4;
  const mantissa = a & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return (a & 0x80 ? magnitude : -magnitude) / 32768;
}

/** A WAV file's audio, its channels mixed to mono. Throws WavError for anything that is not a WAV it can read. */
export function readWav(bytes: Uint8Array): Pcm & { format: 'pcm' | 'float' | 'mulaw' | 'alaw'; bitsPerSample: number; channels: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || ascii(view, 0, 4) !== 'RIFF' || ascii(view, 8, 4) !== 'WAVE') throw new WavError('not a WAV file');
  let offset = 12;
  let fmt: { format: number; channels: number; sampleRate: number; bitsPerSample: number } | undefined;
  let data: Uint8Array | undefined;
  while (offset + 8 <= bytes.byteLength) {
    const id = ascii(view, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ' && size >= 16) {
      let format = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (format === FORMAT_EXTENSIBLE && size >= 26) format = view.getUint16(body + 24, true);
      fmt = { format, channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), bitsPerSample: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      // Streamed WAVs (browsers, some providers) may give 0 or 0xFFFFFFFF: the data runs to the end.
      const end = size === 0 || size === 0xffffffff || body + size > bytes.byteLength ? bytes.byteLength : body + size;
      data = bytes.subarray(body, end);
      break;
    }
    offset = body + size + (size % 2);
  }
  if (!fmt) throw new WavError('no fmt chunk');
  if (!data) throw new WavError('no data chunk');
  const { format, channels, sampleRate, bitsPerSample } = fmt;
  if (channels < 1 || channels > 8) throw new WavError(`${channels} channels`);
  if (sampleRate < 4000 || sampleRate > 192_000) throw new WavError(`sample rate ${sampleRate}`);
  const kind =
    format === FORMAT_PCM && [8, 16, 24, 32].includes(bitsPerSample)
      ? 'pcm'
      : format === FORMAT_FLOAT && bitsPerSample === 32
        ? 'float'
        : format === FORMAT_MULAW && bitsPerSample === 8
          ? 'mulaw'
          : format === FORMAT_ALAW && bitsPerSample === 8
            ? 'alaw'
            : undefined;
  if (!kind) throw new WavError(`unsupported format ${format} at ${bitsPerSample} bits`);
  const width = bitsPerSample / 8;
  const frames = Math.floor(data.byteLength / (width * channels));
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const sample = (at: number): number => {
    switch (kind) {
      case 'mulaw':
        return mulaw(dv.getUint8(at));
      case 'alaw':
        return alaw(dv.getUint8(at));
      case 'float':
        return dv.getFloat32(at, true);
      case 'pcm':
        if (width === 1) return (dv.getUint8(at) - 128) / 128;
        if (width === 2) return dv.getInt16(at, true) / 32768;
        if (width === 3) return (((dv.getUint8(at + 2) << 24) | (dv.getUint8(at + 1) << 16) | (dv.getUint8(at) << 8)) >> 8) / 8388608;
        return dv.getInt32(at, true) / 2147483648;
    }
  };
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let ch = 0; ch < channels; ch++) sum += sample((i * channels + ch) * width);
    samples[i] = sum / channels;
  }
  return { sampleRate, samples, format: kind, bitsPerSample, channels };
}

/** 16-bit PCM mono WAV. */
export function writeWav({ sampleRate, samples }: Pcm): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const text = (at: number, value: string) => [...value].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_PCM, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, s)) * 32767), true));
  return bytes;
}

/**
 * Resampled to `rate`: each output sample is the average of the input over its span (a box low-pass, enough to keep
 * speech above 4 kHz from folding back as hiss when going down to 8 kHz), linear interpolation going up.
 */
export function resample({ sampleRate, samples }: Pcm, rate: number): Pcm {
  if (sampleRate === rate) return { sampleRate, samples };
  const ratio = sampleRate / rate;
  const out = new Float32Array(Math.floor(samples.length / ratio));
  for (let i = 0; i < out.length; i++) {
    const start = i * ratio;
    if (ratio > 1) {
      const from = Math.floor(start);
      const to = Math.min(samples.length, Math.max(from + 1, Math.floor(start + ratio)));
      let sum = 0;
      for (let j = from; j < to; j++) sum += samples[j]!;
      out[i] = sum / (to - from);
    } else {
      const j = Math.floor(start);
      const frac = start - j;
      out[i] = samples[j]! * (1 - frac) + (samples[Math.min(j + 1, samples.length - 1)] ?? 0) * frac;
    }
  }
  return { sampleRate: rate, samples: out };
}

/** Speech loudness on the line: RMS of the voiced part at -20 dBFS, peaks held under -1 dBFS. */
export const TARGET_RMS_DBFS = -20;
export const PEAK_CEILING_DBFS = -1;
/** Quieter than this (RMS of the whole file) is silence: nothing to make louder. */
const SILENCE_DBFS = -60;

const dbfs = (value: number) => 20 * Math.log10(Math.max(value, 1e-12));

export interface Loudness {
  rmsDbfs: number;
  peakDbfs: number;
}

/**
 * RMS over 20 ms frames louder than -50 dBFS (the pauses between words do not count, so a recording with long
 * silences is not pushed too loud), and the peak.
 */
export function loudness({ sampleRate, samples }: Pcm): Loudness {
  const frame = Math.max(1, Math.round(sampleRate / 50));
  let voicedSum = 0;
  let voicedCount = 0;
  let allSum = 0;
  let peak = 0;
  for (let start = 0; start < samples.length; start += frame) {
    let sum = 0;
    const end = Math.min(samples.length, start + frame);
    for (let i = start; i < end; i++) {
      const s = samples[i]!;
      sum += s * s;
      peak = Math.max(peak, Math.abs(s));
    }
    allSum += sum;
    if (dbfs(Math.sqrt(sum / (end - start))) > -50) {
      voicedSum += sum;
      voicedCount += end - start;
    }
  }
  const rms = voicedCount > 0 ? Math.sqrt(voicedSum / voicedCount) : Math.sqrt(allSum / Math.max(1, samples.length));
  return { rmsDbfs: dbfs(rms), peakDbfs: dbfs(peak) };
}

/** One gain that brings the speech to TARGET_RMS_DBFS without its peaks passing PEAK_CEILING_DBFS. */
export function normaliseLoudness(pcm: Pcm): Pcm {
  const { rmsDbfs, peakDbfs } = loudness(pcm);
  if (rmsDbfs < SILENCE_DBFS) return pcm;
  const gainDb = Math.min(TARGET_RMS_DBFS - rmsDbfs, PEAK_CEILING_DBFS - peakDbfs);
  const gain = 10 ** (gainDb / 20);
  return { sampleRate: pcm.sampleRate, samples: pcm.samples.map((s) => s * gain) };
}

export interface TelephonyAudio {
  wav: Uint8Array;
  durationSeconds: number;
  /** What was received, for the log and the catalogue. */
  received: { sampleRate: number; channels: number; format: string; bitsPerSample?: number };
}

/** Shorter than this is a slip of the finger, not a prompt. */
export const MIN_PROMPT_SECONDS = 0.3;

/** Decoded audio as the line plays it: 8 kHz, loudness-normalised, as 16-bit PCM WAV. */
export function telephonyFromPcm(pcm: Pcm, received: TelephonyAudio['received']): TelephonyAudio {
  const out = normaliseLoudness(resample(pcm, TELEPHONY_RATE));
  const durationSeconds = out.samples.length / TELEPHONY_RATE;
  if (durationSeconds < MIN_PROMPT_SECONDS) throw new WavError(`only ${durationSeconds.toFixed(2)} s of audio`);
  return { wav: writeWav(out), durationSeconds, received };
}

/**
 * A WAV recording as the line plays it: 8 kHz mono 16-bit PCM WAV, loudness-normalised. `requireTelephony`:
 * refuse anything not already 8 kHz mono (the browser resamples before it uploads; a provider's WAV is resampled
 * here).
 */
export function toTelephonyWav(bytes: Uint8Array, options: { requireTelephony?: boolean } = {}): TelephonyAudio {
  const input = readWav(bytes);
  if (options.requireTelephony && (input.sampleRate !== TELEPHONY_RATE || input.channels !== 1)) {
    throw new WavError(`expected ${TELEPHONY_RATE} Hz mono, got ${input.sampleRate} Hz with ${input.channels} channel(s)`);
  }
  return telephonyFromPcm(input, { sampleRate: input.sampleRate, channels: input.channels, format: input.format, bitsPerSample: input.bitsPerSample });
}

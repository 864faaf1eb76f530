// @ts-check
// The caller's message: recorded from the microphone or made up (a sample), and stored on the local server, which
// gives it the URL a provider would hand the hotline.

import { config } from './state.js';
import { secondsBetween } from './time.js';

/** The length of the sample recording. */
export const SAMPLE_SECONDS = 4;

export const canUseMicrophone = () => Boolean(navigator.mediaDevices?.getUserMedia) && typeof MediaRecorder !== 'undefined';

/**
 * Starts recording from a microphone stream; `onTimeUp` runs after `maxSeconds` unless it is stopped first.
 * @param {MediaStream} stream
 * @param {number} maxSeconds
 * @param {() => void} onTimeUp
 * @returns {import('./state.js').Microphone}
 */
export function startRecorder(stream, maxSeconds, onTimeUp) {
  const recorder = new MediaRecorder(stream);
  /** @type {Blob[]} */
  const chunks = [];
  recorder.addEventListener('dataavailable', (event) => chunks.push(event.data));
  recorder.start();
  return { recorder, stream, chunks, startedAt: Date.now(), timer: window.setTimeout(onTimeUp, maxSeconds * 1000) };
}

/**
 * Stops the microphone; resolves with the recording and its length.
 * @param {import('./state.js').Microphone} mic
 * @returns {Promise<{blob: Blob, seconds: number}>}
 */
export async function finishMicrophone(mic) {
  clearTimeout(mic.timer);
  /** @type {Blob} */
  const blob = await new Promise((resolve) => {
    mic.recorder.addEventListener('stop', () => resolve(new Blob(mic.chunks, { type: mic.recorder.mimeType || 'audio/webm' })), { once: true });
    mic.recorder.stop();
  });
  for (const track of mic.stream.getTracks()) track.stop();
  return { blob, seconds: secondsBetween(mic.startedAt) };
}

/** A few seconds of a voice-like hum (8 kHz WAV), for when there is no microphone (and for the browser tests). */
export function sampleRecording(seconds = SAMPLE_SECONDS) {
  const rate = 8000;
  const count = rate * seconds;
  const view = new DataView(new ArrayBuffer(44 + count * 2));
  /** @param {number} offset @param {string} text */
  const ascii = (offset, text) => [...text].forEach((ch, i) => view.setUint8(offset + i, ch.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + count * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, count * 2, true);
  let phaseAngle = 0;
  for (let i = 0; i < count; i++) {
    const t = i / rate;
    // Syllables: three a second, a pitch that wanders like speech.
    const syllable = Math.sin(Math.PI * ((t * 3) % 1)) ** 2;
    const edges = Math.min(1, t * 20, (seconds - t) * 20);
    phaseAngle += (2 * Math.PI * (160 + 50 * Math.sin(2 * Math.PI * 0.8 * t))) / rate;
    const sample = syllable * edges * (0.6 * Math.sin(phaseAngle) + 0.3 * Math.sin(2 * phaseAngle) + 0.1 * Math.sin(3 * phaseAngle));
    view.setInt16(44 + i * 2, Math.round(sample * 0.45 * 32767), true);
  }
  return new Blob([view.buffer], { type: 'audio/wav' });
}

/**
 * Stores the audio on the local server, where the hotline can keep its URL.
 * @param {Blob} blob
 * @returns {Promise<{url: string, path: string}>}
 */
export async function uploadRecording(blob) {
  if (blob.size > config.recordingMaxBytes) throw new Error(`the message is ${blob.size} bytes; the simulator keeps at most ${config.recordingMaxBytes}`);
  const type = (blob.type || 'audio/webm').split(';')[0] ?? '';
  const response = await fetch('/dev/sim/recordings', { method: 'POST', headers: { 'content-type': type }, body: blob });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * An audio player for a recording on this server.
 * @param {string} path
 * @param {string} label
 */
export function audioPlayer(path, label) {
  const audio = document.createElement('audio');
  audio.controls = true;
  audio.preload = 'none';
  audio.src = path;
  audio.setAttribute('aria-label', label);
  return audio;
}

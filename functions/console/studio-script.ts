/**
 * The prompt studio's one script, served from /console/assets/studio.js (the only script in the console; the CSP
 * allows scripts from the console's own origin only). It records with MediaRecorder, decodes the take with Web Audio
 * and renders it through an OfflineAudioContext at 8 kHz with one channel (the browser's own resampler and
 * down-mix), encodes 16-bit PCM WAV and uploads it with the form's CSRF token. The server checks that the WAV is
 * 8 kHz mono and normalises its loudness (shared/audio/wav.ts); docs/studio.md says why the work is split so.
 */
export const STUDIO_JS = String.raw`
'use strict';
(function () {
  var RATE = 8000;

  function wav(samples) {
    var buffer = new ArrayBuffer(44 + samples.length * 2);
    var view = new DataView(buffer);
    function text(at, value) { for (var i = 0; i < value.length; i++) view.setUint8(at + i, value.charCodeAt(i)); }
    text(0, 'RIFF'); view.setUint32(4, 36 + samples.length * 2, true); text(8, 'WAVE'); text(12, 'fmt ');
    view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, RATE, true); view.setUint32(28, RATE * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
    text(36, 'data'); view.setUint32(40, samples.length * 2, true);
    for (var i = 0; i < samples.length; i++) {
      var s = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, Math.round(s * 32767), true);
    }
    return new Blob([buffer], { type: 'audio/wav' });
  }

  /** The recorded blob (webm/opus or ogg) as 8 kHz mono samples. */
  function toTelephone(blob) {
    return blob.arrayBuffer().then(function (bytes) {
      var context = new AudioContext();
      return context.decodeAudioData(bytes).then(function (decoded) {
        context.close();
        var offline = new OfflineAudioContext(1, Math.max(1, Math.ceil(decoded.duration * RATE)), RATE);
        var source = offline.createBufferSource();
        source.buffer = decoded;
        source.connect(offline.destination);
        source.start();
        return offline.startRendering();
      });
    }).then(function (rendered) { return rendered.getChannelData(0); });
  }

  function setUp(box) {
    var record = box.querySelector('.record');
    var stop = box.querySelector('.stop');
    var save = box.querySelector('.save');
    var preview = box.querySelector('audio');
    var state = box.querySelector('.state');
    var recorder = null;
    var take = null;
    box.hidden = false;
    record.addEventListener('click', function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (event) { if (event.data.size > 0) chunks.push(event.data); };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          toTelephone(new Blob(chunks, { type: recorder.mimeType })).then(function (samples) {
            take = wav(samples);
            preview.src = URL.createObjectURL(take);
            preview.hidden = false;
            save.hidden = false;
            state.textContent = '';
          });
        };
        recorder.start();
        record.hidden = true;
        stop.hidden = false;
        state.textContent = box.dataset.recording;
      }, function () { state.textContent = box.dataset.noMicrophone; });
    });
    stop.addEventListener('click', function () {
      if (recorder && recorder.state !== 'inactive') recorder.stop();
      stop.hidden = true;
      record.hidden = false;
    });
    save.addEventListener('click', function () {
      if (!take) return;
      var form = new FormData();
      form.append('_csrf', box.dataset.csrf);
      form.append('audio', new File([take], 'take.wav', { type: 'audio/wav' }));
      state.textContent = box.dataset.saving;
      save.disabled = true;
      fetch(box.dataset.upload, { method: 'POST', body: form, credentials: 'same-origin' })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          save.disabled = false;
          if (answer.ok) {
            state.textContent = box.dataset.saved;
            box.closest('tr').querySelector('.status').textContent = answer.statusText;
            save.hidden = true;
          } else {
            state.textContent = box.dataset.failed.replace('{problem}', answer.problem);
          }
        }, function () { save.disabled = false; state.textContent = box.dataset.failed.replace('{problem}', 'network'); });
    });
  }

  if (!window.MediaRecorder || !window.OfflineAudioContext) return;
  document.querySelectorAll('.recorder').forEach(setUp);
  document.querySelectorAll('.needs-script').forEach(function (note) { note.hidden = true; });
})();
`;

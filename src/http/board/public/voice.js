// The board's voice: each call is announced once, in order, one at a time (a queue; never two
// voices over each other). The browser's own speech (Web Speech API) speaks when it has a voice
// for the language; otherwise recorded clips (made once with espeak-ng, see README) are chained:
// "nomor antrean" + letter + each digit + "silakan ke loket" + the counter number.

/** Longest wait for one utterance's end: some TV browsers never fire `end`. */
const SPEECH_TIMEOUT_MS = 15000;
const CLIP_TIMEOUT_MS = 5000;

const fill = (text, params) => text.replace(/\{\{(\w+)\}\}/g, (_m, key) => String(params[key] ?? ''));

/** Indonesian counter numbers from digit clips and "sepuluh", "sebelas", "belas", "puluh" (1..99). */
function numberClips(n) {
  if (!Number.isInteger(n) || n < 0) return [];
  if (n < 10) return ['d' + n];
  if (n === 10) return ['n10'];
  if (n === 11) return ['n11'];
  if (n < 20) return ['d' + (n - 10), 'teen'];
  if (n < 100) return ['d' + Math.floor(n / 10), 'tens', ...(n % 10 ? ['d' + (n % 10)] : [])];
  return String(n).split('').map((d) => 'd' + d);
}

/** "A-001" -> clip keys: the letter, then each digit (the dash is not said). */
function ticketClips(number) {
  return number
    .toLowerCase()
    .split('')
    .flatMap((ch) => (/[0-9]/.test(ch) ? ['d' + ch] : /[a-z]/.test(ch) ? ['letter-' + ch] : []));
}

/**
 * @param {{ lang: string, words: Record<string, Record<string, string>>, clipBase: string, onBlocked: () => void, chime?: () => Promise<void> }} opts
 * `words` are the `voice` texts per language (id always; the board's own language when other);
 * `chime` plays once before the first call of a burst, not before each one.
 */
export function createAnnouncer({ lang, words, clipBase, onBlocked, chime }) {
  const queue = [];
  let busy = false;
  let manifest;
  const clips = new Map();

  /** A Web Speech voice for `code` ("id" matches id-ID and id_ID), if the browser has one. */
  function voiceFor(code) {
    const synth = window.speechSynthesis;
    if (!synth || typeof window.SpeechSynthesisUtterance !== 'function') return undefined;
    const voices = synth.getVoices() || [];
    return voices.find((v) => (v.lang || '').toLowerCase().replace('_', '-').split('-')[0] === code);
  }

  /** The sentence for a call in one language: letters spelled, digits one by one; `brief` without "Nomor antrean". */
  function sentence(call, code, brief) {
    const w = words[code];
    const digits = w.digits.split(/\s+/);
    const letters = w.letters.split(/\s+/);
    const said = call.number
      .toLowerCase()
      .split('')
      .flatMap((ch) => (/[0-9]/.test(ch) ? [digits[Number(ch)]] : /[a-z]/.test(ch) ? [letters[ch.charCodeAt(0) - 97] ?? ch] : []))
      .join(' ');
    // Indonesian counter numbers in words ("dua puluh tiga"), the same as the clips; others as figures.
    const spokenNo = code === 'id' ? numberClips(call.counterNo).map((k) => (k[0] === 'd' ? digits[Number(k.slice(1))] : w[{ n10: 'ten', n11: 'eleven', teen: 'teen', tens: 'tens' }[k]])).join(' ') : String(call.counterNo);
    const where = call.counterNo !== undefined ? `${w.go} ${spokenNo}` : `${w.go_named} ${call.counterName}`;
    return fill(brief ? '{{number}}, {{where}}' : '{{intro}} {{number}}, {{where}}', { intro: w.intro, number: said, where });
  }

  function speak(text, voice) {
    return new Promise((resolve) => {
      const utterance = new window.SpeechSynthesisUtterance(text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.rate = 0.9;
      const timer = setTimeout(done, SPEECH_TIMEOUT_MS);
      function done() {
        window.clearTimeout(timer);
        resolve();
      }
      utterance.onend = done;
      utterance.onerror = (e) => {
        // Chromium refuses speech before a tap unless started with the kiosk flags (README).
        if (e && e.error === 'not-allowed') onBlocked();
        done();
      };
      window.speechSynthesis.speak(utterance);
    });
  }

  async function loadManifest() {
    if (manifest !== undefined) return manifest;
    try {
      const res = await fetch(clipBase + 'clips.json');
      manifest = res.ok ? (await res.json()).clips : {};
    } catch {
      manifest = {};
    }
    return manifest;
  }

  function playClip(file) {
    return new Promise((resolve) => {
      let audio = clips.get(file);
      if (!audio) clips.set(file, (audio = new window.Audio(clipBase + file)));
      const timer = setTimeout(done, CLIP_TIMEOUT_MS);
      function done() {
        window.clearTimeout(timer);
        audio.removeEventListener('ended', done);
        audio.removeEventListener('error', done);
        resolve();
      }
      audio.addEventListener('ended', done);
      audio.addEventListener('error', done);
      audio.currentTime = 0;
      const playing = audio.play();
      if (playing && typeof playing.catch === 'function') {
        playing.catch((err) => {
          if (err && err.name === 'NotAllowedError') onBlocked();
          done();
        });
      }
    });
  }

  async function playClips(call, brief) {
    const files = await loadManifest();
    const keys = [...(brief ? [] : ['intro']), ...ticketClips(call.number), 'go', ...(call.counterNo !== undefined ? numberClips(call.counterNo) : [])];
    for (const key of keys) if (files[key]) await playClip(files[key]);
  }

  /** The board's language first, then Indonesian; clips when the browser has neither voice. */
  async function say(call, brief) {
    for (const code of [lang, 'id']) {
      const voice = words[code] && voiceFor(code);
      if (voice) return speak(sentence(call, code, brief), voice);
    }
    return playClips(call, brief);
  }

  async function drain() {
    busy = true;
    if (chime) await chime().catch(() => undefined);
    while (queue.length > 0) {
      const call = queue.shift();
      // A rush: with two or more calls still waiting, "Nomor antrean" is left out (about a third
      // shorter), so the voice catches up sooner; every call is still said, in order.
      const brief = queue.length >= 2;
      try {
        await say(call, brief);
      } catch {
        // One broken announcement must not silence the next ones.
      }
    }
    busy = false;
  }

  // Some browsers load their voice list late; asking early makes it ready by the first call.
  if (window.speechSynthesis && typeof window.speechSynthesis.getVoices === 'function') window.speechSynthesis.getVoices();

  return {
    /** Queues a call; it is said after every call queued before it. */
    announce(call) {
      queue.push(call);
      if (!busy) void drain();
    },
    get pending() {
      return queue.length + (busy ? 1 : 0);
    },
  };
}

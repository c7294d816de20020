// The display board: renders the snapshot the page was served with, then follows /board/events.
// Everything is set with textContent: names come from content files, never as markup.
const data = JSON.parse(document.getElementById('board-data').textContent);
const texts = data.texts;
const lang = data.lang;
const tag = lang === 'en' ? 'en-GB' : 'id-ID';
let timeZone = data.state.timeZone;
const FLASH_MS = 6000;

const fill = (text, params) => text.replace(/\{\{(\w+)\}\}/g, (_m, key) => String(params[key] ?? ''));

function el(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render(state) {
  timeZone = state.timeZone;
  const [first, ...rest] = state.calling;
  const latest = document.getElementById('latest');
  latest.replaceChildren();
  if (first) {
    latest.dataset.counter = first.counter;
    latest.append(el('span', 'latest-number', first.number), el('span', 'latest-counter', first.counterName));
  } else {
    delete latest.dataset.counter;
    latest.append(el('span', 'latest-empty', texts.no_calls));
  }
  const calls = document.getElementById('calls');
  calls.replaceChildren(
    ...rest.slice(0, 8).map((c) => {
      const li = el('li', 'call' + (c.status === 'serving' ? ' serving' : ''));
      li.dataset.counter = c.counter;
      li.append(el('span', 'call-number', c.number), el('span', 'call-counter', c.counterName));
      return li;
    }),
  );
  const groups = document.getElementById('groups');
  groups.replaceChildren(
    ...state.groups.map((g) => {
      const li = el('li', 'group' + (g.waiting === 0 ? ' idle' : ''));
      const head = el('div', 'group-head');
      head.append(el('span', 'prefix', g.prefix), el('span', 'group-name', g.name), el('span', 'waiting', g.waiting === 0 ? texts.none_waiting : fill(texts.waiting, { count: g.waiting })));
      const next = el('div', 'group-next');
      next.append(...g.next.map((n) => el('span', 'chip', n)));
      li.append(head, next);
      return li;
    }),
  );
}

function tick() {
  const now = new Date();
  document.getElementById('clock-time').textContent = new Intl.DateTimeFormat(tag, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  document.getElementById('clock-date').textContent = new Intl.DateTimeFormat(tag, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(now);
}

// A two-tone chime made here: no audio file, nothing fetched from outside.
let audio;
function setUpAudio() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  audio = new Ctx();
  const button = document.getElementById('sound');
  const unlock = () => {
    void audio.resume().then(() => {
      button.hidden = true;
    });
  };
  // Browsers start audio suspended until someone touches the page (a TV kiosk can allow autoplay).
  if (audio.state === 'suspended') button.hidden = false;
  button.addEventListener('click', unlock);
  document.addEventListener('click', unlock);
}

function chime() {
  if (!audio || audio.state !== 'running') return;
  const start = audio.currentTime;
  [784, 659].forEach((freq, i) => {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    const at = start + i * 0.45;
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.5, at + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.1);
    osc.connect(gain).connect(audio.destination);
    osc.start(at);
    osc.stop(at + 1.2);
  });
}

const pending = [];
let flashing = false;
function flash(call) {
  pending.push(call);
  if (!flashing) showNext();
}
function showNext() {
  const call = pending.shift();
  const overlay = document.getElementById('flash');
  if (!call) {
    flashing = false;
    overlay.hidden = true;
    return;
  }
  flashing = true;
  document.getElementById('flash-number').textContent = call.number;
  document.getElementById('flash-counter').textContent = call.counterName;
  overlay.hidden = false;
  chime();
  setTimeout(showNext, FLASH_MS);
}

function connect() {
  const status = document.getElementById('status');
  const events = new EventSource('/board/events?lang=' + encodeURIComponent(lang));
  events.addEventListener('snapshot', (e) => {
    status.textContent = '';
    render(JSON.parse(e.data));
  });
  events.addEventListener('called', (e) => flash(JSON.parse(e.data)));
  // EventSource reconnects by itself; say so meanwhile.
  events.addEventListener('error', () => {
    status.textContent = texts.offline;
  });
}

render(data.state);
tick();
window.setInterval(tick, 1000);
setUpAudio();
connect();

// The display board: renders the snapshot the page was served with, then follows /board/events.
// Everything is set with textContent: names come from content files, never as markup.
import { createAnnouncer } from './voice.js';

const data = JSON.parse(document.getElementById('board-data').textContent);
const texts = data.texts;
const lang = data.lang;
const tag = lang === 'en' ? 'en-GB' : 'id-ID';
let timeZone = data.state.timeZone;

/** How long one call stays on the highlight card, and how many calls the card holds at once. */
const CARD_MS = 2500;
const CARD_MAX = 4;
const GROUP_PAGE_MS = 8000;
/** Running text speed: 12% of the screen height a second (130 px/s at 1080p), like a news ticker. */
const TICKER_VH_PER_S = 12;

const fill = (text, params) => text.replace(/\{\{(\w+)\}\}/g, (_m, key) => String(params[key] ?? ''));
const vh = () => window.innerHeight / 100;

function el(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function hhmm(at) {
  return new Intl.DateTimeFormat(tag, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
}

let state = data.state;

// ---- Calls: every active call in one grid, sized to fit (never behind the running text).

const measure = document.createElement('canvas').getContext('2d');
/** Width of `text` in em at the call number's weight, measured in the board's own font. */
function emWidth(text, weight = 800) {
  const family = window.getComputedStyle(document.body).fontFamily;
  measure.font = `${weight} 100px ${family}`;
  return measure.measureText(text).width / 100;
}

/**
 * Picks columns, orientation (number above or beside the counter) and sizes so that every cell fits:
 * the number on one line as large as possible, the counter name at the readable size (48 px at
 * 1080p) unless the hall has so many calls that only smaller text fits.
 */
function layoutCalls(list, cells) {
  const n = cells.length;
  if (n === 0) return;
  const box = list.getBoundingClientRect();
  const gap = 1.2 * vh();
  const padV = 1.6 * vh() + 2;
  const padH = 2 * (window.innerWidth / 100) + 0.8 * vh();
  const numEm = Math.max(...cells.map((c) => emWidth(c.number || 'A-000'))) * 1.04;
  // The least of a counter's name that must show: "Loket 17" (its number), else about 9 characters.
  const whereEm = Math.max(...cells.map((c) => (c.counterNo !== undefined ? emWidth(fill(texts.counter_short, { no: c.counterNo }), 600) * 1.04 : 5)));
  const maxNum = 17 * vh();
  let best;
  for (const nameScale of [1, 0.85, 0.7, 0.55]) {
    const name = 4.45 * vh() * nameScale;
    for (let cols = 1; cols <= Math.min(n, 6); cols++) {
      const rows = Math.ceil(n / cols);
      const w = (box.width - (cols - 1) * gap) / cols;
      const h = (box.height - (rows - 1) * gap) / rows;
      const stacked = w - padH < name * whereEm ? 0 : Math.min((h - padV - name * 1.2) / 1.08, (w - padH) / numEm, maxNum);
      // Beside: the number takes what the name (about 9 characters, at least "Loket 17") leaves.
      const beside = Math.min((h - padV) / 1.08, (w - padH - 1.2 * (window.innerWidth / 100) - name * Math.max(5, whereEm)) / numEm, maxNum);
      for (const [row, num] of [[false, stacked], [true, beside]]) {
        // A readable number is worth more than a larger one beyond twice the name's size.
        const score = Math.min(num, name * 2.4) + (num > name * 2.4 ? (num - name * 2.4) * 0.2 : 0);
        if (num > 0 && (!best || score > best.score + 0.5)) best = { cols, row, num, name, score };
      }
    }
    if (best && best.num >= best.name * 1.2) break;
  }
  if (!best) best = { cols: Math.min(n, 6), row: true, num: 2 * vh(), name: 2 * vh() };
  const rows = Math.ceil(n / best.cols);
  list.style.setProperty('--cols', String(best.cols));
  list.style.setProperty('--num', `${Math.floor(best.num)}px`);
  list.style.setProperty('--name', `${Math.floor(best.name)}px`);
  list.classList.toggle('row', best.row);
  // Few calls: cells keep their natural height at the top instead of stretching over the panel.
  const natural = best.num * 1.08 + (best.row ? 0 : best.name * 1.2) + padV;
  list.classList.toggle('few', rows * natural * 1.6 < box.height);
}

/** Counters on a break or closed; a counter without a status is open. */
function pausedCounters() {
  return (state.counters || []).filter((c) => c.status === 'break' || c.status === 'closed');
}

function renderCalls() {
  const statusText = (s) => (s === 'break' ? texts.status_break : s === 'closed' ? texts.status_closed : '');
  const paused = pausedCounters();
  const cells = state.calling.map((c) => {
    const counterStatus = c.counterStatus || paused.find((p) => p.counter === c.counter)?.status || 'open';
    return { ...c, counterStatus, off: counterStatus !== 'open' };
  });
  // Counters on a break or closed with no call: a strip under the grid (and the running text).
  const idleOff = paused.filter((c) => !state.calling.some((k) => k.counter === c.counter));
  const offs = document.getElementById('offs');
  offs.replaceChildren(
    ...idleOff.map((c) => {
      const li = el('li', 'off-counter');
      li.dataset.counter = c.counter;
      li.append(el('span', 'call-counter', c.counterName), el('span', 'call-state', statusText(c.status)));
      return li;
    }),
  );
  offs.hidden = idleOff.length === 0;
  const list = document.getElementById('calls');
  const latest = cells.find((c) => !c.off);
  list.replaceChildren(
    ...cells.map((c) => {
      const li = el('li', 'call' + (c === latest ? ' latest' : '') + (c.status === 'serving' ? ' serving' : '') + (c.off ? ' off' : ''));
      li.dataset.counter = c.counter;
      const where = el('span', 'call-where');
      where.append(el('span', 'call-counter', c.counterName));
      if (c.off) where.append(el('span', 'call-state', statusText(c.counterStatus)));
      li.append(el('span', 'call-number', c.number), where);
      return li;
    }),
  );
  const empty = document.getElementById('no-calls');
  empty.textContent = texts.no_calls;
  empty.hidden = cells.length > 0;
  list.hidden = cells.length === 0;
  layoutCalls(list, cells);
  // A name cut short ("Loket …") would hide the counter's number, the one thing the citizen needs:
  // such a cell says only "Loket 17".
  list.querySelectorAll('.call').forEach((li, i) => {
    const name = li.querySelector('.call-counter');
    const no = cells[i].counterNo;
    if (no !== undefined && name.scrollWidth > name.clientWidth + 1) name.textContent = fill(texts.counter_short, { no });
  });
}

// ---- Next in line: groups with someone waiting, a page at a time when they do not all fit.

let groupPage = 0;
function renderGroups() {
  const list = document.getElementById('groups');
  const pageLabel = document.getElementById('groups-page');
  const active = state.groups.filter((g) => g.waiting > 0);
  const items = active.map((g) => {
    const li = el('li', 'group');
    li.dataset.group = g.id;
    const head = el('div', 'group-head');
    head.append(el('span', 'prefix', g.prefix), el('span', 'group-name', g.name));
    const line = el('div', 'group-line');
    const next = el('div', 'group-next');
    next.append(...g.next.map((n) => el('span', 'chip', n)));
    line.append(next, el('span', 'waiting', fill(texts.waiting, { count: g.waiting })));
    li.append(head, line);
    return li;
  });
  if (items.length === 0) {
    list.replaceChildren(el('li', 'group idle-all', texts.none_waiting));
    pageLabel.textContent = '';
    return;
  }
  list.replaceChildren(...items);
  // How many whole groups fit: measured on the first one, all are the same height.
  const gap = parseFloat(window.getComputedStyle(list).rowGap) || 0;
  const per = Math.max(1, Math.floor((list.clientHeight + gap) / (items[0].offsetHeight + gap)));
  const pages = Math.ceil(items.length / per);
  groupPage %= pages;
  items.forEach((li, i) => {
    li.hidden = Math.floor(i / per) !== groupPage;
  });
  pageLabel.textContent = pages > 1 ? fill(texts.more_groups, { page: groupPage + 1, pages }) : '';
}

// ---- Running text: incidents, counters on a break or closed, then the standing footer text.

const ticker = document.getElementById('ticker');
let tickerKey = '';
let tickerAnimation;
function renderTicker() {
  const items = [
    ...(state.incidents || []).map((i) => ['incident', '⚠ ' + fill(texts.ticker_incident, { where: i.where, kind: (data.kinds && data.kinds[i.kind]) || i.kind, message: i.message }).trim()]),
    ...pausedCounters().map((c) =>
      c.status === 'closed' ? ['counter', fill(texts.ticker_closed, { counter: c.counterName })] : ['counter', c.statusSince ? fill(texts.ticker_break, { counter: c.counterName, time: hhmm(c.statusSince) }) : fill(texts.ticker_break_no_time, { counter: c.counterName })],
    ),
    ['info', ticker.dataset.footer],
  ];
  const key = JSON.stringify(items);
  if (key === tickerKey) return;
  tickerKey = key;
  const spans = () => items.map(([kind, text]) => el('span', 'tick ' + kind, text));
  ticker.replaceChildren(...spans());
  tickerAnimation?.cancel();
  const box = ticker.parentElement.clientWidth;
  const width = ticker.scrollWidth;
  if (width <= box || window.matchMedia('(prefers-reduced-motion: reduce)').matches) return;
  // The items twice in a row, moved by one length: the loop has no seam and starts in view.
  ticker.append(...spans());
  tickerAnimation = ticker.animate([{ transform: 'translateX(0)' }, { transform: `translateX(${-width}px)` }], { duration: (width / (TICKER_VH_PER_S * vh())) * 1000, iterations: Infinity });
}

function render(next) {
  state = next;
  timeZone = state.timeZone;
  renderCalls();
  renderGroups();
  renderTicker();
}

function tick() {
  const now = new Date();
  document.getElementById('clock-time').textContent = hhmm(now.getTime());
  document.getElementById('clock-date').textContent = new Intl.DateTimeFormat(tag, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(now);
}

// ---- Sound: a chime before a burst of calls, then the voice (voice.js).

let audio;
const soundButton = document.getElementById('sound');
function askForTap() {
  soundButton.hidden = false;
}
function setUpAudio() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (Ctx) audio = new Ctx();
  // Browsers start audio suspended until someone touches the page; a TV in kiosk mode allows
  // autoplay with the flags in the README, and then this button never shows.
  if (audio && audio.state === 'suspended') askForTap();
  const unlock = () => {
    void audio?.resume();
    soundButton.hidden = true;
  };
  soundButton.addEventListener('click', unlock);
  document.addEventListener('click', unlock);
}

/** A two-tone chime made here: no audio file, nothing fetched from outside. */
function chime() {
  if (!audio || audio.state !== 'running') return Promise.resolve();
  const start = audio.currentTime;
  [784, 659].forEach((freq, i) => {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    const at = start + i * 0.4;
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.5, at + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.9);
    osc.connect(gain).connect(audio.destination);
    osc.start(at);
    osc.stop(at + 1);
  });
  return new Promise((resolve) => setTimeout(resolve, 1100));
}

const announcer = createAnnouncer({ lang, words: data.voice, clipBase: '/board/assets/voice/', onBlocked: askForTap, chime });

// ---- Highlight card: new calls for 2.5 s each, several at once in a burst, queued beyond that.

const cardQueue = [];
let cardItems = [];
let cardTimer;
function pumpCard() {
  window.clearTimeout(cardTimer);
  const now = Date.now();
  cardItems = cardItems.filter((item) => item.until > now);
  while (cardItems.length < CARD_MAX && cardQueue.length > 0) cardItems.unshift({ call: cardQueue.shift(), until: now + CARD_MS });
  const flash = document.getElementById('flash');
  const list = document.getElementById('flash-calls');
  list.replaceChildren(
    ...cardItems.map(({ call }) => {
      const li = el('li', 'flash-call');
      if (call.recall) li.append(el('span', 'flash-recall', texts.recall));
      li.append(el('span', 'flash-number', call.number), el('span', 'flash-counter', call.counterName));
      return li;
    }),
  );
  flash.hidden = cardItems.length === 0;
  if (cardItems.length > 0) sizeCard(list);
  if (cardItems.length > 0) cardTimer = setTimeout(pumpCard, Math.min(...cardItems.map((i) => i.until)) - now + 10);
}

/** The card's numbers as large as its height shared by the calls on it and its width allow, on one line. */
function sizeCard(list) {
  const n = cardItems.length;
  const box = list.getBoundingClientRect();
  const name = (n === 1 ? 6 : 4.45) * vh();
  const recall = cardItems.some((i) => i.call.recall) ? 4.45 * vh() * 1.15 : 0;
  const em = Math.max(...cardItems.map((i) => emWidth(i.call.number, 900))) * 1.04;
  const perItem = (box.height - (n - 1) * 2 * vh()) / n;
  const num = Math.max(2 * vh(), Math.min(24 * vh(), box.width / em, perItem - name * 1.15 - recall));
  list.style.setProperty('--num', `${Math.floor(num)}px`);
  list.style.setProperty('--name', `${Math.floor(name)}px`);
}

// ---- Calls arriving: each announced once, in order; a recall is a new announcement.

const seen = new Set();
let lastCallAt = Math.max(0, ...state.calling.map((c) => c.calledAt));
function onCall(call) {
  const key = `${call.number}|${call.counter}|${call.calledAt}|${call.recall ? 'r' : 'c'}`;
  if (seen.has(key)) return;
  seen.add(key);
  // A TV runs for days: remember the recent calls only (a Set iterates oldest first).
  if (seen.size > 1000) seen.delete(seen.values().next().value);
  lastCallAt = Math.max(lastCallAt, call.calledAt || 0);
  cardQueue.push(call);
  pumpCard();
  announcer.announce(call);
}

/** Calls made while the stream was down reach the screen in the next snapshot: announce them too. */
function catchUp(next) {
  const missed = next.calling.filter((c) => c.status === 'called' && c.calledAt > lastCallAt).sort((a, b) => a.calledAt - b.calledAt);
  for (const c of missed) onCall({ number: c.number, counter: c.counter, counterName: c.counterName, counterNo: c.counterNo, calledAt: c.calledAt, recall: false });
}

function connect() {
  const status = document.getElementById('status');
  const events = new EventSource('/board/events?lang=' + encodeURIComponent(lang) + (data.site ? '&site=' + encodeURIComponent(data.site) : ''));
  events.addEventListener('snapshot', (e) => {
    status.textContent = '';
    const next = JSON.parse(e.data);
    catchUp(next);
    render(next);
  });
  events.addEventListener('called', (e) => onCall(JSON.parse(e.data)));
  // EventSource reconnects by itself; say so meanwhile.
  events.addEventListener('error', () => {
    status.textContent = texts.offline;
  });
}

render(state);
tick();
window.setInterval(tick, 1000);
window.setInterval(() => {
  groupPage++;
  renderGroups();
}, GROUP_PAGE_MS);
window.addEventListener('resize', () => {
  tickerKey = '';
  render(state);
});
setUpAudio();
connect();

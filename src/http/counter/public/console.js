// The counter console: shows the counter's state from its JSON API and sends the officer's actions.
// Everything is set with textContent: a citizen's question is shown as text, never as markup.
const data = JSON.parse(document.getElementById('console-data').textContent);
const { texts, counter, csrf, lang } = data;
const base = '/counter/api/' + encodeURIComponent(counter.id);
// A counter belongs to a site: every call names it (none for the main site), so loket-1 here is never another site's loket-1.
const siteParam = counter.site ? 'site=' + encodeURIComponent(counter.site) : '';
const query = '?lang=' + encodeURIComponent(lang) + (siteParam ? '&' + siteParam : '');
const $ = (id) => document.getElementById(id);
let state = null;
let busy = false;
/** Server clock minus this browser's clock, so timers count from the server's call time. */
let clockSkew = 0;
/** The ticket just finished here, while "Selesai" can still be undone: { id, number, until }. */
let undoable = null;

const fill = (text, params) => String(text ?? '').replace(/\{\{(\w+)\}\}/g, (_m, key) => String(params[key] ?? ''));

function el(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

class ApiError extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method === 'POST') Object.assign(headers, { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf });
  let res;
  try {
    res = await fetch(base + path + query, { method, headers, credentials: 'same-origin', ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}) });
  } catch {
    throw new ApiError('offline');
  }
  if (res.status === 401) {
    window.location.assign('/login?next=' + encodeURIComponent(window.location.pathname + window.location.search));
    throw new ApiError('unauthorized');
  }
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(json.error?.code ?? 'internal');
  return json;
}

// The toast floats over the page (it never pushes the buttons down); with an undo it counts down.
let toastTimer;
let undoTicker;
function toast(text, kind, withUndo) {
  const node = $('toast');
  $('toast-text').textContent = text;
  node.className = 'toast ' + (kind ?? 'info');
  node.hidden = false;
  const undo = $('toast-undo');
  undo.hidden = !withUndo;
  window.clearTimeout(toastTimer);
  window.clearInterval(undoTicker);
  const hide = () => {
    node.hidden = true;
    window.clearInterval(undoTicker);
  };
  if (withUndo && undoable) {
    const tick = () => {
      const left = Math.ceil((undoable.until - Date.now()) / 1000);
      if (left <= 0) {
        undoable = null;
        hide();
        return;
      }
      undo.textContent = fill(texts.undo_seconds, { seconds: left });
    };
    tick();
    undoTicker = window.setInterval(tick, 250);
  } else {
    toastTimer = setTimeout(hide, 6000);
  }
}

function errorText(code) {
  if (code === 'offline') return texts.offline;
  return texts.errors[code] ?? texts.errors.internal;
}

const pad = (n) => String(n).padStart(2, '0');
function elapsed(fromMs) {
  const seconds = Math.max(0, Math.floor((Date.now() + clockSkew - fromMs) / 1000));
  const h = Math.floor(seconds / 3600);
  return (h > 0 ? h + ':' + pad(Math.floor(seconds / 60) % 60) : Math.floor(seconds / 60)) + ':' + pad(seconds % 60);
}
const clockTime = (ms) => new Date(ms).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'id-ID', { hour: '2-digit', minute: '2-digit', timeZone: data.timeZone });

const CHECK_ICON = { ready: '✓', missing: '✗', unconfirmed: '?' };

function renderTicket(current) {
  const box = $('ticket');
  box.replaceChildren();
  box.classList.toggle('empty', !current);
  $('note').hidden = !current;
  if (!current) {
    box.append(el('p', 'idle', texts.idle));
    return;
  }
  const head = el('div', 'ticket-head');
  head.append(el('span', 'ticket-number', current.number));
  const badges = el('div', 'badges');
  badges.append(el('span', 'badge status-' + current.status, current.status === 'serving' ? texts.status_serving : texts.status_called));
  if (current.priority) badges.append(el('span', 'badge priority', texts.priority));
  if (current.calledAt) badges.append(el('span', 'badge timer', fill(texts.timer, { time: elapsed(current.calledAt) })));
  head.append(badges);
  const meta = el('p', 'ticket-meta');
  meta.append(el('strong', 'service', current.serviceName));
  const facts = [fill(texts.waited, { minutes: current.waitedMinutes })];
  if (current.recalls > 0) facts.push(fill(texts.recalls, { count: current.recalls }));
  if (current.transferredFrom) facts.push(fill(texts.transferred_from, { service: current.transferredFrom }));
  meta.append(el('span', 'facts', facts.join(' · ')));
  if (current.callReason) meta.append(el('span', 'reason', fill(texts.call_reason_line, { reason: current.callReason })));
  box.append(head, meta);

  if (current.visit) {
    const v = current.visit;
    const visit = el('p', 'visit');
    visit.append(el('strong', '', fill(texts.visit_step, { step: v.step, of: v.of })));
    const next = v.next ? fill(texts.visit_next, { service: data.serviceNames[v.next.serviceId] ?? v.next.serviceId, counters: (v.next.counters ?? []).join(', ') }) : texts.visit_last;
    visit.append(document.createTextNode(' · ' + next + (v.next?.number ? ' (' + v.next.number + ')' : '')));
    box.append(visit);
  }

  const checklist = el('div', 'checklist');
  checklist.append(el('h3', '', current.checklistService && current.checklistService !== current.serviceName ? fill(texts.checklist_heading_for, { service: current.checklistService }) : texts.checklist_heading));
  if (current.checklist) {
    const list = el('ul');
    for (const item of current.checklist) {
      const li = el('li', 'check ' + item.state);
      li.append(el('span', 'check-icon', CHECK_ICON[item.state]), el('span', 'check-text', item.text), el('span', 'check-state', texts['check_' + item.state]));
      list.append(li);
    }
    checklist.append(list);
  } else {
    checklist.append(el('p', 'muted', texts.no_checklist));
  }

  const question = el('div', 'question');
  question.append(el('h3', '', texts.question_heading));
  question.append(current.question ? el('blockquote', '', current.question) : el('p', 'muted', texts.no_question));
  box.append(checklist, question);
}

let noteFor = null;
/** The outcome or note was changed and not saved yet: "Selesai" saves it first. */
let noteDirty = false;
function renderNote(current) {
  // Filled once per ticket, so a refresh never overwrites what the officer is typing.
  if (!current || noteFor === current.id) return;
  noteFor = current.id;
  noteDirty = false;
  $('note-outcome').value = current.outcome ?? '';
  $('note-text').value = current.note ?? '';
}
for (const id of ['note-outcome', 'note-text']) $(id).addEventListener('input', () => (noteDirty = true));
const noteBody = () => ({ outcome: $('note-outcome').value, note: $('note-text').value });

/** A colour class per service of the counter, in the counter's own order (stable across refreshes). */
const serviceClass = (s, serviceId) => {
  const i = s.services.indexOf(serviceId);
  return i >= 0 ? ' svc-' + (i % 6) : '';
};

function renderNext(s) {
  const list = $('next');
  list.replaceChildren(
    ...s.next.map((t) => {
      const li = el('li');
      const button = el('button', 'number' + (t.priority ? ' priority' : '') + serviceClass(s, t.serviceId));
      button.type = 'button';
      button.dataset.ticket = t.id;
      button.title = t.serviceName + ' · ' + fill(texts.waited, { minutes: t.waitedMinutes });
      button.append(el('span', 'n', t.number));
      if (t.priority) button.append(el('span', 'p-mark', texts.priority_short));
      button.append(el('span', 'n-service', t.serviceName));
      button.addEventListener('click', () => openCall(t));
      li.append(button);
      return li;
    }),
  );
  const total = s.waiting.reduce((sum, w) => sum + w.count, 0);
  const more = $('next-more');
  more.hidden = total <= s.next.length;
  more.textContent = fill(texts.next_more, { count: total - s.next.length });
  const counts = $('waiting');
  counts.replaceChildren(...(s.waiting.length ? s.waiting.map((w) => el('li', serviceClass(s, w.serviceId).trim(), fill(texts.waiting_count_short, { service: w.serviceName, count: w.count }))) : [el('li', 'muted', texts.no_waiting)]));
}

function renderStatus(c) {
  for (const button of document.querySelectorAll('[data-status]')) {
    const on = button.dataset.status === c.status;
    button.setAttribute('aria-pressed', String(on));
    button.disabled = busy;
  }
  const paused = $('paused');
  paused.hidden = c.status === 'open';
  paused.className = 'paused ' + c.status;
  if (c.status !== 'open') paused.textContent = fill(texts['paused_' + c.status], { time: clockTime(c.statusSince) });
  $('served').textContent = fill(texts.served_today, { count: c.servedToday });
  document.body.dataset.status = c.status;
}

const ENABLED = {
  'call-next': (c, s) => !c && s.counter.status === 'open',
  'done-next': (c, s) => Boolean(c) && s.counter.status === 'open',
  recall: (c) => c?.status === 'called',
  start: (c) => c?.status === 'called',
  done: (c) => c?.status === 'called' || c?.status === 'serving',
  'no-show': (c) => c?.status === 'called',
  cancel: (c) => c?.status === 'called',
  transfer: (c) => Boolean(c),
  'walk-in': () => true,
};

function render(next) {
  state = next;
  clockSkew = state.now - Date.now();
  renderTicket(state.current);
  renderNote(state.current);
  renderNext(state);
  renderStatus(state.counter);
  for (const button of document.querySelectorAll('[data-action]')) {
    const enabled = ENABLED[button.dataset.action](state.current, state);
    button.disabled = busy || !enabled;
    // One primary button at a time: "Selesai & panggil berikutnya" while serving, else "Panggil berikutnya".
    if (button.dataset.action === 'call-next') button.hidden = Boolean(state.current);
    if (button.dataset.action === 'done-next') button.hidden = !state.current;
  }
  $('transfer-service').disabled = busy || !state.current;
  for (const b of document.querySelectorAll('#next button')) b.disabled = busy || Boolean(state.current) || state.counter.status !== 'open';
}

async function refresh() {
  if (busy) return;
  try {
    render(await request('GET', '/state'));
  } catch (err) {
    if (err.code !== 'unauthorized') toast(errorText(err.code), 'error');
  }
}

/** Runs one request with the buttons disabled; the answer's state is rendered, an error is shown. */
async function run(send) {
  if (busy) return;
  busy = true;
  if (state) render(state);
  try {
    const answer = await send();
    busy = false;
    render(answer.state);
    return answer;
  } catch (err) {
    busy = false;
    if (err.code !== 'unauthorized') toast(errorText(err.code), 'error');
    await refresh();
    return undefined;
  }
}

async function act(action) {
  const current = state?.current;
  if (action === 'walk-in') return openWalkIn();
  if (action === 'no-show' && !window.confirm(fill(texts.confirm_no_show, { number: current.number }))) return;
  if (action === 'cancel' && !window.confirm(fill(texts.confirm_cancel, { number: current.number }))) return;
  if (action === 'call-next') {
    const answer = await run(() => request('POST', '/call-next'));
    if (answer) toast(answer.called ? fill(texts.called_toast, { number: answer.called }) : texts.empty_queue, answer.called ? 'ok' : 'info');
  } else if (action === 'done-next') {
    if (!(await saveNote(current))) return;
    const answer = await run(() => request('POST', '/tickets/' + current.id + '/done-next'));
    if (!answer) return;
    // Undo is offered only when no one was called after it: undoing would take the counter from them.
    if (answer.called) {
      undoable = null;
      toast(fill(texts.done_next_toast, { done: answer.done, number: answer.called }), 'ok');
    } else {
      undoable = { id: current.id, number: current.number, until: Date.now() + data.undoMs };
      // On a break or closed nobody is called, whoever waits.
      const open = answer.state.counter.status === 'open';
      toast(open ? fill(texts.done_next_empty, { done: answer.done }) : fill(texts.undo_toast, { number: answer.done }), 'ok', true);
    }
  } else if (action === 'transfer') {
    const select = $('transfer-service');
    const answer = await run(() => request('POST', '/tickets/' + current.id + '/transfer', { serviceId: select.value }));
    if (!answer) return;
    toast(fill(texts.transferred_toast, { number: current.number, service: select.selectedOptions[0]?.textContent ?? '' }), 'ok');
    select.value = '';
  } else if (action === 'done') {
    if (!(await saveNote(current))) return;
    const answer = await run(() => request('POST', '/tickets/' + current.id + '/done'));
    if (!answer) return;
    undoable = { id: current.id, number: current.number, until: Date.now() + data.undoMs };
    toast(fill(texts.undo_toast, { number: current.number }), 'ok', true);
  } else {
    const answer = await run(() => request('POST', '/tickets/' + current.id + '/' + action));
    if (answer) toast(fill(texts['toast_' + action.replace('-', '_')], { number: current.number }), 'ok');
  }
}

async function undo() {
  // The server decides (10 s on its clock); the button only shows while it likely still can.
  const target = undoable;
  if (!target) return;
  undoable = null;
  const answer = await run(() => request('POST', '/tickets/' + target.id + '/undo-done'));
  if (answer) toast(fill(texts.undone_toast, { number: target.number }), 'ok');
}

async function setStatus(status) {
  if (state?.counter.status === status) return;
  const answer = await run(() => request('POST', '/status', { status }));
  if (answer) toast(texts['status_toast_' + status], status === 'open' ? 'ok' : 'info');
}

// Out-of-order call: the reason is required (checked here, and again by the server).
let callTarget = null;
function openCall(ticket) {
  callTarget = ticket;
  $('call-title').textContent = fill(texts.call_title, { number: ticket.number, service: ticket.serviceName });
  $('call-reason').value = '';
  $('call-error').hidden = true;
  $('call-dialog').showModal();
  $('call-reason').focus();
}
$('call-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const reason = $('call-reason').value.trim();
  if (reason.length < 3) {
    $('call-error').textContent = texts.reason_required;
    $('call-error').hidden = false;
    $('call-reason').focus();
    return;
  }
  $('call-dialog').close();
  const answer = await run(() => request('POST', '/tickets/' + callTarget.id + '/call', { reason }));
  if (answer) toast(fill(texts.called_out_of_order, { number: answer.called }), 'ok');
});

// Walk-in: a ticket for someone without a phone, shown large to read out or print.
function openWalkIn() {
  $('walkin-form').hidden = false;
  $('walkin-ticket').hidden = true;
  $('walkin-priority').checked = false;
  // getRandomValues, not randomUUID: a counter tablet on the MPP's LAN may use plain HTTP.
  $('walkin-form').dataset.requestId = Array.from(window.crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
  $('walkin-dialog').showModal();
  $('walkin-service').focus();
}
$('walkin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = { serviceId: $('walkin-service').value, priority: $('walkin-priority').checked, requestId: $('walkin-form').dataset.requestId };
  const answer = await run(() => request('POST', '/walk-in', body));
  if (!answer) return;
  const t = answer.ticket;
  $('walkin-number').textContent = t.number;
  $('walkin-service-name').textContent = t.serviceName;
  $('walkin-where').textContent = fill(texts.walk_in_where, { counters: t.counters.join(', '), count: t.ahead, minutes: t.etaMinutes });
  $('walkin-form').hidden = true;
  $('walkin-ticket').hidden = false;
  toast(fill(texts.walk_in_toast, { number: t.number }), 'ok');
});
$('walkin-print').addEventListener('click', () => {
  document.body.classList.add('printing-ticket');
  window.print();
  document.body.classList.remove('printing-ticket');
});
for (const button of document.querySelectorAll('dialog [data-close]')) button.addEventListener('click', () => button.closest('dialog').close());

/** Saves an unsaved outcome or note before the ticket leaves the counter; false when it was refused. */
async function saveNote(current) {
  if (!noteDirty) return true;
  const answer = await run(() => request('POST', '/tickets/' + current.id + '/note', noteBody()));
  if (answer) noteDirty = false;
  return Boolean(answer);
}

$('note').addEventListener('submit', async (e) => {
  e.preventDefault();
  const current = state?.current;
  if (!current) return;
  noteDirty = true;
  if (await saveNote(current)) toast(texts.note_saved, 'ok');
});

for (const button of document.querySelectorAll('.actions [data-action]')) {
  button.addEventListener('click', () => void act(button.dataset.action));
}
for (const button of document.querySelectorAll('[data-status]')) {
  button.addEventListener('click', () => void setStatus(button.dataset.status));
}
$('toast-undo').addEventListener('click', () => void undo());
$('transfer').addEventListener('submit', (e) => {
  e.preventDefault();
  if ($('transfer-service').value) void act('transfer');
});

// Keyboard: one key per frequent action, ignored while typing or in a dialog (documented on the page).
const KEYS = { n: () => (state?.current ? 'done-next' : 'call-next'), s: () => 'done', m: () => 'start', r: () => 'recall', t: () => 'no-show', w: () => 'walk-in' };
document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
  if (e.target.closest?.('input, select, textarea, dialog, [contenteditable]') || document.querySelector('dialog[open]')) return;
  const key = e.key.toLowerCase();
  if (key === 'u') {
    e.preventDefault();
    void undo();
    return;
  }
  const action = KEYS[key]?.();
  if (!action || !state) return;
  const button = document.querySelector(`.actions [data-action="${action}"]`);
  if (!button || button.disabled) return;
  e.preventDefault();
  void act(action);
});

// The timer since the call ticks every second without asking the server.
window.setInterval(() => {
  const badge = document.querySelector('#ticket .badge.timer');
  if (badge && state?.current?.calledAt) badge.textContent = fill(texts.timer, { time: elapsed(state.current.calledAt) });
}, 1000);

// Live: the board's event stream says when the queue changed; the timer covers a lost stream.
let pending;
const events = new EventSource('/board/events' + (siteParam ? '?' + siteParam : ''));
events.addEventListener('snapshot', () => {
  window.clearTimeout(pending);
  pending = setTimeout(() => void refresh(), 100);
});
window.setInterval(() => void refresh(), data.refreshMs);
void refresh();

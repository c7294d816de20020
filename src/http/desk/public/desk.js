// The help desk: a live list (SSE), one conversation at a time, claim / reply / hand back; complaints tab.
// Everything a citizen wrote is set with textContent, never as markup.
const data = JSON.parse(document.getElementById('desk-data').textContent);
const { texts, me, csrf, lang, services, agencies, timezone } = data;
const T = texts.page;
const query = '?lang=' + encodeURIComponent(lang);
const fill = (text, params) => String(text ?? '').replace(/\{\{(\w+)\}\}/g, (_m, key) => String(params?.[key] ?? ''));
const $ = (id) => document.getElementById(id);
let selected = null;
let view = null;
// Server time minus page time: waiting times are counted on the server's clock.
let skew = 0;

function el(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

class ApiError extends Error {
  constructor(code, details) {
    super(code);
    this.code = code;
    this.details = details;
  }
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method === 'POST') Object.assign(headers, { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf });
  let res;
  try {
    res = await fetch('/desk/api' + path + query, { method, headers, credentials: 'same-origin', ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}) });
  } catch {
    throw new ApiError('unavailable');
  }
  if (res.status === 401) {
    window.location.assign('/login?next=' + encodeURIComponent(window.location.pathname));
    throw new ApiError('unauthorized');
  }
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(json.error?.code ?? 'internal', json.error?.details);
  return json;
}

let toastTimer;
function toast(text, kind) {
  const node = $('toast');
  node.textContent = text;
  node.className = 'toast ' + (kind ?? 'info');
  node.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (node.hidden = true), 6000);
}

function showError(err) {
  const code = err instanceof ApiError ? err.code : 'internal';
  const holder = err.details?.holder;
  toast(holder ? fill(texts.errors.claimed_by_other, {}) + ' (' + holder + ')' : (texts.errors[code] ?? texts.errors.internal), 'error');
}

const minutesSince = (ms) => Math.max(0, Math.floor((Date.now() + skew - ms) / 60000));
const time = (ms) => new Date(ms).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'id-ID', { hour: '2-digit', minute: '2-digit', timeZone: timezone });

// ---- conversations ----
function item(h) {
  const li = el('li');
  li.dataset.conversation = h.id;
  if (h.id === selected) li.classList.add('selected');
  const b = el('button');
  b.type = 'button';
  const service = h.context?.serviceId ? services[h.context.serviceId] ?? h.context.serviceId : '';
  b.append(el('strong', '', [h.channel, h.locale.toUpperCase(), service].filter(Boolean).join(' · ')));
  const sub = [fill(T.waited, { minutes: minutesSince(Math.max(h.visibleAt, h.openedAt)) })];
  if (h.context?.ticketNumber) sub.push(T.ticket + ' ' + h.context.ticketNumber);
  if (h.officer) sub.push(fill(T.held_by, { officer: h.officer === me ? T.you : h.officer }));
  b.append(el('span', 'sub', sub.join(' · ')));
  if (h.unreachable) b.append(el('span', 'sub late', T.unreachable));
  b.addEventListener('click', () => select(h.id));
  li.append(b);
  return li;
}

async function loadList() {
  const { waiting, claimed, now } = await request('GET', '/conversations');
  skew = now - Date.now();
  for (const [id, list] of [['waiting', waiting], ['claimed', claimed]]) {
    const ul = $(id);
    ul.replaceChildren(...(list.length ? list.map(item) : [el('li', 'muted', T.empty)]));
  }
}

async function select(id) {
  selected = id;
  for (const li of document.querySelectorAll('[data-conversation]')) li.classList.toggle('selected', li.dataset.conversation === id);
  await loadView();
}

function renderView() {
  const { handover: h, messages, windowRemainingMs } = view;
  $('pick').hidden = true;
  $('conversation').hidden = false;
  const meta = $('meta');
  meta.replaceChildren();
  const add = (label, value, cls) => value && meta.append(el('span', cls, label ? label + ': ' + value : value));
  add(T.channel, h.channel);
  add(T.language, h.locale.toUpperCase());
  add(T.service, h.context?.serviceId ? services[h.context.serviceId] ?? h.context.serviceId : '');
  add(T.ticket, h.context?.ticketNumber ?? '');
  add('', texts.states[h.state] ?? h.state);
  if (h.officer) add('', fill(T.held_by, { officer: h.officer === me ? T.you : h.officer }));
  if (windowRemainingMs !== undefined) {
    const left = windowRemainingMs > 0 ? fill(texts.window.remaining, { hours: Math.floor(windowRemainingMs / 3600000), minutes: Math.floor((windowRemainingMs % 3600000) / 60000) }) : texts.window.closed;
    add('', left, windowRemainingMs > 0 ? '' : 'warn');
  }
  if (h.queuedReplies) add('', fill(T.queued, { count: h.queuedReplies }), 'warn');
  if (h.unreachable) add('', T.unreachable, 'warn');
  const active = h.state === 'waiting' || h.state === 'claimed';
  const mine = h.state === 'claimed' && h.officer === me;
  const show = { claim: h.state === 'waiting', unclaim: mine, release: active && (mine || h.state === 'waiting'), close: mine, transfer: mine };
  for (const [action, visible] of Object.entries(show)) document.querySelector(`.actions [data-action="${action}"]`).hidden = !visible;
  $('reply').hidden = !(h.state === 'waiting' || mine);
  const list = $('messages');
  list.replaceChildren(
    ...(h.context?.turns ?? []).map((t) => el('li', t.from === 'bot' ? 'system' : 'citizen', (t.from === 'bot' ? T.from_bot : T.from_citizen) + ': ' + t.text)),
    ...messages.map((m) => {
      const li = el('li', m.from);
      if (m.from === 'system') {
        const [note, reason] = m.text.split(':');
        li.textContent = fill(texts.notes[note] ?? note, { officer: m.officer ?? '' }) + (reason ? ' (' + reason + ')' : '');
      } else li.textContent = m.text;
      const when = el('span', 'when', time(m.at) + (m.from === 'officer' ? ' · ' + (m.officer ?? '') : ''));
      if (m.delivery) {
        const [d, code] = m.delivery.split(':');
        const label = fill(texts.delivery[d] ?? d, { code: code ?? '' });
        when.append(el('span', d === 'failed' || d === 'unreachable' || d === 'dropped' ? 'failed' : '', ' · ' + label));
      }
      li.append(when);
      return li;
    }),
  );
  list.scrollTop = list.scrollHeight;
}

async function loadView() {
  if (!selected) return;
  try {
    view = await request('GET', '/conversations/' + encodeURIComponent(selected));
    renderView();
  } catch (err) {
    showError(err);
  }
}

async function act(action) {
  if (!selected) return;
  try {
    if (action === 'transfer') {
      const to = window.prompt(T.transfer_to);
      if (!to) return;
      await request('POST', `/conversations/${selected}/transfer`, { to: to.trim() });
    } else {
      await request('POST', `/conversations/${selected}/${action === 'unclaim' ? 'release' : action === 'release' ? 'hand-back' : action}`);
    }
  } catch (err) {
    showError(err);
  }
  await Promise.all([loadList(), loadView()]);
}

for (const button of document.querySelectorAll('.actions [data-action]')) button.addEventListener('click', () => void act(button.dataset.action));

const canned = $('canned');
for (const [key, text] of Object.entries(texts.canned)) {
  const o = el('option', '', text.length > 70 ? text.slice(0, 67) + '…' : text);
  o.value = key;
  canned.append(o);
}
canned.addEventListener('change', () => {
  // Editable: the canned text is a start, the officer may change it before sending.
  if (canned.value) $('reply-text').value = texts.canned[canned.value];
  canned.value = '';
  $('reply-text').focus();
});

$('reply').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('reply-text');
  const text = box.value.trim();
  if (!text || !selected) return;
  const button = e.target.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const r = await request('POST', `/conversations/${selected}/reply`, { text });
    box.value = '';
    const d = r.message.delivery.split(':')[0];
    toast(fill(texts.delivery[d] ?? d, { code: r.message.delivery.split(':')[1] ?? '' }), d === 'sent' || d === 'queued_for_template' ? 'info' : 'error');
  } catch (err) {
    showError(err);
  } finally {
    button.disabled = false;
  }
  await Promise.all([loadList(), loadView()]);
});

// ---- complaints ----
const NEXT = { baru: ['diproses', 'diteruskan'], diproses: ['diteruskan', 'selesai'], diteruskan: ['diproses', 'selesai'], selesai: [] };

async function loadComplaints() {
  const { complaints } = await request('GET', '/complaints');
  const ul = $('complaints');
  ul.replaceChildren(
    ...(complaints.length
      ? complaints.map((c) => {
          const li = el('li');
          li.dataset.complaint = c.reference;
          const b = el('button');
          b.type = 'button';
          b.append(el('strong', '', c.reference), el('span', 'sub', [texts.statuses[c.status], texts.categories[c.category]].join(' · ')));
          if (c.overdue) b.append(el('span', 'sub late', texts.overdue[c.overdue]));
          b.addEventListener('click', () => void showComplaint(c.reference));
          li.append(b);
          return li;
        })
      : [el('li', 'muted', T.complaints_empty)]),
  );
}

async function showComplaint(ref) {
  let c;
  try {
    ({ complaint: c } = await request('GET', '/complaints/' + encodeURIComponent(ref)));
  } catch (err) {
    return showError(err);
  }
  $('complaint-pick').hidden = true;
  const box = $('complaint');
  box.hidden = false;
  box.className = 'complaint';
  const dl = el('dl');
  const row = (k, v) => v && dl.append(el('dt', '', k), el('dd', '', v));
  row(T.status, texts.statuses[c.status]);
  row(T.category, texts.categories[c.category]);
  row(T.agency, agencies.find((a) => a.id === c.agencyId)?.name ?? c.agencyId);
  row(T.service, c.serviceId ? services[c.serviceId] ?? c.serviceId : '');
  row(T.happened_on, c.happenedOn);
  row(T.ticket_number, c.ticketNumber);
  if (c.anonymous) row(T.anonymous, '✓');
  row(T.what, c.what);
  row(T.history, c.history.map((h) => time(h.at) + ' ' + (texts.statuses[h.status] ?? h.status) + ' · ' + h.officer).join('\n'));
  const actions = el('div', 'actions');
  const agency = el('select');
  agency.setAttribute('aria-label', T.forward_to);
  agency.append(el('option', '', T.forward_to));
  for (const a of agencies) {
    const o = el('option', '', a.name);
    o.value = a.id;
    agency.append(o);
  }
  for (const to of NEXT[c.status]) {
    const b = el('button', 'act', to === 'diteruskan' ? T.forward : T.move_to + ' ' + texts.statuses[to]);
    b.type = 'button';
    b.dataset.status = to;
    b.addEventListener('click', async () => {
      try {
        const r = await request('POST', `/complaints/${encodeURIComponent(ref)}/transition`, { to, ...(to === 'diteruskan' && agency.value ? { agencyId: agency.value } : {}) });
        toast(r.told === 'sent' ? T.told : r.told ? texts.delivery.failed.replace('{{code}}', r.told) : T.not_told);
      } catch (err) {
        showError(err);
      }
      await Promise.all([loadComplaints(), showComplaint(ref)]);
    });
    actions.append(b);
  }
  if (NEXT[c.status].includes('diteruskan')) actions.append(agency);
  box.replaceChildren(dl, actions);
}

for (const tab of document.querySelectorAll('[data-tab]')) {
  tab.addEventListener('click', () => {
    for (const t of document.querySelectorAll('[data-tab]')) t.setAttribute('aria-selected', String(t === tab));
    $('panel-conversations').hidden = tab.dataset.tab !== 'conversations';
    $('panel-complaints').hidden = tab.dataset.tab !== 'complaints';
    if (tab.dataset.tab === 'complaints') void loadComplaints().catch(showError);
  });
}

// ---- live ----
function live() {
  const source = new EventSource('/desk/api/events' + query);
  source.addEventListener('open', () => {
    $('live').classList.remove('off');
    $('live').textContent = T.live;
    void loadList().catch(showError);
  });
  source.addEventListener('error', () => {
    $('live').classList.add('off');
    $('live').textContent = T.offline;
  });
  source.addEventListener('desk', (e) => {
    const event = JSON.parse(e.data);
    void loadList().catch(showError);
    if (event.conversation === selected) void loadView();
  });
}

void loadList().catch(showError);
live();

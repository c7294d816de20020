// The counter console: shows the counter's state from its JSON API and sends the officer's actions.
// Everything is set with textContent: a citizen's question is shown as text, never as markup.
const data = JSON.parse(document.getElementById('console-data').textContent);
const { texts, counter, csrf, lang } = data;
const base = '/counter/api/' + encodeURIComponent(counter.id);
const query = '?lang=' + encodeURIComponent(lang);
let state = null;
let busy = false;

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
    window.location.assign('/login?next=' + encodeURIComponent(window.location.pathname));
    throw new ApiError('unauthorized');
  }
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(json.error?.code ?? 'internal');
  return json;
}

let toastTimer;
function toast(text, kind) {
  const node = document.getElementById('toast');
  node.textContent = text;
  node.className = 'toast ' + (kind ?? 'info');
  node.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    node.hidden = true;
  }, 6000);
}

function errorText(code) {
  if (code === 'offline') return texts.offline;
  return texts.errors[code] ?? texts.errors.internal;
}

const CHECK_ICON = { ready: '✓', missing: '✗', unconfirmed: '?' };

function renderTicket(current) {
  const box = document.getElementById('ticket');
  box.replaceChildren();
  box.classList.toggle('empty', !current);
  if (!current) {
    box.append(el('p', 'idle', texts.idle));
    return;
  }
  const head = el('div', 'ticket-head');
  head.append(el('span', 'ticket-number', current.number));
  const badges = el('div', 'badges');
  badges.append(el('span', 'badge status-' + current.status, current.status === 'serving' ? texts.status_serving : texts.status_called));
  if (current.priority) badges.append(el('span', 'badge priority', texts.priority));
  head.append(badges);
  const meta = el('p', 'ticket-meta');
  meta.append(el('strong', 'service', current.serviceName));
  const facts = [fill(texts.waited, { minutes: current.waitedMinutes })];
  if (current.recalls > 0) facts.push(fill(texts.recalls, { count: current.recalls }));
  if (current.transferredFrom) facts.push(fill(texts.transferred_from, { service: current.transferredFrom }));
  meta.append(el('span', 'facts', facts.join(' · ')));

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
  box.append(head, meta, checklist, question);
}

function renderWaiting(groups) {
  const box = document.getElementById('waiting');
  box.replaceChildren(
    ...groups.map((g) => {
      const section = el('div', 'line');
      const head = el('h3', '');
      head.append(el('span', '', g.serviceName), el('span', 'count', fill(texts.waiting_count, { count: g.tickets.length })));
      section.append(head);
      if (g.tickets.length === 0) {
        section.append(el('p', 'muted', texts.empty_line));
        return section;
      }
      const list = el('ol', 'numbers');
      for (const t of g.tickets) {
        const li = el('li', 'number' + (t.priority ? ' priority' : ''), t.number);
        if (t.priority) {
          li.title = texts.priority;
          li.append(el('span', 'p-mark', texts.priority_short));
        }
        list.append(li);
      }
      section.append(list);
      return section;
    }),
  );
}

const ENABLED = {
  'call-next': (c) => !c,
  recall: (c) => c?.status === 'called',
  start: (c) => c?.status === 'called',
  done: (c) => c?.status === 'called' || c?.status === 'serving',
  'no-show': (c) => c?.status === 'called',
  cancel: (c) => c?.status === 'called',
  transfer: (c) => Boolean(c),
};

function render(next) {
  state = next;
  renderTicket(state.current);
  renderWaiting(state.waiting);
  for (const button of document.querySelectorAll('[data-action]')) button.disabled = busy || !ENABLED[button.dataset.action](state.current);
  document.getElementById('transfer-service').disabled = busy || !state.current;
}

async function refresh() {
  if (busy) return;
  try {
    render(await request('GET', '/state'));
  } catch (err) {
    if (err.code !== 'unauthorized') toast(errorText(err.code), 'error');
  }
}

async function act(action) {
  const current = state?.current;
  if (action === 'no-show' && !window.confirm(fill(texts.confirm_no_show, { number: current.number }))) return;
  if (action === 'cancel' && !window.confirm(fill(texts.confirm_cancel, { number: current.number }))) return;
  busy = true;
  if (state) render(state);
  try {
    let answer;
    if (action === 'call-next') {
      answer = await request('POST', '/call-next');
      toast(answer.called ? fill(texts.called_toast, { number: answer.called }) : texts.empty_queue, answer.called ? 'ok' : 'info');
    } else if (action === 'transfer') {
      const select = document.getElementById('transfer-service');
      answer = await request('POST', '/tickets/' + current.id + '/transfer', { serviceId: select.value });
      toast(fill(texts.transferred_toast, { number: current.number, service: select.selectedOptions[0]?.textContent ?? '' }), 'ok');
      select.value = '';
    } else {
      answer = await request('POST', '/tickets/' + current.id + '/' + action);
      toast(fill(texts['toast_' + action.replace('-', '_')], { number: current.number }), 'ok');
    }
    busy = false;
    render(answer.state);
  } catch (err) {
    busy = false;
    if (err.code !== 'unauthorized') toast(errorText(err.code), 'error');
    await refresh();
  }
}

for (const button of document.querySelectorAll('.actions [data-action]')) {
  button.addEventListener('click', () => void act(button.dataset.action));
}
document.getElementById('transfer').addEventListener('submit', (e) => {
  e.preventDefault();
  if (document.getElementById('transfer-service').value) void act('transfer');
});

// Live: the board's event stream says when the queue changed; the timer covers a lost stream.
let pending;
const events = new EventSource('/board/events');
events.addEventListener('snapshot', () => {
  window.clearTimeout(pending);
  pending = setTimeout(() => void refresh(), 100);
});
window.setInterval(() => void refresh(), data.refreshMs);
void refresh();

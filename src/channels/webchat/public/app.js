// Web chat page: plain ES module, no external resources. Every text goes in through textContent,
// so nothing a citizen or the server sends is ever parsed as HTML.
const log = document.getElementById('log');
const form = document.getElementById('form');
const input = document.getElementById('text');
const STORAGE = 'mpp-webchat-session';
let sessionId = localStorage.getItem(STORAGE) || undefined;
let events;
const locale = document.documentElement.lang === 'en' ? 'en' : 'id';
// The page's language's text for every error code (locales/*/errors.json); never the server's message.
const errorTexts = JSON.parse(document.body.dataset.errors || '{}');

function appendText(el, text) {
  // Links become anchors; everything else stays text.
  const parts = text.split(/(https?:\/\/[^\s)]+)/g);
  for (const part of parts) {
    if (/^https?:\/\//.test(part)) {
      const a = document.createElement('a');
      a.href = part;
      a.textContent = part;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      el.appendChild(a);
    } else if (part) {
      el.appendChild(document.createTextNode(part));
    }
  }
}

function show(message, kind) {
  const li = document.createElement('li');
  li.className = 'msg' + (kind ? ' ' + kind : '');
  appendText(li, message.text);
  if (message.choices && message.choices.length) {
    const box = document.createElement('div');
    box.className = 'choices';
    box.setAttribute('role', 'group');
    for (const choice of message.choices) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = choice.label;
      b.dataset.choice = choice.id;
      b.addEventListener('click', () => {
        showMine(choice.label);
        send({ choice: choice.id });
      });
      box.appendChild(b);
    }
    li.appendChild(box);
  }
  log.appendChild(li);
  li.scrollIntoView({ block: 'end', behavior: 'smooth' });
}

function showMine(text) {
  show({ text }, 'me');
}

function listen() {
  if (!sessionId || events) return;
  events = new EventSource('/api/webchat/events?sessionId=' + encodeURIComponent(sessionId));
  events.addEventListener('message', (e) => {
    try { show(JSON.parse(e.data), 'push'); } catch { /* ignore malformed push */ }
  });
  events.onerror = () => {
    // The browser reconnects by itself; nothing to do.
  };
}

async function send(body, retried) {
  const payload = { ...body, ...(sessionId ? { sessionId } : {}), ...(locale ? { locale } : {}), ...(site ? { site } : {}) };
  let res;
  try {
    res = await fetch('/api/webchat/messages', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  } catch {
    show({ text: document.body.dataset.offline });
    return;
  }
  const data = await res.json().catch(() => ({}));
  if (res.status === 404 && data.error && data.error.code === 'unknown_session' && !retried) {
    // Our stored id is no longer valid: start a fresh conversation.
    localStorage.removeItem(STORAGE);
    sessionId = undefined;
    if (events) { events.close(); events = undefined; }
    return send(body, true);
  }
  if (data.sessionId && data.sessionId !== sessionId) {
    sessionId = data.sessionId;
    localStorage.setItem(STORAGE, sessionId);
  }
  for (const m of data.messages || []) show(m);
  if (!data.messages && data.error) show({ text: errorTexts[data.error.code] || errorTexts.internal });
  listen();
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  showMine(text);
  void send({ text });
});

document.getElementById('restart').addEventListener('click', () => {
  showMine('menu');
  void send({ text: 'menu' });
});

// Opening says so: notices kept while the tab was closed (a survey) come first, else the menu.
// From a kiosk ticket's tracking page (`?claim=`): the ticket joins this conversation, once.
const query = new window.URLSearchParams(window.location.search);
const claim = query.get('claim');
if (claim) window.history.replaceState(null, '', window.location.pathname + (query.get('site') ? `?site=${encodeURIComponent(query.get('site'))}` : ''));
// Opened as `/?site=kec-utara` (a site's QR or link): the MPP the citizen came from, sent with every
// message; the server uses it only while the citizen has not chosen an MPP.
const site = /^[a-z0-9-]{1,40}$/.test(query.get('site') ?? '') ? query.get('site') : undefined;
void send({ open: true, ...(claim ? { claim } : {}) });

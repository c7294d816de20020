// The public tracking page: renders the ticket's state and keeps it live over SSE, falling back to
// polling when the stream is refused (many phones behind one carrier address).
const data = JSON.parse(document.getElementById('track-data').textContent);
const texts = data.texts;
const $ = (id) => document.getElementById(id);
const POLL_MS = 20_000;

function t(key, params = {}) {
  return String(texts[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_m, name) => String(params[name] ?? ''));
}

function show(id, text) {
  const el = $(id);
  el.hidden = text === undefined;
  el.textContent = text ?? '';
}

function render(state) {
  $('number').textContent = state.number;
  $('service').textContent = state.service;
  document.body.dataset.status = state.status;
  show('goto', undefined);
  show('counter', undefined);
  show('position', undefined);
  show('ahead', undefined);
  show('eta', undefined);
  if (!state.today && (state.status === 'waiting' || state.status === 'called')) {
    show('headline', t('old', { day: state.day }));
  } else if (state.status === 'waiting') {
    show('headline', t('waiting'));
    show('position', t('position', { position: state.position }));
    show('ahead', state.position <= 1 ? t('ahead_none') : t('ahead', { count: state.position - 1 }));
    show('eta', state.paused ? t('paused_' + state.paused) : state.etaMinutes > 0 ? t('eta', { minutes: state.etaMinutes }) : t('eta_soon'));
  } else if (state.status === 'called') {
    show('headline', t('called'));
    show('goto', t('go_to'));
    show('counter', state.counterName ?? '');
  } else if (state.status === 'serving') {
    show('headline', t('serving'));
    show('counter', state.counterName ?? '');
  } else {
    show('headline', t(state.status));
  }
  const time = new Date().toLocaleTimeString(data.lang === 'en' ? 'en-GB' : 'id-ID', { hour: '2-digit', minute: '2-digit' });
  $('live').textContent = t('updated', { time });
}

let pollTimer;
async function poll() {
  try {
    const res = await fetch(`/t/${data.code}/state?lang=${data.lang}`, { cache: 'no-store' });
    if (res.status === 404) return gone();
    if (res.ok) render(await res.json());
  } catch {
    $('live').textContent = t('offline');
  }
  pollTimer = setTimeout(poll, POLL_MS);
}

function gone() {
  window.clearTimeout(pollTimer);
  document.body.dataset.status = 'gone';
  show('headline', t('gone'));
  for (const id of ['goto', 'counter', 'position', 'ahead', 'eta']) show(id, undefined);
}

function listen() {
  const source = new EventSource(`/t/${data.code}/events?lang=${data.lang}`);
  source.addEventListener('state', (e) => render(JSON.parse(e.data)));
  source.addEventListener('gone', () => {
    source.close();
    gone();
  });
  source.onerror = () => {
    // CLOSED: the server refused the stream (a cap or an expired code); polling still works.
    if (source.readyState === EventSource.CLOSED) {
      if (!pollTimer) pollTimer = setTimeout(poll, 1000);
    } else {
      $('live').textContent = t('offline');
    }
  };
}

render(data.state);
listen();

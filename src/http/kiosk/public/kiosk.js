// The self-service kiosk: agency -> service -> requirements -> number, then the ticket on screen
// and on the thermal printer. Every step has a way back; an idle minute brings the start back.
const data = JSON.parse(document.getElementById('kiosk-data').textContent);
const texts = data.texts;
const $ = (id) => document.getElementById(id);
const agencies = data.menu.agencies;

function t(key, params = {}) {
  const value = key.split('.').reduce((node, part) => (node && typeof node === 'object' ? node[part] : undefined), texts);
  return String(value ?? key).replace(/\{\{(\w+)\}\}/g, (_m, name) => String(params[name] ?? ''));
}

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

let step = { name: 'agency' };
let busy = false;

function show(next) {
  step = next;
  $('screen').hidden = false;
  $('ticket').hidden = true;
  document.body.dataset.step = step.name;
  const content = $('content');
  const actions = $('actions');
  content.replaceChildren();
  actions.replaceChildren();
  const back = $('back');
  back.hidden = step.name === 'agency';
  back.textContent = t('back');
  if (step.name === 'agency') {
    $('heading').textContent = t('step_agency');
    content.append(el('div', { class: 'grid agencies' }, agencies.map((a) =>
      el('button', { type: 'button', class: 'tile', 'data-agency': a.id, onclick: () => show({ name: 'service', agency: a }) }, [
        el('span', { class: 'tile-short', text: a.short }),
        el('span', { class: 'tile-name', text: a.name }),
        el('span', { class: 'tile-meta', text: t('services_count', { count: a.services.length }) }),
      ]))));
  } else if (step.name === 'service') {
    $('heading').textContent = `${t('step_service')} · ${step.agency.short}`;
    content.append(el('div', { class: 'list services' }, step.agency.services.map((s) =>
      el('button', { type: 'button', class: 'row', 'data-service': s.id, onclick: () => show({ name: 'requirements', agency: step.agency, service: s, ready: new Set(), priority: false }) }, [
        el('span', { class: 'row-name', text: s.name }),
        el('span', { class: 'row-go', 'aria-hidden': 'true', text: '›' }),
      ]))));
  } else if (step.name === 'requirements') {
    $('heading').textContent = step.service.name;
    content.append(el('p', { class: 'hint', text: `${t('step_requirements')}. ${t('requirements_hint')}` }));
    content.append(el('ul', { class: 'checklist' }, step.service.requirements.map((r, i) => {
      const item = el('li', {}, [el('button', { type: 'button', class: 'check', role: 'checkbox', 'aria-checked': 'false', onclick: () => {
        if (step.ready.has(i)) step.ready.delete(i);
        else step.ready.add(i);
        item.firstChild.setAttribute('aria-checked', String(step.ready.has(i)));
      } }, [el('span', { class: 'box', 'aria-hidden': 'true' }), el('span', { text: r })])]);
      return item;
    })));
    const priority = el('button', { type: 'button', class: 'check priority', role: 'checkbox', 'aria-checked': 'false', onclick: () => {
      step.priority = !step.priority;
      priority.setAttribute('aria-checked', String(step.priority));
    } }, [el('span', { class: 'box', 'aria-hidden': 'true' }), el('span', { text: t('priority') })]);
    content.append(priority);
    actions.append(el('button', { type: 'button', id: 'take', class: 'primary', text: t('take'), onclick: () => take(step) }));
  } else if (step.name === 'error') {
    $('heading').textContent = t('error_title');
    content.append(el('p', { class: 'error', role: 'alert', text: step.message }));
    actions.append(el('button', { type: 'button', class: 'primary', text: t('home'), onclick: () => show({ name: 'agency' }) }));
  }
  $('screen').scrollTop = 0;
  window.scrollTo(0, 0);
}

$('back').addEventListener('click', () => {
  if (step.name === 'service' || step.name === 'error') show({ name: 'agency' });
  else if (step.name === 'requirements') show({ name: 'service', agency: step.agency });
});

function newKey() {
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function take(current) {
  if (busy) return;
  busy = true;
  const button = $('take');
  button.disabled = true;
  button.textContent = t('taking');
  // One key per tap: a retry after a lost answer gets the same ticket, not a second one.
  const body = JSON.stringify({ serviceId: current.service.id, key: newKey(), ready: [...current.ready], priority: current.priority });
  try {
    let res;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        res = await fetch(`/kiosk/tickets?lang=${data.lang}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        break;
      } catch (err) {
        if (attempt === 2) throw err;
        await new Promise((r) => setTimeout(r, 700));
      }
    }
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) return show({ name: 'error', message: errorText(answer.error) });
    showTicket(answer);
  } catch {
    show({ name: 'error', message: t('errors.unavailable') });
  } finally {
    busy = false;
  }
}

function errorText(error) {
  const code = error?.code ?? 'other';
  if (code === 'closed' && error.details?.nextOpen) {
    const when = new Date(error.details.nextOpen).toLocaleString(data.lang === 'en' ? 'en-GB' : 'id-ID', { weekday: 'long', hour: '2-digit', minute: '2-digit' });
    return t('errors.closed_next', { when });
  }
  const known = texts.errors?.[code];
  return known ?? t('errors.other');
}

function showTicket(answer) {
  step = { name: 'ticket' };
  document.body.dataset.step = 'ticket';
  const tk = answer.ticket;
  $('t-title').textContent = t('ticket_title');
  $('t-number').textContent = tk.number;
  $('t-service').textContent = tk.service;
  $('t-priority').textContent = tk.priority ? t('priority_ticket') : '';
  $('t-agency').textContent = tk.agency;
  // Counter names already say "Loket …".
  $('t-counter').textContent = tk.counters.join(', ');
  $('t-issued').textContent = `${t('issued')}: ${tk.issuedAt}`;
  $('t-position').textContent = tk.status === 'waiting' ? t('position', { position: tk.position }) : '';
  $('t-eta').textContent = tk.status === 'waiting' ? (tk.etaMinutes > 0 ? t('eta', { minutes: tk.etaMinutes }) : t('eta_soon')) : '';
  $('t-scan').textContent = t('scan');
  $('t-link').textContent = answer.trackLink;
  $('t-keep').textContent = t('keep');
  const qr = $('t-qr');
  const printed = new Promise((resolve) => {
    qr.onload = resolve;
    qr.onerror = resolve;
  });
  qr.src = answer.qr;
  $('screen').hidden = true;
  const ticket = $('ticket');
  ticket.hidden = false;
  let actions = ticket.querySelector('.ticket-actions');
  if (!actions) {
    actions = el('div', { class: 'ticket-actions' });
    ticket.append(actions);
  }
  actions.replaceChildren(
    el('button', { type: 'button', class: 'secondary', text: t('print_again'), onclick: () => window.print() }),
    el('button', { type: 'button', class: 'primary', id: 'done', text: t('done'), onclick: () => show({ name: 'agency' }) }),
  );
  // Print once the QR is in: Chromium with --kiosk-printing sends it to the default printer silently.
  if (data.autoPrint) void printed.then(() => window.print());
}

// Idle reset: after `idleSeconds` without a touch, back to the start (the next person starts clean).
let idleTimer;
function touched() {
  window.clearTimeout(idleTimer);
  $('idle').hidden = true;
  idleTimer = setTimeout(() => {
    if (step.name !== 'agency') show({ name: 'agency' });
  }, data.idleSeconds * 1000);
}
for (const type of ['pointerdown', 'keydown', 'touchstart']) document.addEventListener(type, touched, { passive: true });

function tick() {
  $('clock').textContent = new Date().toLocaleTimeString(data.lang === 'en' ? 'en-GB' : 'id-ID', { hour: '2-digit', minute: '2-digit' });
}
window.setInterval(tick, 15_000);
tick();
show({ name: 'agency' });
touched();

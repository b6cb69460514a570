// Small DOM helpers: elements built with text nodes (never innerHTML), so nothing from the API can become markup.

/** h('p', {class: 'x', onclick: fn}, 'text', child, ...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let navigated = false;
/** From now on a new page moves focus to its heading (not on the first load, where focus starts at the top). */
export function navigating() { navigated = true; }

/** Replaces the page content, titles the document, and after a navigation moves focus to the heading. */
export function show(title, ...content) {
  const main = document.getElementById('main');
  main.replaceChildren(...content.flat().filter(Boolean));
  document.title = `${title} · base-nft console`;
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    if (navigated) heading.focus({ preventScroll: false });
  }
}

export function announce(text) {
  document.getElementById('announcer').textContent = text;
}

export function alertBox(text, kind = '') {
  return h('div', { class: `alert ${kind}`, role: kind === 'ok' || kind === 'info' ? 'status' : 'alert' }, text);
}

export function statusBadge(status) {
  return h('span', { class: `status ${status}` }, status);
}

/** A labelled input with its hint and an error slot (aria-describedby both). */
export function field({ id, label, hint, type = 'text', value = '', required = false, multiline = false, attrs = {} }) {
  const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  const input = h(multiline ? 'textarea' : 'input', { id, name: id, type: multiline ? null : type, required,
    'aria-describedby': described, ...attrs });
  input.value = value;
  return h('div', { class: 'field' },
    h('label', { for: id }, label, hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null),
    input,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

/** Shows (or clears, with null) the error of field `id` next to it. */
export function fieldError(id, text) {
  const input = document.getElementById(id);
  const slot = document.getElementById(`${id}-error`);
  if (!input || !slot) return;
  if (text) {
    input.setAttribute('aria-invalid', 'true');
    slot.hidden = false;
    slot.textContent = text;
  } else {
    input.removeAttribute('aria-invalid');
    slot.hidden = true;
    slot.textContent = '';
  }
}

export const steps = ['Details', 'Deploy', 'Recipients', 'Review', 'Distribute'];

export function stepper(current) {
  return h('ol', { class: 'steps', 'aria-label': 'Steps' }, steps.map((name, i) =>
    h('li', { class: i < current ? 'done' : '', 'aria-current': i === current ? 'step' : null },
      `${i + 1}. ${name}`, i < current ? h('span', { class: 'visually-hidden' }, ' (done)') : null)));
}

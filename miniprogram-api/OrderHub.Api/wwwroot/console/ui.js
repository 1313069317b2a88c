// Small DOM helpers, formatting (¥ with two decimals, Asia/Shanghai times) and dialogs. No framework.

/** h('div.card#id', {attrs, on: {click}}, ...children) */
export function h(tag, attrs, ...children) {
  const [, name = 'div', rest = ''] = /^([a-z0-9-]*)(.*)$/i.exec(tag);
  const el = document.createElement(name || 'div');
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) { children.unshift(attrs); attrs = null; }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'class') el.className += (el.className ? ' ' : '') + v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) { el.replaceChildren(); append(el, children); return el; }

const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** Fen → "¥1,234.50" */
export function money(fen) {
  if (fen === null || fen === undefined) return '—';
  const n = Number(fen);
  return (n < 0 ? '-¥' : '¥') + yuan.format(Math.abs(n) / 100);
}

const dtf = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const df = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
function parts(fmt, d) { return Object.fromEntries(fmt.formatToParts(d).map(p => [p.type, p.value])); }
/** ISO time → "2026-01-05 14:03" in Asia/Shanghai */
export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  const p = parts(dtf, d);
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}
/** Today (or a Date) as yyyy-MM-dd in Asia/Shanghai */
export function shanghaiDate(d = new Date()) {
  const p = parts(df, d);
  return `${p.year}-${p.month}-${p.day}`;
}
/** ISO → value for <input type=datetime-local> in Shanghai time */
export function toLocalInput(iso) {
  const d = new Date(iso);
  const p = parts(dtf, d);
  return `${p.year}-${p.month}-${p.day}T${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}
/** "12.50" → 1250 fen; null if not a valid amount */
export function parseYuan(text) {
  const t = String(text ?? '').trim().replace(/^[¥￥]/, '').replace(/,/g, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null;
  const [i, f = ''] = t.replace('-', '').split('.');
  const fen = Number(i) * 100 + Number((f + '00').slice(0, 2));
  return t.startsWith('-') ? -fen : fen;
}

// ---- toasts and dialogs ------------------------------------------------------------------------------------------------

export function toast(message, kind = 'ok') {
  const box = document.getElementById('toasts');
  const t = h(`div.toast.${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 6000 : 3000);
}

/** A modal with a form. fields: [{name, label, type, value, required, options:[{value,label}], placeholder}]. Resolves values or null. */
export function dialog({ title, fields = [], okText = '确定', danger = false, message }) {
  return new Promise(resolve => {
    const inputs = {};
    const form = h('form.dialog', { method: 'dialog', 'aria-label': title },
      h('h2', title),
      message ? h('p.muted', message) : null,
      fields.map(f => {
        let input;
        if (f.type === 'select') input = h('select', { name: f.name }, f.options.map(o => h('option', { value: o.value, selected: String(o.value) === String(f.value ?? '') }, o.label)));
        else if (f.type === 'textarea') input = h('textarea', { name: f.name, rows: 3, placeholder: f.placeholder || '' }, f.value ?? '');
        else input = h('input', { name: f.name, type: f.type || 'text', value: f.value ?? '', placeholder: f.placeholder || '', step: f.step, min: f.min, autocomplete: 'off' });
        if (f.required) input.required = true;
        inputs[f.name] = input;
        return h('label.field', h('span', f.label), input);
      }),
      h('p.error', { 'aria-live': 'polite' }),
      h('div.actions',
        h('button.btn', { type: 'button', on: { click: () => close(null) } }, '取消 (Esc)'),
        h(`button.btn.${danger ? 'danger' : 'primary'}`, { type: 'submit' }, okText)));
    const backdrop = h('div.backdrop', form);
    function close(v) { backdrop.remove(); document.removeEventListener('keydown', esc, true); resolve(v); }
    function esc(e) { if (e.key === 'Escape') { e.stopPropagation(); close(null); } }
    form.addEventListener('submit', e => {
      e.preventDefault();
      const values = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.type === 'password' ? el.value : el.value.trim()]));
      const missing = fields.find(f => f.required && !values[f.name]);
      if (missing) { form.querySelector('.error').textContent = `请填写「${missing.label}」`; inputs[missing.name].focus(); return; }
      close(values);
    });
    document.addEventListener('keydown', esc, true);
    document.body.append(backdrop);
    (Object.values(inputs)[0] || form.querySelector('button[type=submit]')).focus();
  });
}

export const confirmBox = (title, message, okText = '确定', danger = false) => dialog({ title, message, okText, danger }).then(v => v !== null);

/** Runs an action, shows its error in Chinese; returns the result or undefined. */
export async function attempt(fn, okMessage) {
  try {
    const r = await fn();
    if (okMessage) toast(okMessage);
    return r ?? true;
  } catch (e) {
    toast(e.message || String(e), 'error');
    return undefined;
  }
}

export function table(columns, rows, { onRowClick, rowAttrs, empty = '暂无数据' } = {}) {
  return h('table.grid',
    h('thead', h('tr', columns.map(c => h('th', { class: c.num ? 'num' : null }, c.label)))),
    h('tbody', rows.length === 0
      ? h('tr', h('td.empty', { colspan: columns.length }, empty))
      : rows.map((r, i) => {
        const attrs = rowAttrs ? rowAttrs(r, i) : {};
        const cls = [attrs.class, onRowClick ? 'clickable' : null].filter(Boolean).join(' ') || null;
        return h('tr', { ...attrs, class: cls, on: onRowClick ? { click: () => onRowClick(r, i) } : undefined },
          columns.map(c => h('td', { class: [c.num ? 'num' : null, c.wrap ? 'wrap' : null].filter(Boolean).join(' ') || null }, c.render ? c.render(r) : r[c.key])));
      })));
}

export function badge(text, kind = '') { return h(`span.badge${kind ? '.' + kind : ''}`, text); }

export function loading() { return h('p.muted.loading', '加载中…'); }

export function problemBox(e) { return h('div.notice.error', { role: 'alert' }, e.message || String(e)); }

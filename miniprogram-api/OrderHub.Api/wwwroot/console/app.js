// OrderHub back-office console: sign-in, the shell with a menu per role, and a hash router (#/orders?status=…).
import { api, tokens, setTokens, whenSignedOut } from './api.js';
import { h, clear, problemBox } from './ui.js';
import { MENU, ROLE_LABELS, homeOf } from './perms.js';

const pages = {
  login: () => import('./pages/login.js'),
  dashboard: () => import('./pages/dashboard.js'),
  orders: () => import('./pages/orders.js'),
  returns: () => import('./pages/returns.js'),
  community: () => import('./pages/community.js'),
  customers: () => import('./pages/customers.js'),
  agents: () => import('./pages/agents.js'),
  catalog: () => import('./pages/catalog.js'),
  sync: () => import('./pages/sync.js'),
  golive: () => import('./pages/golive.js'),
  staff: () => import('./pages/staff.js'),
  reports: () => import('./pages/reports.js'),
  print: () => import('./pages/print.js'),
};

export const session = { me: null };
let cleanup = null;

/** Current route: { page, rest: ['123'], query: URLSearchParams } */
export function route() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs = ''] = raw.split('?');
  const [page = '', ...rest] = path.split('/').filter(Boolean);
  return { page, rest, query: new URLSearchParams(qs) };
}

export function go(path, { replace = false } = {}) {
  const target = '#/' + path.replace(/^#?\/?/, '');
  if (replace) { history.replaceState(null, '', target); render(); }
  else if (location.hash === target) render();
  else location.hash = target;
}

/** Updates the query of the current page without re-rendering it. */
export function setQuery(params) {
  const { page, rest } = route();
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ''));
  const s = q.toString();
  history.replaceState(null, '', `#/${[page, ...rest].join('/')}${s ? '?' + s : ''}`);
}

export function signOut() {
  setTokens(null);
  session.me = null;
  go('login');
}

whenSignedOut(() => { session.me = null; go('login'); });

async function loadMe() {
  if (session.me || !tokens()) return session.me;
  try {
    const me = await api.get('/api/auth/me');
    if (!ROLE_LABELS[me.role]) { setTokens(null); return null; }
    session.me = me;
  } catch { setTokens(null); }
  return session.me;
}

function shell(me, active) {
  const main = h('main#main', { tabindex: '-1' });
  const nav = h('nav.menu', { 'aria-label': '主菜单' },
    MENU.filter(m => m.roles(me.role)).map(m => h('a', { href: `#/${m.path}`, class: m.path === active ? 'active' : null, 'aria-current': m.path === active ? 'page' : null }, m.label)));
  const header = h('header.top',
    h('a.brand', { href: '#/' + homeOf(me.role) }, 'OrderHub 管理后台'),
    nav,
    h('div.me', h('span.user', me.name), h('span.badge', ROLE_LABELS[me.role]), h('button.btn.small', { type: 'button', on: { click: signOut } }, '退出')));
  clear(document.getElementById('app'), header, main);
  return main;
}

async function render() {
  if (cleanup) { try { cleanup(); } catch { /* page already gone */ } cleanup = null; }
  const r = route();
  const me = await loadMe();
  const root = document.getElementById('app');
  if (!me) {
    if (r.page !== 'login') { history.replaceState(null, '', '#/login'); }
    const mod = await pages.login();
    clear(root);
    cleanup = await mod.render(root, { onSignedIn: async () => { session.me = null; const m = await loadMe(); go(homeOf(m.role)); } }) || null;
    document.title = '登录 · OrderHub 管理后台';
    return;
  }
  // Print pages (拣货单, 发货单): the paper alone, no menu, for any staff member.
  if (r.page === 'print') {
    const mod = await pages.print();
    clear(root);
    cleanup = await mod.render(root, { me, route: r }) || null;
    return;
  }
  const item = MENU.find(m => m.path === r.page);
  if (!item || !item.roles(me.role)) { go(homeOf(me.role), { replace: true }); return; }
  const main = shell(me, r.page);
  document.title = `${item.label} · OrderHub 管理后台`;
  try {
    const mod = await pages[r.page]();
    cleanup = await mod.render(main, { me, route: r }) || null;
  } catch (e) {
    clear(main, problemBox(e));
  }
}

window.addEventListener('hashchange', render);
render();

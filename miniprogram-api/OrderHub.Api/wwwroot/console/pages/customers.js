// 客户: list with balance and credit; detail with users, agent, group; statement for a period with CSV/XLSX download; payment entry.
import { api, newIdempotencyKey } from '../api.js';
import { h, clear, money, dateTime, shanghaiDate, parseYuan, toast, badge, loading, problemBox, table, attempt } from '../ui.js';
import { can } from '../perms.js';
import { go, setQuery } from '../app.js';
import { prepaidPanel } from './prepaid-refunds.js';

const METHODS = [['bank_transfer', '银行转账'], ['wechat', '微信'], ['alipay', '支付宝'], ['cash', '现金'], ['cheque', '支票'], ['acceptance', '承兑汇票'], ['other', '其他']];
const USER_ROLES = { owner: '老板', clerk: '店员' };

export async function render(main, ctx) {
  if (ctx.route.rest[0]) return detail(main, ctx, Number(ctx.route.rest[0]));
  return list(main, ctx);
}

async function list(main, { route }) {
  const state = { q: route.query.get('q') || '', items: [], next: null };
  const search = h('input#customer-search', { type: 'search', placeholder: '搜索 客户名称 / 编码', value: state.q, 'aria-label': '搜索客户' });
  const box = h('div');
  const more = h('button.btn.small', { type: 'button', hidden: true, on: { click: () => load(true) } }, '加载更多');
  clear(main, h('div.page-head', h('h1', '客户')),
    h('form.filters', { on: { submit: e => { e.preventDefault(); state.q = search.value.trim(); setQuery({ q: state.q }); load(false); } } },
      search, h('button.btn', { type: 'submit' }, '搜索')),
    box, more);

  async function load(append) {
    if (!append) clear(box, loading());
    const p = new URLSearchParams({ limit: '50' });
    if (state.q) p.set('q', state.q);
    if (append && state.next) p.set('after', state.next);
    try {
      const page = await api.get('/api/admin/customers?' + p);
      state.items = append ? state.items.concat(page.items) : page.items;
      state.next = page.nextCursor;
      more.hidden = !state.next;
      clear(box, table([
        { label: '编码', render: c => h('span.mono', c.code) },
        { label: '名称', render: c => h('a', { href: `#/customers/${c.id}` }, c.name) },
        { label: '等级', render: c => c.groupName || '—' },
        { label: '业务员', render: c => c.agentName || '—' },
        { label: '区域', render: c => c.region || '—' },
        { label: '信用额度', num: true, render: c => c.creditLimit.fen > 0 ? money(c.creditLimit.fen) : '不限' },
        { label: '应收余额', num: true, render: c => money(c.balance.fen) },
        { label: '状态', render: c => c.active ? '正常' : badge('停用', 'muted') },
      ], state.items, { onRowClick: c => go(`customers/${c.id}`) }));
    } catch (e) { clear(box, problemBox(e)); }
  }
  await load(false);
}

async function detail(main, { me, route }, id) {
  clear(main, loading());
  let c;
  try { c = await api.get(`/api/admin/customers/${id}`); } catch (e) { clear(main, problemBox(e)); return; }

  const today = shanghaiDate();
  const fromInput = h('input#statement-from', { type: 'date', value: route.query.get('from') || today.slice(0, 8) + '01', 'aria-label': '对账开始日期' });
  const toInput = h('input#statement-to', { type: 'date', value: route.query.get('to') || today, 'aria-label': '对账结束日期' });
  const statementBox = h('div#statement');
  const summary = h('div.cards');

  function drawSummary() {
    clear(summary,
      h('div.card', h('h3', '基本信息'), h('dl.kv',
        h('dt', '编码'), h('dd.mono', c.code),
        h('dt', '联系人'), h('dd', `${c.contactName || '—'} ${c.phone || ''}`),
        h('dt', '地址'), h('dd', c.address || '—'),
        h('dt', '区域'), h('dd', c.region || '—'),
        h('dt', '等级'), h('dd', c.group ? c.group.name : '—'),
        h('dt', '业务员'), h('dd', c.agent ? `${c.agent.name} (${c.agent.code})` : '—'))),
      h('div.card', h('h3', '余额与信用'), h('dl.kv',
        h('dt', '应收余额'), h('dd.strong#customer-balance', money(c.balance.fen)),
        h('dt', '信用额度'), h('dd', c.creditLimit.fen > 0 ? money(c.creditLimit.fen) : '不限'),
        h('dt', '在途订单'), h('dd', money(c.openOrderTotal.fen)),
        h('dt', '可用额度'), h('dd', c.availableCredit ? money(c.availableCredit.fen) : '不限'),
        h('dt', 'ERP 应收'), h('dd', money(c.erpReceivable.fen)))),
      h('div.card', h('h3', '门店用户'), c.users.length
        ? h('ul.plain', c.users.map(u => h('li', u.name, ' ', badge(USER_ROLES[u.role] || u.role), u.phone ? h('small.muted', ' ' + u.phone) : null, u.active ? null : badge('停用', 'muted'))))
        : h('p.muted', '暂无用户')));
  }

  async function loadStatement() {
    setQuery({ from: fromInput.value, to: toInput.value });
    clear(statementBox, loading());
    try {
      const s = await api.get(`/api/admin/customers/${id}/statement?from=${fromInput.value}&to=${toInput.value}`);
      clear(statementBox,
        h('p', `期间 ${s.from} 至 ${s.to} · 期初余额 `, h('strong#statement-opening', money(s.openingBalance.fen)),
          ' · 本期增加 ', money(s.debitTotal.fen), ' · 本期减少 ', money(s.creditTotal.fen),
          ' · 期末余额 ', h('strong#statement-closing', money(s.closingBalance.fen))),
        table([
          { label: '日期', key: 'date' },
          { label: '类型', key: 'kindText' },
          { label: '单据', render: l => l.reference || '—' },
          { wrap: true, label: '摘要', render: l => l.note || '' },
          { label: '增加 (应收)', num: true, render: l => l.debitFen ? money(l.debitFen) : '' },
          { label: '减少 (收款/退货)', num: true, render: l => l.creditFen ? money(l.creditFen) : '' },
          { label: '余额', num: true, render: l => money(l.balanceFen) },
        ], s.lines, { empty: '本期无往来' }));
    } catch (e) { clear(statementBox, problemBox(e)); }
  }

  async function download(format) {
    await attempt(async () => {
      const r = await api.download(`/api/admin/customers/${id}/statement/download?format=${format}&from=${fromInput.value}&to=${toInput.value}`, `statement.${format}`);
      toast(`已下载 ${r.name}`);
    });
  }

  const payment = can.payments(me.role) ? paymentForm(id, async () => { c = await api.get(`/api/admin/customers/${id}`); drawSummary(); await loadStatement(); }) : null;

  drawSummary();
  clear(main,
    h('div.page-head', h('h1', c.name), h('a.btn.small', { href: '#/customers' }, '← 客户列表')),
    summary,
    h('section.panel', h('h2', '对账单'),
      h('form.filters', { on: { submit: e => { e.preventDefault(); loadStatement(); } } },
        h('label.inline', '从', fromInput), h('label.inline', '到', toInput),
        h('button.btn', { type: 'submit' }, '查询'),
        h('button.btn#download-csv', { type: 'button', on: { click: () => download('csv') } }, '下载 CSV'),
        h('button.btn#download-xlsx', { type: 'button', on: { click: () => download('xlsx') } }, '下载 Excel')),
      statementBox),
    payment,
    can.payments(me.role) ? prepaidPanel(id, loadStatement) : null);
  await loadStatement();
}

function paymentForm(customerId, onSaved) {
  // One key per payment being entered: a double click or a retry after a network error never books it twice.
  let key = newIdempotencyKey();
  const amount = h('input#payment-amount', { inputmode: 'decimal', placeholder: '例如 1000.00', required: true, 'aria-label': '收款金额 (元)' });
  const paidOn = h('input#payment-date', { type: 'date', value: shanghaiDate(), 'aria-label': '收款日期' });
  const method = h('select#payment-method', { 'aria-label': '收款方式' }, METHODS.map(([v, l]) => h('option', { value: v }, l)));
  const reference = h('input#payment-reference', { placeholder: '银行流水号 / 单据号', 'aria-label': '单据号' });
  const note = h('input#payment-note', { placeholder: '备注', 'aria-label': '备注' });
  const submit = h('button.btn.primary', { type: 'submit' }, '登记收款');
  for (const el of [amount, paidOn, method, reference, note]) el.addEventListener('input', () => { key = newIdempotencyKey(); });
  const form = h('form.panel.payment', { 'aria-label': '登记收款' },
    h('h2', '登记收款'),
    h('div.row', h('label.field', h('span', '金额 (元)'), amount), h('label.field', h('span', '日期'), paidOn), h('label.field', h('span', '方式'), method),
      h('label.field', h('span', '单据号'), reference), h('label.field', h('span', '备注'), note)),
    submit);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const fen = parseYuan(amount.value);
    if (!fen || fen <= 0) { toast('请输入正确的金额 (最多两位小数)', 'error'); amount.focus(); return; }
    submit.disabled = true;
    const ok = await attempt(() => api.post(`/api/admin/customers/${customerId}/payments`,
      { amountFen: fen, paidOn: paidOn.value, method: method.value, reference: reference.value || null, note: note.value || null },
      { 'Idempotency-Key': key }), `已登记收款 ${money(fen)}`);
    submit.disabled = false;
    if (ok) {
      key = newIdempotencyKey();
      amount.value = ''; reference.value = ''; note.value = '';
      await onSaved();
    }
  });
  return form;
}

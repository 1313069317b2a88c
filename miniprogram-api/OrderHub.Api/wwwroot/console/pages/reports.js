// 报表: lifecycle, retention, gross profit, agent scorecard, cross-sell gaps, per-store insight, 80/20, receivables ageing,
// agent performance, sales by dimension. One page per report (#/reports/<key>?from&to&agentId&groupId&…): filters, small
// inline SVG charts, tables whose figures link to the orders behind them, and 导出 Excel of the table as shown.
import { api } from '../api.js';
import { h, clear, money, loading, problemBox, toast, shanghaiDate } from '../ui.js';
import { setQuery, go } from '../app.js';

const pct = x => x === null || x === undefined ? '—' : `${(Number(x) * 100).toFixed(2)}%`;
const num = x => x === null || x === undefined ? '—' : String(x);
const FORMAT = { money, percent: pct, number: num, text: x => x ?? '—' };

/** Orders behind a figure: the orders page filtered (all statuses) by store / agent / period; dateBy 'shipped' for
 *  figures counted by 发货 date (gross profit), so the list is the orders shipped in the period. */
export function ordersLink(f) {
  const q = new URLSearchParams({ status: 'all' });
  for (const k of ['customerId', 'agentId', 'channel', 'from', 'to', 'dateBy']) if (f[k]) q.set(k, f[k]);
  return `#/orders?${q}`;
}

function monthStart() { return shanghaiDate().slice(0, 8) + '01'; }

const REPORTS = [
  { key: 'lifecycle', label: '客户生命周期', filters: [], load: lifecycle },
  { key: 'retention', label: '留存', filters: [], load: retention },
  { key: 'gross-profit', label: '毛利', filters: ['period', 'agent', 'groupBy'], load: grossProfit },
  { key: 'scorecard', label: '业务员记分卡', filters: ['period'], load: scorecard },
  { key: 'chat-won', label: '聊天成交', filters: ['period', 'agent'], load: chatWon },
  { key: 'cross-sell', label: '品类空白', filters: ['store'], load: crossSell },
  { key: 'insight', label: '门店洞察', filters: ['store'], load: insight },
  { key: 'key-customers', label: '二八客户', filters: ['period'], load: keyCustomers },
  { key: 'ageing', label: '应收账龄', filters: [], load: ageing },
  { key: 'agents', label: '业务员业绩', filters: ['period', 'agent'], load: agentPerformance },
  { key: 'sales', label: '销售分析', filters: ['period', 'agent', 'group', 'salesBy'], load: sales },
];

const PROFIT_BY = [['store', '门店'], ['agent', '业务员'], ['product', '商品'], ['category', '品类'], ['month', '月份']];
const SALES_BY = [['day', '日'], ['week', '周'], ['month', '月'], ['category', '品类'], ['brand', '品牌'], ['region', '区域'], ['agent', '业务员'], ['customerGroup', '客户等级']];

export async function render(main, { route }) {
  const report = REPORTS.find(r => r.key === route.rest[0]) || REPORTS[0];
  const q = route.query;
  const f = {
    from: q.get('from') || monthStart(), to: q.get('to') || shanghaiDate(), agentId: q.get('agentId') || '', groupId: q.get('groupId') || '',
    groupBy: q.get('groupBy') || (report.key === 'sales' ? 'day' : 'store'), customerId: q.get('customerId') || '', store: q.get('store') || '',
  };
  const body = h('div#report-body');
  const tabs = h('nav.tabs.report-tabs', { 'aria-label': '报表' }, REPORTS.map(r =>
    h('a.tab', { href: `#/reports/${r.key}`, class: r === report ? 'active' : null, 'aria-current': r === report ? 'page' : null }, r.label)));
  const form = h('form.filters#report-filters', { on: { submit: e => { e.preventDefault(); apply(); } } });
  const inputs = {};
  if (report.filters.includes('period')) {
    inputs.from = h('input#report-from', { type: 'date', value: f.from, 'aria-label': '开始日期' });
    inputs.to = h('input#report-to', { type: 'date', value: f.to, 'aria-label': '结束日期' });
    form.append(h('label.inline', '从', inputs.from), h('label.inline', '到', inputs.to));
  }
  if (report.filters.includes('agent')) {
    inputs.agentId = h('select#report-agent', { 'aria-label': '业务员' }, h('option', { value: '' }, '全部业务员'));
    form.append(inputs.agentId);
    api.get('/api/admin/agents').then(list => { for (const a of list) inputs.agentId.append(h('option', { value: a.id }, `${a.name} (${a.code})`)); inputs.agentId.value = f.agentId; })
      .catch(() => { inputs.agentId.hidden = true; });
  }
  if (report.filters.includes('group')) {
    inputs.groupId = h('select#report-group', { 'aria-label': '客户等级' }, h('option', { value: '' }, '全部等级'));
    form.append(inputs.groupId);
    api.get('/api/admin/catalog/groups').then(list => { for (const g of list) inputs.groupId.append(h('option', { value: g.id }, g.name)); inputs.groupId.value = f.groupId; })
      .catch(() => { inputs.groupId.hidden = true; });
  }
  if (report.filters.includes('groupBy') || report.filters.includes('salesBy')) {
    const opts = report.key === 'sales' ? SALES_BY : PROFIT_BY;
    inputs.groupBy = h('select#report-group-by', { 'aria-label': '分组' }, opts.map(([v, l]) => h('option', { value: v }, `按${l}`)));
    inputs.groupBy.value = f.groupBy;
    form.append(inputs.groupBy);
  }
  if (report.filters.includes('store')) {
    inputs.store = h('input#report-store', { type: 'search', value: f.store, placeholder: '客户编码或名称', 'aria-label': '门店' });
    form.append(inputs.store);
  }
  if (form.children.length) form.append(h('button.btn', { type: 'submit' }, '查询'));
  for (const k of ['agentId', 'groupId', 'groupBy']) inputs[k]?.addEventListener('change', apply);

  clear(main, h('div.page-head', h('h1', '报表'), h('p.muted', '点击数字查看其背后的订单')), tabs, form, body);

  function apply() {
    for (const [k, el] of Object.entries(inputs)) f[k] = el.value.trim();
    if (report.filters.includes('store')) f.customerId = '';
    setQuery(Object.fromEntries(['from', 'to', 'agentId', 'groupId', 'groupBy', 'store', 'customerId']
      .filter(k => k in inputs || (k === 'customerId' && f.customerId)).map(k => [k, f[k]])));
    draw();
  }

  async function draw() {
    clear(body, loading());
    try {
      const parts = await report.load(f);
      clear(body, parts);
    } catch (e) { clear(body, problemBox(e)); }
  }
  await draw();
}

// ---- building blocks ------------------------------------------------------------------------------------------------

/** A table of figures with an 导出 Excel button: columns [{label, kind, value: row => raw, link: row => href}]. */
function figures(title, columns, rows, { id, empty = '暂无数据' } = {}) {
  const exportBtn = h('button.btn.small', { type: 'button', dataset: { export: id || 'report' }, on: { click: () => exportXlsx(title, columns, rows) } }, '导出 Excel');
  return h('section.panel.report-table', { id, dataset: { title } },
    h('div.panel-head', h('h2', title), exportBtn),
    h('table.grid',
      h('thead', h('tr', columns.map(c => h('th', { class: c.kind && c.kind !== 'text' ? 'num' : null }, c.label)))),
      h('tbody', rows.length === 0 ? h('tr', h('td.empty', { colspan: columns.length }, empty)) : rows.map(r => h('tr', columns.map(c => {
        const v = c.value(r);
        const text = (FORMAT[c.kind || 'text'])(v);
        const href = c.link ? c.link(r) : null;
        return h('td', { class: c.kind && c.kind !== 'text' ? 'num' : null, dataset: { col: c.label } }, href ? h('a.figure', { href }, text) : text);
      }))))));
}

async function exportXlsx(title, columns, rows) {
  const table = {
    title,
    columns: columns.map(c => ({ label: c.label, kind: c.kind || 'text' })),
    rows: rows.map(r => columns.map(c => { const v = c.value(r); return v === undefined ? null : (c.kind && c.kind !== 'text' ? (v === null ? null : Number(v)) : (v === null ? null : String(v))); })),
  };
  try { await api.downloadPost('/api/admin/reports/download', table, `${title}.xlsx`); }
  catch (e) { toast(e.message, 'error'); }
}

function kpis(items) {
  return h('div.kpis', items.map(([label, value, href, id]) => h(href ? 'a.kpi' : 'div.kpi', { href, id }, h('span.label', label), h('span.value', value))));
}

/** A small horizontal bar chart in inline SVG: items [{label, value}], values formatted by fmt. */
function bars(title, items, fmt = num) {
  const top = items.slice(0, 12);
  const max = Math.max(1, ...top.map(i => Math.abs(Number(i.value) || 0)));
  const W = 560, row = 24, left = 150, right = 110;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${top.length * row + 4}" width="100%" role="img" aria-label="${esc(title)}">` +
    top.map((i, n) => {
      const w = Math.max(0, (Math.abs(Number(i.value) || 0) / max) * (W - left - right));
      const y = n * row + 2;
      return `<text x="${left - 6}" y="${y + 16}" text-anchor="end" font-size="12">${esc(String(i.label).slice(0, 14))}</text>` +
        `<rect x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}" fill="${Number(i.value) < 0 ? '#d9534f' : '#2f6fde'}"/>` +
        `<text x="${left + w + 6}" y="${y + 16}" font-size="12">${esc(fmt(i.value))}</text>`;
    }).join('') + '</svg>';
  const box = h('section.panel.chart-svg', h('h2', title));
  box.insertAdjacentHTML('beforeend', top.length ? svg : '<p class="muted">暂无数据</p>');
  return box;
}

/** Retention curves: one polyline per cohort over the 1/3/6/12-month offsets, shares 0–100%. */
function curves(title, cohorts) {
  const W = 560, H = 200, L = 40, B = 24, offsets = [1, 3, 6, 12];
  const x = i => L + (i / (offsets.length - 1)) * (W - L - 20);
  const y = s => 10 + (1 - s) * (H - B - 10);
  const colors = ['#2f6fde', '#e8833a', '#3a9e6e', '#8e5ccf', '#d9534f', '#5bc0de'];
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(title)}">`;
  for (const s of [0, 0.5, 1]) svg += `<line x1="${L}" x2="${W - 20}" y1="${y(s)}" y2="${y(s)}" stroke="#ddd"/><text x="${L - 4}" y="${y(s) + 4}" font-size="11" text-anchor="end">${s * 100}%</text>`;
  offsets.forEach((o, i) => { svg += `<text x="${x(i)}" y="${H - 6}" font-size="11" text-anchor="middle">${o}个月</text>`; });
  cohorts.slice(-6).forEach((c, n) => {
    const pts = c.retained.map((r, i) => r.share === null ? null : `${x(i).toFixed(1)},${y(Number(r.share)).toFixed(1)}`).filter(Boolean);
    if (pts.length) svg += `<polyline fill="none" stroke="${colors[n % colors.length]}" stroke-width="2" points="${pts.join(' ')}"><title>${esc(c.month)}</title></polyline>`;
  });
  svg += '</svg>';
  const box = h('section.panel.chart-svg', h('h2', title));
  box.insertAdjacentHTML('beforeend', svg);
  return box;
}

function esc(s) { return String(s).replace(/[&<>"]/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[ch])); }

function qs(f, keys) {
  const p = new URLSearchParams();
  for (const k of keys) if (f[k]) p.set(k, f[k]);
  return p.toString();
}

async function resolveStore(f) {
  if (f.customerId) return { id: Number(f.customerId) };
  if (!f.store) return null;
  const page = await api.get('/api/admin/customers?' + new URLSearchParams({ q: f.store, limit: '5' }));
  const exact = page.items.find(c => c.code === f.store || c.name === f.store);
  return exact || page.items[0] || null;
}

// ---- the reports ----------------------------------------------------------------------------------------------------

async function lifecycle() {
  const d = await api.get('/api/admin/reports/lifecycle');
  const slipped = d.stores.filter(s => s.slipped);
  return [
    kpis(d.stages.map(s => [s.label, `${s.stores} 家`, null, `stage-${s.stage}`])),
    bars('各阶段门店数', d.stages.map(s => ({ label: s.label, value: s.stores }))),
    figures('刚下滑的门店', [
      { label: '门店', value: s => `${s.name} (${s.code})`, link: s => ordersLink({ customerId: s.customerId }) },
      { label: '原阶段', value: s => s.previousStage }, { label: '现阶段', value: s => s.stageLabel },
      { label: '变化日期', value: s => s.changedOn }, { label: '原因', value: s => s.reason },
      { label: '距上次下单天数', kind: 'number', value: s => s.daysSinceLastOrder },
    ], slipped, { id: 'slipped', empty: '近期没有下滑的门店' }),
    figures('全部门店阶段', [
      { label: '门店', value: s => `${s.name} (${s.code})`, link: s => ordersLink({ customerId: s.customerId }) },
      { label: '阶段', value: s => s.stageLabel }, { label: '原因', value: s => s.reason },
      { label: '近期订货日', kind: 'number', value: s => s.recentOrderDays }, { label: '近期毛利', kind: 'money', value: s => s.recentGrossProfitFen },
      { label: '上期毛利', kind: 'money', value: s => s.previousGrossProfitFen },
    ], d.stores, { id: 'stages' }),
  ];
}

async function retention() {
  const d = await api.get('/api/admin/reports/retention');
  const cell = i => c => c.retained[i]?.share ?? null;
  return [
    kpis([['流失门店', `${d.churnedStores} 家`, null, 'kpi-churned'], ['流失门店此前一年销售额', money(d.churnedRevenueFen), null, 'kpi-churned-revenue']]),
    curves('留存曲线 (最近 6 个队列)', d.cohorts),
    figures('月度新客队列', [
      { label: '首单月份', value: c => c.month }, { label: '新客数', kind: 'number', value: c => c.stores },
      { label: '1 个月', kind: 'percent', value: cell(0) }, { label: '3 个月', kind: 'percent', value: cell(1) },
      { label: '6 个月', kind: 'percent', value: cell(2) }, { label: '12 个月', kind: 'percent', value: cell(3) },
    ], d.cohorts, { id: 'cohorts' }),
  ];
}

async function grossProfit(f) {
  const d = await api.get('/api/admin/reports/gross-profit?' + qs(f, ['from', 'to', 'groupBy', 'agentId']));
  const shipped = 'shipped';
  const link = r => f.groupBy === 'store' ? ordersLink({ customerId: r.key, agentId: f.agentId, from: f.from, to: f.to, dateBy: shipped })
    : f.groupBy === 'agent' ? ordersLink({ agentId: r.key === '0' ? '' : r.key, from: f.from, to: f.to, dateBy: shipped })
    : f.groupBy === 'month' ? ordersLink({ agentId: f.agentId, from: r.key + '-01', to: monthEnd(r.key), dateBy: shipped }) : null;
  return [
    kpis([['收入', money(d.total.revenueFen), null, 'kpi-revenue'], ['成本', money(d.total.costFen), null, 'kpi-cost'],
      ['毛利', money(d.total.grossProfitFen), ordersLink({ agentId: f.agentId, from: f.from, to: f.to, dateBy: shipped }), 'kpi-gross-profit'], ['毛利率', pct(d.total.margin), null, 'kpi-margin']]),
    bars('毛利', d.rows.map(r => ({ label: r.label, value: r.grossProfitFen })), money),
    figures(`毛利 ${d.from} 至 ${d.to}`, [
      { label: PROFIT_BY.find(([v]) => v === f.groupBy)?.[1] || '分组', value: r => r.label },
      { label: '订单数', kind: 'number', value: r => r.orders }, { label: '收入', kind: 'money', value: r => r.revenueFen },
      { label: '成本', kind: 'money', value: r => r.costFen }, { label: '毛利', kind: 'money', value: r => r.grossProfitFen, link },
      { label: '毛利率', kind: 'percent', value: r => r.margin }, { label: '无成本行', kind: 'number', value: r => r.linesWithoutCost },
    ], d.rows, { id: 'profit' }),
    h('p.muted', '收入与成本按发货日计；点击毛利查看该期间下单的订单。'),
  ];
}

function monthEnd(key) {
  const [y, m] = key.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${key}-${String(last).padStart(2, '0')}`;
}

async function scorecard(f) {
  const d = await api.get('/api/admin/reports/agent-scorecard?' + qs(f, ['from', 'to']));
  return [
    bars('毛利排名', d.agents.map(a => ({ label: a.name, value: a.grossProfitFen })), money),
    figures(`业务员记分卡 ${d.from} 至 ${d.to}`, [
      { label: '排名', kind: 'number', value: a => a.rank }, { label: '业务员', value: a => `${a.name} (${a.code})` },
      { label: '毛利', kind: 'money', value: a => a.grossProfitFen, link: a => ordersLink({ agentId: a.agentId, from: d.from, to: d.to, dateBy: 'shipped' }) },
      { label: '上期毛利', kind: 'money', value: a => a.previousGrossProfitFen }, { label: '毛利率', kind: 'percent', value: a => a.margin },
      { label: '活跃门店', kind: 'number', value: a => a.activeStores, link: a => ordersLink({ agentId: a.agentId, from: d.from, to: d.to }) },
      { label: '转自助订货', kind: 'number', value: a => a.movedToSelfOrderingCount, link: a => ordersLink({ agentId: a.agentId, channel: 'self', from: d.from, to: d.to }) },
      { label: '转自助门店', value: a => a.movedToSelfOrdering.map(s => s.name).join('、') },
      { label: '增长品类', kind: 'number', value: a => a.categoriesGrownCount }, { label: '品类', value: a => a.categoriesGrown.map(c => c.name).join('、') },
      { label: '巡店', kind: 'number', value: a => a.storeVisits }, { label: '回访', kind: 'number', value: a => a.calls },
    ], d.agents, { id: 'scorecard' }),
    h('p.muted', `上期 ${d.previousFrom} 至 ${d.previousTo}。转自助订货：上期自助单 ≤ 一半、本期 > 一半的门店；增长品类：一级品类毛利高于上期。`),
  ];
}

/** 聊天成交 (issue #20): cards the agents sent in WeChat Work chats → opened → ordered; one agent's stores when one is chosen. */
async function chatWon(f) {
  const period = qs(f, ['from', 'to']);
  if (!f.agentId) {
    const agents = await api.get('/api/admin/agents');
    const rows = (await Promise.all(agents.map(async a => Object.assign({ name: a.name, code: a.code },
      await api.get(`/api/admin/reports/chat-won?agentId=${a.id}&${period}`)))))
      .filter(r => r.cardsSent > 0).sort((x, y) => y.revenueFen - x.revenueFen || y.cardsOpened - x.cardsOpened);
    return [
      kpis([['发出卡片', String(rows.reduce((n, r) => n + r.cardsSent, 0)), null, 'kpi-cards'],
        ['聊天成交', money(rows.reduce((n, r) => n + r.revenueFen, 0)), null, 'kpi-chat-revenue']]),
      bars('聊天成交金额', rows.map(r => ({ label: r.name, value: r.revenueFen })), money),
      figures('业务员聊天成交', [
        { label: '业务员', value: r => `${r.name} (${r.code})`, link: r => `#/reports/chat-won?${new URLSearchParams({ agentId: r.agentId, from: r.from, to: r.to })}` },
        ...chatColumns(r => ordersLink({ agentId: r.agentId, from: r.from, to: r.to })),
        { label: '触达门店', kind: 'number', value: r => r.storesReached }, { label: '下单门店', kind: 'number', value: r => r.storesOrdered },
      ], rows, { id: 'chat-agents', empty: '本期没有发出卡片' }),
    ];
  }
  const d = await api.get(`/api/admin/reports/chat-won?agentId=${encodeURIComponent(f.agentId)}&${period}`);
  return [
    kpis([['发出卡片', String(d.cardsSent), null, 'kpi-cards'], ['打开', String(d.cardsOpened), null, 'kpi-opened'],
      ['成交订单', String(d.orders), null, 'kpi-orders'], ['聊天成交', money(d.revenueFen), null, 'kpi-chat-revenue'],
      ['毛利 (已发货)', money(d.grossProfitFen), null, 'kpi-chat-gross-profit'],
      ['触达门店', String(d.storesReached), null, 'kpi-reached'], ['下单门店', String(d.storesOrdered), null, 'kpi-ordered']]),
    bars('各门店聊天成交', d.stores.map(s => ({ label: s.name, value: s.revenueFen })), money),
    figures(`聊天成交 ${d.from} 至 ${d.to}`, [
      { label: '门店', value: s => s.name, link: s => ordersLink({ customerId: s.customerId, from: d.from, to: d.to }) },
      ...chatColumns(s => ordersLink({ customerId: s.customerId, from: d.from, to: d.to })),
    ], d.stores, { id: 'chat-stores', empty: '本期没有发出卡片' }),
    h('p.muted', '卡片按发出日期计入本期；订单为从该卡片的分享码下的单（不含已取消、已驳回）；毛利为其中已发货的订单，扣除已完成的退货' +
      (d.linesWithoutCost ? `，其中 ${d.linesWithoutCost} 行 ERP 未给成本，按零成本计` : '') + '。'),
  ];
}

function chatColumns(link) {
  return [
    { label: '发出卡片', kind: 'number', value: r => r.cardsSent }, { label: '打开', kind: 'number', value: r => r.cardsOpened },
    { label: '订单', kind: 'number', value: r => r.orders }, { label: '成交金额', kind: 'money', value: r => r.revenueFen, link },
    { label: '毛利', kind: 'money', value: r => r.grossProfitFen },
  ];
}

async function crossSell(f) {
  const store = await resolveStore(f);
  if (!store) return h('p.muted', '输入门店编码或名称后查询');
  const gaps = await api.get(`/api/admin/customers/${store.id}/cross-sell`);
  return [
    h('h2#store-name', store.name ? `${store.name} (${store.code})` : `门店 #${store.id}`),
    bars('预期毛利', gaps.map(g => ({ label: g.name, value: g.expectedGrossProfitFen })), money),
    figures(`品类空白 ${store.name || store.id}`, [
      { label: '类型', value: g => g.kind === 'Category' ? '整个品类' : '单品' }, { label: '名称', value: g => g.name },
      { label: '品类', value: g => g.categoryName }, { label: '相似门店购买', kind: 'number', value: g => g.peersBuying },
      { label: '相似门店', kind: 'number', value: g => g.peers }, { label: '渗透率', kind: 'percent', value: g => g.adoption },
      { label: '平均毛利', kind: 'money', value: g => g.averageGrossProfitFen }, { label: '预期毛利', kind: 'money', value: g => g.expectedGrossProfitFen },
    ], gaps, { id: 'gaps', empty: '该门店没有品类空白' }),
  ];
}

async function insight(f) {
  const store = await resolveStore(f);
  if (!store) return h('p.muted', '输入门店编码或名称后查询');
  const d = await api.get(`/api/admin/customers/${store.id}/insight`);
  const rev = r => ordersLink({ customerId: d.customerId, from: r.from, to: r.to });
  return [
    h('h2#store-name', `${d.name} (${d.code})`),
    kpis([
      ['今年销售额', money(d.thisYear.revenueFen), rev(d.thisYear), 'kpi-this-year'], ['上月', money(d.lastMonth.revenueFen), rev(d.lastMonth), 'kpi-last-month'],
      ['本月', money(d.thisMonth.revenueFen), rev(d.thisMonth), 'kpi-this-month'], ['订单数', `${d.orderCount} 单`, ordersLink({ customerId: d.customerId }), 'kpi-orders'],
      ['应收', money(d.receivableFen), null, 'kpi-receivable'], ['自助订货占比', pct(d.selfOrderShare), null, 'kpi-self-share'],
      ['平均间隔', d.averageIntervalDays === null ? '—' : `${d.averageIntervalDays} 天`, null, 'kpi-interval'],
      ['距上次联系', d.daysSinceLastContact === null ? '—' : `${d.daysSinceLastContact} 天`, null, 'kpi-contact'],
    ]),
    figures(`门店洞察 ${d.name} 常购商品`, [
      { label: '编码', value: i => i.sku }, { label: '商品', value: i => i.name }, { label: '数量', kind: 'number', value: i => i.quantity },
      { label: '金额', kind: 'money', value: i => i.amountFen }, { label: '订单数', kind: 'number', value: i => i.orders },
    ], d.topItems, { id: 'top-items' }),
  ];
}

async function keyCustomers(f) {
  const d = await api.get('/api/admin/reports/key-customers?' + qs(f, ['from', 'to']));
  const change = (title, list, id) => figures(title, [
    { label: '门店', value: c => `${c.name} (${c.code})`, link: c => ordersLink({ customerId: c.customerId, from: d.from, to: d.to }) },
    { label: '本期', kind: 'money', value: c => c.revenueFen }, { label: '上期', kind: 'money', value: c => c.previousRevenueFen },
  ], list, { id, empty: '无' });
  return [
    kpis([['总销售额', money(d.totalRevenueFen), ordersLink({ from: d.from, to: d.to }), 'kpi-total'], ['重点客户', `${d.keyCount} / ${d.customersWithRevenue} 家`, null, 'kpi-key-count'],
      ['上期重点客户', `${d.previousKeyCount} 家`, null, 'kpi-previous-key-count']]),
    bars('重点客户销售额', d.customers.map(c => ({ label: c.name, value: c.revenueFen })), money),
    figures(`二八客户 ${d.from} 至 ${d.to}`, [
      { label: '排名', kind: 'number', value: c => c.rank }, { label: '门店', value: c => `${c.name} (${c.code})` },
      { label: '销售额', kind: 'money', value: c => c.revenueFen, link: c => ordersLink({ customerId: c.customerId, from: d.from, to: d.to }) },
      { label: '占比', kind: 'percent', value: c => c.share }, { label: '累计占比', kind: 'percent', value: c => c.cumulativeShare },
      { label: '新进入', value: c => c.entered ? '是' : '' },
    ], d.customers, { id: 'key' }),
    change('本期新进入', d.entered, 'entered'),
    change('本期退出', d.left, 'left'),
  ];
}

async function ageing() {
  const d = await api.get('/api/admin/reports/receivables-ageing');
  const t = d.totals;
  return [
    kpis([['应收合计', money(t.totalFen), null, 'kpi-ageing-total'], ['0–30 天', money(t.days0To30Fen)], ['31–60 天', money(t.days31To60Fen)],
      ['61–90 天', money(t.days61To90Fen)], ['90 天以上', money(t.over90Fen), null, 'kpi-over-90']]),
    bars('账龄分布', [['0–30 天', t.days0To30Fen], ['31–60 天', t.days31To60Fen], ['61–90 天', t.days61To90Fen], ['90 天以上', t.over90Fen]].map(([label, value]) => ({ label, value })), money),
    figures(`应收账龄 截至 ${d.asOf}`, [
      { label: '门店', value: c => `${c.name} (${c.code})`, link: c => ordersLink({ customerId: c.customerId }) },
      { label: '业务员', value: c => c.agentName }, { label: '余额', kind: 'money', value: c => c.balanceFen },
      { label: '0–30 天', kind: 'money', value: c => c.buckets.days0To30Fen }, { label: '31–60 天', kind: 'money', value: c => c.buckets.days31To60Fen },
      { label: '61–90 天', kind: 'money', value: c => c.buckets.days61To90Fen }, { label: '90 天以上', kind: 'money', value: c => c.buckets.over90Fen },
    ], d.customers, { id: 'ageing' }),
  ];
}

async function agentPerformance(f) {
  const d = await api.get('/api/admin/reports/agents?' + qs(f, ['from', 'to', 'agentId']));
  return [
    bars('归属销售额', d.agents.map(a => ({ label: a.name, value: a.attributedFen })), money),
    figures(`业务员业绩 ${d.from} 至 ${d.to}`, [
      { label: '业务员', value: a => `${a.name} (${a.code})` },
      { label: '订单', kind: 'number', value: a => a.attributedOrders, link: a => ordersLink({ agentId: a.agentId, from: d.from, to: d.to }) },
      { label: '归属销售额', kind: 'money', value: a => a.attributedFen, link: a => ordersLink({ agentId: a.agentId, from: d.from, to: d.to }) },
      { label: '代客下单', kind: 'money', value: a => a.proxyFen, link: a => ordersLink({ agentId: a.agentId, channel: 'proxy', from: d.from, to: d.to }) },
      { label: '门店自助', kind: 'money', value: a => a.ownerFen }, { label: '分享链接', kind: 'money', value: a => a.shareLinkFen },
      { label: '客户数', kind: 'number', value: a => a.customers }, { label: '自助下单门店', kind: 'number', value: a => a.selfOrderingCustomers },
      { label: '新转自助', kind: 'number', value: a => a.convertedCustomers }, { label: '巡店', kind: 'number', value: a => a.storeVisits }, { label: '回访', kind: 'number', value: a => a.calls },
    ], d.agents, { id: 'agents' }),
  ];
}

async function sales(f) {
  const d = await api.get('/api/admin/reports/sales?' + qs(f, ['from', 'to', 'groupBy', 'agentId', 'groupId']));
  const link = r => f.groupBy === 'day' ? ordersLink({ agentId: f.agentId, from: r.key, to: r.key })
    : f.groupBy === 'agent' ? ordersLink({ agentId: r.key, from: d.from, to: d.to }) : null;
  return [
    kpis([['订单', `${d.totals.orders} 单`, ordersLink({ agentId: f.agentId, from: d.from, to: d.to }), 'kpi-sales-orders'], ['销售额', money(d.totals.revenueFen), null, 'kpi-sales-revenue'],
      ['退货', money(d.totals.returnsFen), null, 'kpi-sales-returns']]),
    bars('销售额', d.rows.map(r => ({ label: r.label, value: r.revenueFen })), money),
    figures(`销售分析 ${d.from} 至 ${d.to}`, [
      { label: SALES_BY.find(([v]) => v === f.groupBy)?.[1] || '分组', value: r => r.label },
      { label: '订单', kind: 'number', value: r => r.orders, link }, { label: '销售额', kind: 'money', value: r => r.revenueFen },
      { label: '毛额', kind: 'money', value: r => r.grossFen }, { label: '退货', kind: 'money', value: r => r.returnsFen },
    ], d.rows, { id: 'sales' }),
  ];
}

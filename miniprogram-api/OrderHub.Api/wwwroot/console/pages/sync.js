// ERP 同步: health of every sync job (last run, last success, lag, last error), "立即同步", recent data issues,
// the outbox (pending / failed / sent) with retry, and for finance 待过账收款: money OrderHub took that is not in the ERP
// yet (GET /api/admin/payments/to-post) with 标记已过账, and WeChat Pay refunds likewise (GET /api/admin/payments/refunds/to-post). Shows "同步服务未启用" when the sync API is not there.
import { api } from '../api.js';
import { h, clear, dateTime, badge, loading, problemBox, table, attempt, money, dialog } from '../ui.js';
import { can } from '../perms.js';
import { setQuery } from '../app.js';

const FEEDS = { products: '商品', stock: '库存', prices: '价格', customers: '客户', payments: '收款', order_status: '订单状态', orders: '订单推送' };
const OUTBOX = [['pending', '待发送'], ['sending', '发送中'], ['failed', '失败'], ['sent', '已发送'], ['cancelled', '已取消']];

const pick = (o, ...names) => { for (const n of names) if (o && o[n] !== undefined && o[n] !== null) return o[n]; return null; };
const time = v => (v === null || v === undefined ? '—' : dateTime(typeof v === 'number' ? new Date(v).toISOString() : v));

export async function render(main, { me, route }) {
  const outboxStatus = route.query.get('outbox') || 'failed';
  clear(main, h('div.page-head', h('h1', 'ERP 同步')), loading());
  let health;
  try {
    health = await api.optional('/api/admin/sync/health');
  } catch (e) {
    clear(main, h('div.page-head', h('h1', 'ERP 同步')), problemBox(e));
    return;
  }
  if (!health) {
    clear(main, h('div.page-head', h('h1', 'ERP 同步')),
      h('div.notice#sync-disabled', h('strong', '同步服务未启用'), h('p.muted', '此服务器未配置 ERP 同步 (或同步模块尚未部署)。订单仍可正常审核和发货。')));
    return;
  }

  const feeds = pick(health, 'feeds', 'jobs') || [];
  const counts = pick(health, 'outbox', 'outboxCounts') || {};
  const issues = pick(health, 'recentIssues', 'issues') || [];
  const failing = feeds.filter(f => pick(f, 'consecutiveFailures', 'failures') > 0 || (pick(f, 'lastError') && !succeededAfterError(f)));
  const outboxBox = h('div#outbox');
  const toPostBox = h('div#to-post');
  const refundsToPostBox = h('div#refunds-to-post');

  clear(main,
    h('div.page-head', h('h1', 'ERP 同步'), h('p.muted', `适配器：${pick(health, 'adapter', 'adapterName') || '—'}`),
      h('button.btn.small', { type: 'button', on: { click: () => render(main, { me, route }) } }, '刷新')),
    failing.length ? h('div.notice.error#sync-failures', { role: 'alert' }, `${failing.length} 个同步任务失败：`, failing.map(f => FEEDS[feedName(f)] || feedName(f)).join('、')) : h('div.notice.ok', '所有同步任务正常'),
    h('section.panel', h('h2', '同步任务'), table([
      { label: '任务', render: f => h('span', h('strong', FEEDS[feedName(f)] || feedName(f)), h('small.muted.mono', ' ' + feedName(f))) },
      { label: '状态', render: f => pick(f, 'running') ? badge('运行中', 'warn') : (pick(f, 'consecutiveFailures') > 0 ? badge(`连续失败 ${pick(f, 'consecutiveFailures')} 次`, 'bad') : badge('正常', 'good')) },
      { label: '上次运行', render: f => time(pick(f, 'lastStartedAt', 'lastStartedAtMs', 'lastRunAt')) },
      { label: '上次成功', render: f => time(pick(f, 'lastSucceededAt', 'lastSucceededAtMs', 'lastSuccessAt')) },
      { label: '变更行数', num: true, render: f => pick(f, 'rowsChanged', 'lastRowsChanged') ?? '—' },
      { label: '延迟', num: true, render: f => lag(pick(f, 'lagSeconds')) },
      { wrap: true, label: '最近错误', render: f => pick(f, 'lastError') ? h('span.error', pick(f, 'lastError'), h('small.muted', ' ' + time(pick(f, 'lastErrorAt', 'lastErrorAtMs')))) : '—' },
      ...(can.syncRun(me.role) ? [{ label: '', render: f => h('button.btn.small', { type: 'button', dataset: { feed: feedName(f) }, on: { click: e => runNow(f, e.target) } }, '立即同步') }] : []),
    ], feeds, { empty: '没有同步任务' })),
    h('section.panel', h('div.page-head', h('h2', '订单推送队列 (Outbox)'),
        can.syncRun(me.role) ? h('button.btn.small#push-now', { type: 'button', on: { click: e => pushNow(e.target) } }, '立即推送订单') : null),
      h('div.tabs.sub', OUTBOX.map(([s, l]) => h('a.tab', { href: `#/sync?outbox=${s}`, class: s === outboxStatus ? 'active' : null }, l, h('span.count', String(counts[s] ?? 0))))),
      outboxBox),
    can.payments(me.role) ? h('section.panel#to-post-panel', h('h2', '待过账收款'),
      h('p.muted', '微信支付与银行转账收到的钱：ERP 不能自动写收款单 (或拒收) 时在此列出。请在 ERP 中录入收款单，参考号填收款单号，然后标记已过账。'),
      toPostBox,
      h('h3', '待过账退款'),
      h('p.muted', '微信支付退回的钱 (及财务银行转账退回的充值)：ERP 不能自动写收款退款单 (或拒收) 时在此列出。请在 ERP 中录入收款退款单，参考号填退款单号，然后标记已过账。'),
      refundsToPostBox) : null,
    h('section.panel', h('h2', '最近的数据问题'), table([
      { label: '时间', render: i => time(pick(i, 'occurredAt', 'occurredAtMs')) },
      { label: '任务', render: i => FEEDS[i.feed] || i.feed },
      { label: '对象', render: i => h('span.mono', pick(i, 'key', 'itemKey') || '—') },
      { wrap: true, label: '问题', render: i => pick(i, 'problem', 'message') },
      { label: '处理', render: i => pick(i, 'rowSkipped') ? badge('已跳过', 'bad') : badge('已修正后导入', 'warn') },
    ], issues, { empty: '暂无数据问题' })));

  async function runNow(f, button) {
    button.disabled = true;
    const ok = await attempt(() => api.post(`/api/admin/sync/${encodeURIComponent(feedName(f).replace(/_/g, '-'))}/run`), `已开始同步：${FEEDS[feedName(f)] || feedName(f)}`);
    button.disabled = false;
    if (ok) setTimeout(() => render(main, { me, route }), 800);
  }

  async function pushNow(button) {
    button.disabled = true;
    const ok = await attempt(() => api.post('/api/admin/sync/orders/run'), '已推送到期的订单');
    button.disabled = false;
    if (ok) setTimeout(() => render(main, { me, route }), 800);
  }

  async function loadOutbox() {
    clear(outboxBox, loading());
    try {
      const data = await api.get(`/api/admin/sync/outbox?status=${outboxStatus}`);
      const rows = Array.isArray(data) ? data : (data.items || []);
      clear(outboxBox, table([
        { label: '#', key: 'id' },
        { label: '订单', render: r => h('span.mono', pick(r, 'orderNo') || pick(r, 'orderId', 'aggregateId')) },
        { label: '类型', render: r => pick(r, 'topic') },
        { label: '状态', render: r => badge(OUTBOX.find(([s]) => s === r.status)?.[1] || r.status, r.status === 'failed' ? 'bad' : r.status === 'sent' ? 'good' : '') },
        { label: '尝试次数', num: true, render: r => pick(r, 'attempts') ?? 0 },
        { label: '下次尝试', render: r => r.status === 'pending' ? time(pick(r, 'nextAttemptAt', 'nextAttemptAtMs')) : '—' },
        { wrap: true, label: '最近错误', render: r => pick(r, 'lastError') ? h('span.error', pick(r, 'lastError')) : '—' },
        { label: '创建时间', render: r => time(pick(r, 'createdAt', 'createdAtMs')) },
        { label: '发送时间', render: r => time(pick(r, 'sentAt', 'sentAtMs')) },
        ...(can.syncRun(me.role) ? [{ label: '', render: r => r.status === 'failed' ? h('button.btn.small', { type: 'button', on: { click: () => retry(r) } }, '重试') : '' }] : []),
      ], rows, { empty: '队列为空' }));
    } catch (e) { clear(outboxBox, problemBox(e)); }
  }

  async function retry(r) {
    if (await attempt(() => api.post(`/api/admin/sync/outbox/${r.id}/retry`), `已重新排队：${pick(r, 'orderNo') || r.id}`)) loadOutbox();
  }

  async function loadToPost() {
    if (!can.payments(me.role)) return;
    clear(toPostBox, loading());
    try {
      const data = await api.get('/api/admin/payments/to-post');
      clear(toPostBox, table([
        { label: '收款单号', render: p => h('span.mono', p.receiptNo || '—') },
        { label: '用途', render: p => (p.purpose === 'top_up' ? '预存款充值' : '订单付款') },
        { label: '方式', render: p => (p.method === 'wechat' ? '微信支付' : '银行转账') },
        { label: '金额', num: true, render: p => money(p.amountFen) },
        { label: '收款时间', render: p => time(p.paidAtMs) },
        { label: '', render: p => h('button.btn.small', { type: 'button', on: { click: () => markPosted(p) } }, '标记已过账') },
      ], data.items || [], { empty: '没有待过账的收款' }));
    } catch (e) { clear(toPostBox, problemBox(e)); }
  }

  async function markPosted(p) {
    const v = await dialog({ title: `标记已过账：${p.receiptNo}`, fields: [{ name: 'erpReference', label: 'ERP 收款单号', required: true }], okText: '标记已过账' });
    if (!v) return;
    if (await attempt(() => api.post(`/api/admin/payments/${p.id}/posted`, { erpReference: v.erpReference }), `已过账：${p.receiptNo}`)) loadToPost();
  }

  async function loadRefundsToPost() {
    if (!can.payments(me.role)) return;
    clear(refundsToPostBox, loading());
    try {
      const data = await api.get('/api/admin/payments/refunds/to-post');
      clear(refundsToPostBox, table([
        { label: '退款单号', render: r => h('span.mono', r.outRefundNo) },
        { label: '客户', render: r => r.customerCode },
        { label: '订单 / 退货', render: r => [r.orderNo, r.returnNo].filter(Boolean).join(' / ') || '—' },
        { label: '金额', num: true, render: r => money(r.amountFen) },
        { label: '退款时间', render: r => time(r.refundedAtMs) },
        { label: '', render: r => h('button.btn.small', { type: 'button', on: { click: () => markRefundPosted(r) } }, '标记已过账') },
      ], data.items || [], { empty: '没有待过账的退款' }));
    } catch (e) { clear(refundsToPostBox, problemBox(e)); }
  }

  async function markRefundPosted(r) {
    const v = await dialog({ title: `标记已过账：${r.outRefundNo}`, fields: [{ name: 'erpReference', label: 'ERP 收款退款单号', required: true }], okText: '标记已过账' });
    if (!v) return;
    if (await attempt(() => api.post(`/api/admin/payments/refunds/${r.id}/posted`, { erpReference: v.erpReference }), `已过账：${r.outRefundNo}`)) loadRefundsToPost();
  }

  setQuery({ outbox: outboxStatus });
  await Promise.all([loadOutbox(), loadToPost(), loadRefundsToPost()]);
}

function feedName(f) { return pick(f, 'feed', 'name', 'job') || '?'; }
function succeededAfterError(f) {
  const ok = pick(f, 'lastSucceededAt', 'lastSucceededAtMs'), err = pick(f, 'lastErrorAt', 'lastErrorAtMs');
  return ok && err && new Date(ok) >= new Date(err);
}
function lag(s) {
  if (s === null || s === undefined) return '—';
  if (s < 60) return `${Math.round(s)} 秒`;
  if (s < 3600) return `${Math.round(s / 60)} 分钟`;
  if (s < 86400) return `${(s / 3600).toFixed(1)} 小时`;
  return `${(s / 86400).toFixed(1)} 天`;
}

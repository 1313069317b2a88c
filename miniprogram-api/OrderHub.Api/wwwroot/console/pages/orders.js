// 订单: queues per step with counts, filters and search, master-detail with keyboard (j/k move, Enter open, a approve, r reject, / search);
// tick orders to print their 拣货单 / 发货单 or act on them all at once (批量审核 / 出库 / 发货, a result per order); export the filtered list.
import { api, newIdempotencyKey } from '../api.js';
import { h, clear, money, dateTime, dialog, toast, badge, loading, problemBox, table } from '../ui.js';
import { can, primaryAction } from '../perms.js';
import { setQuery, go } from '../app.js';

const QUEUES = [
  ['pending_sales_review', '待业务审核'], ['pending_finance_review', '待财务审核'], ['pending_outbound', '待出库'],
  ['pending_shipment', '待发货'], ['shipped', '已发货'], ['received', '已收货'], ['rejected', '已驳回'], ['cancelled', '已取消'],
  // the store's own steps before 业务审核 (owner approval, pay before review): shown, not acted on, by the back office
  ['pending_owner_approval', '待店主审核'], ['pending_payment', '待付款'], ['', '全部'],
];
const STATUS_KIND = { rejected: 'bad', cancelled: 'muted', shipped: 'good', received: 'good' };
const SOURCE_LABELS = {
  promotion: '促销价', customer_price: '客户协议价', tracking_price: '客户跟踪价', group_price_list: '等级价目表', base_price: '基础价', gift: '赠品',
  Promotion: '促销价', CustomerPrice: '客户协议价', TrackingPrice: '客户跟踪价', GroupPriceList: '等级价目表', BasePrice: '基础价',
};
const ACTION_LABELS = {
  submit: '提交订单', approve_sales: '业务审核通过', approve_finance: '财务审核通过', outbound: '出库', ship: '发货', receive: '收货',
  reject: '驳回', cancel: '取消', erp_status: 'ERP 更新状态',
};
const CHANNEL = { self: '自助订货', proxy: '代客下单' };

export async function render(main, { me, route }) {
  const q = route.query;
  const state = {
    status: q.get('status') === 'all' ? '' : (q.get('status') ?? primaryQueue(me.role) ?? ''),
    q: q.get('q') || '', customerId: q.get('customerId') || '', channel: q.get('channel') || '', agentId: q.get('agentId') || '', from: q.get('from') || '', to: q.get('to') || '',
    dateBy: q.get('dateBy') === 'shipped' ? 'shipped' : '',
    items: [], next: null, index: -1, openId: q.get('id') ? Number(q.get('id')) : null, detail: null, busy: false,
    selected: new Set(),
  };
  const batchBar = h('div.batch-bar#batch-bar');
  const batchResult = h('div#batch-result');

  const tabs = h('div.tabs.queues', { role: 'tablist', 'aria-label': '订单队列' });
  const search = h('input#order-search', { type: 'search', placeholder: '搜索 订单号 / 客户 (按 / )', value: state.q, 'aria-label': '搜索订单' });
  const channel = h('select#order-channel', { 'aria-label': '渠道' }, h('option', { value: '' }, '全部渠道'), h('option', { value: 'self' }, '自助订货'), h('option', { value: 'proxy' }, '代客下单'));
  channel.value = state.channel;
  const agent = h('select#order-agent', { 'aria-label': '业务员' }, h('option', { value: '' }, '全部业务员'));
  const from = h('input', { type: 'date', value: state.from, 'aria-label': '开始日期' });
  const to = h('input', { type: 'date', value: state.to, 'aria-label': '结束日期' });
  const dateBy = h('select#order-date-by', { 'aria-label': '日期按' }, h('option', { value: '' }, '按下单日期'), h('option', { value: 'shipped' }, '按发货日期'));
  dateBy.value = state.dateBy;
  const listBox = h('div.list-box');
  const more = h('button.btn.small', { type: 'button', hidden: true, on: { click: () => load(true) } }, '加载更多');
  const detailBox = h('section.detail#order-detail', { 'aria-label': '订单详情', tabindex: '-1' }, h('p.muted', '选择一个订单查看详情 (j/k 移动, Enter 打开)'));

  clear(main,
    h('div.page-head', h('h1', '订单'), h('p.muted.keys', '快捷键: j/k 上下移动 · Enter 打开 · a 通过 · r 驳回 · / 搜索')),
    tabs,
    h('form.filters', { on: { submit: e => { e.preventDefault(); applyFilters(); } } },
      search, channel, agent, dateBy, h('label.inline', '从', from), h('label.inline', '到', to), h('button.btn', { type: 'submit' }, '筛选'),
      state.customerId ? h('button.btn.small#order-customer-filter', { type: 'button', title: '清除门店筛选',
        on: { click: e => { state.customerId = ''; e.currentTarget.remove(); syncUrl(); load(false); } } }, `仅门店 #${state.customerId} ✕`) : null),
    batchBar, batchResult,
    h('div.master-detail', h('div.master', listBox, more), detailBox));

  for (const el of [channel, agent, dateBy, from, to]) el.addEventListener('change', applyFilters);
  api.get('/api/admin/agents').then(list => {
    for (const a of list) agent.append(h('option', { value: a.id }, `${a.name} (${a.code})`));
    agent.value = state.agentId;
  }).catch(() => { agent.hidden = true; });

  function applyFilters() {
    Object.assign(state, { q: search.value.trim(), channel: channel.value, agentId: agent.value, from: from.value, to: to.value, dateBy: dateBy.value });
    syncUrl();
    load(false);
  }

  function syncUrl() {
    setQuery({ status: state.status || 'all', q: state.q, customerId: state.customerId, channel: state.channel, agentId: state.agentId, from: state.from, to: state.to, dateBy: state.dateBy, id: state.openId });
  }

  async function loadCounts() {
    let counts = [];
    try { counts = await api.get('/api/admin/orders/counts'); } catch { /* counts are a nicety */ }
    const by = Object.fromEntries(counts.map(c => [c.status, c.count]));
    clear(tabs, QUEUES.map(([s, label]) => h('button.tab', {
      type: 'button', role: 'tab', 'aria-selected': String(state.status === s), class: state.status === s ? 'active' : null, dataset: { status: s || 'all' },
      on: { click: () => { state.status = s; state.openId = null; syncUrl(); loadCounts(); load(false); } },
    }, label, s && by[s] !== undefined ? h('span.count', String(by[s])) : null)));
  }

  function params(append) {
    const p = new URLSearchParams();
    if (state.status) p.set('status', state.status);
    for (const k of ['q', 'customerId', 'channel', 'agentId', 'from', 'to', 'dateBy']) if (state[k]) p.set(k, state[k]);
    p.set('limit', '50');
    if (append && state.next) p.set('before', state.next);
    return p;
  }

  async function load(append) {
    if (!append) clear(listBox, loading());
    try {
      const page = await api.get('/api/admin/orders?' + params(append));
      state.items = append ? state.items.concat(page.items) : page.items;
      state.next = page.nextBefore ?? null;
      if (!append) state.selected.clear();
      if (!append) state.index = state.openId ? state.items.findIndex(o => o.id === state.openId) : (state.items.length ? 0 : -1);
      if (!append && state.index < 0 && state.items.length) state.index = 0;
      drawList();
      if (state.openId && !append) openDetail(state.openId, false);
    } catch (e) {
      clear(listBox, problemBox(e));
    }
  }

  function drawList() {
    more.hidden = !state.next;
    const allBox = h('input#select-all', { type: 'checkbox', 'aria-label': '全选', checked: state.items.length > 0 && state.items.every(o => state.selected.has(o.id)),
      on: { change: e => { for (const o of state.items) e.target.checked ? state.selected.add(o.id) : state.selected.delete(o.id); drawList(); } } });
    clear(listBox, table([
      { label: allBox, render: o => h('input.pick', { type: 'checkbox', 'aria-label': `选择 ${o.orderNo}`, checked: state.selected.has(o.id),
          on: { click: e => e.stopPropagation(), change: e => { e.target.checked ? state.selected.add(o.id) : state.selected.delete(o.id); drawBatchBar(); } } }) },
      { label: '订单号', render: o => h('span.mono', o.orderNo) },
      { label: '客户', render: o => h('span', o.customerName, h('small.muted', ' ' + o.customerCode)) },
      { label: '渠道', render: o => CHANNEL[o.channel] || o.channel },
      { label: '业务员', render: o => o.agentName || '—' },
      { label: '金额', num: true, render: o => money(o.totalFen) },
      { label: '状态', render: o => h('span', badge(o.statusLabel, STATUS_KIND[o.status] || ''), o.creditExceeded ? badge('超信用', 'bad') : null) },
      { label: '下单时间', render: o => dateTime(o.createdAt) },
    ], state.items, {
      empty: '该队列暂无订单',
      onRowClick: (o, i) => { state.index = i; highlight(); openDetail(o.id, true); },
      rowAttrs: (o, i) => ({ class: i === state.index ? 'selected' : null, dataset: { orderNo: o.orderNo, id: o.id }, 'aria-selected': String(i === state.index) }),
    }));
    drawBatchBar();
  }

  /** The actions on the ticked orders, and the export of the filtered list. */
  function batchActions() {
    const list = [];
    const p = primaryAction(me.role, state.status);
    if (p) list.push({ action: p.action, label: `批量${p.label}` });
    if (state.status === 'pending_outbound' && can.warehouse(me.role)) list.push({ action: 'ship', label: '批量直接发货' });
    return list;
  }

  function drawBatchBar() {
    const ids = [...state.selected];
    const none = ids.length === 0;
    const print = kind => go(`print/${kind}?ids=${ids.join(',')}`);
    clear(batchBar,
      h('span.muted#selected-count', none ? '勾选订单后可批量打印或处理' : `已选 ${ids.length} 个订单`),
      h('button.btn.small', { type: 'button', disabled: none, dataset: { batch: 'pick-list' }, on: { click: () => print('pick-list') } }, '打印拣货单'),
      h('button.btn.small', { type: 'button', disabled: none, dataset: { batch: 'delivery-notes' }, on: { click: () => print('delivery-notes') } }, '打印发货单'),
      batchActions().map(a => h('button.btn.small.primary', { type: 'button', disabled: none, dataset: { batch: a.action }, on: { click: () => runBatch(a, ids) } }, a.label)),
      h('span.spacer'),
      h('button.btn.small', { type: 'button', dataset: { export: 'xlsx' }, on: { click: () => exportList('xlsx') } }, '导出 Excel'),
      h('button.btn.small', { type: 'button', dataset: { export: 'csv' }, on: { click: () => exportList('csv') } }, '导出 CSV'));
  }

  async function runBatch(a, ids) {
    if (state.busy) return;
    if (!await dialog({ title: a.label, message: `对已选的 ${ids.length} 个订单执行「${a.label.replace(/^批量/, '')}」？每个订单单独检查，结果逐单列出。`, okText: '执行' })) return;
    state.busy = true;
    clear(batchResult, loading());
    try {
      const r = await api.post(`/api/admin/orders/batch/${a.action}`, { orderIds: ids }, { 'Idempotency-Key': newIdempotencyKey() });
      clear(batchResult, h('section.notice.batch-result', { role: 'status' },
        h('strong', `${a.label}：成功 ${r.succeeded} 个，失败 ${r.failed} 个`),
        h('ul', r.items.map(i => h('li', { class: i.ok ? 'ok' : 'failed', dataset: { orderId: i.orderId, ok: String(i.ok) } },
          h('span.mono', i.orderNo || `#${i.orderId}`), ' ', i.ok ? badge('成功 → ' + i.statusLabel, 'good') : badge('失败', 'bad'),
          i.ok ? null : h('span.reason', ' ' + i.messageZh)))),
        h('button.btn.small', { type: 'button', on: { click: () => clear(batchResult) } }, '关闭')));
      toast(`${a.label}：成功 ${r.succeeded} 个，失败 ${r.failed} 个`, r.failed ? 'error' : undefined);
      await loadCounts();
      await load(false);
    } catch (e) {
      clear(batchResult, problemBox(e));
    } finally {
      state.busy = false;
    }
  }

  async function exportList(format) {
    const p = params(false);
    p.delete('limit');
    p.set('format', format);
    try { await api.download('/api/admin/orders/download?' + p, `订单明细.${format}`); }
    catch (e) { toast(e.message, 'error'); }
  }

  function highlight() {
    listBox.querySelectorAll('tbody tr').forEach((tr, i) => {
      tr.classList.toggle('selected', i === state.index);
      tr.setAttribute('aria-selected', String(i === state.index));
      if (i === state.index) tr.scrollIntoView({ block: 'nearest' });
    });
  }

  async function openDetail(id, focus) {
    state.openId = id;
    syncUrl();
    clear(detailBox, loading());
    try {
      state.detail = await api.get(`/api/admin/orders/${id}`);
      drawDetail();
      if (focus) detailBox.focus({ preventScroll: true });
    } catch (e) {
      state.detail = null;
      clear(detailBox, problemBox(e));
    }
  }

  function drawDetail() {
    const d = state.detail;
    const o = d.order, s = o.summary, credit = d.credit;
    const actions = h('div.actions.order-actions');
    const primary = primaryAction(me.role, s.status);
    if (primary) actions.append(h('button.btn.primary', { type: 'button', dataset: { action: primary.action }, on: { click: () => act(primary.action) } }, `${primary.label} (a)`));
    if (s.status === 'pending_finance_review' && can.approveFinance(me.role) && (credit.exceeded || s.creditExceeded))
      actions.append(h('button.btn.warn', { type: 'button', dataset: { action: 'override' }, on: { click: () => act('override') } }, '超额放行'));
    if (can.reject(me.role, s.status) && ['pending_sales_review', 'pending_finance_review'].includes(s.status))
      actions.append(h('button.btn.danger', { type: 'button', dataset: { action: 'reject' }, on: { click: () => act('reject') } }, '驳回 (r)'));
    if (can.cancel(me.role, s.status))
      actions.append(h('button.btn', { type: 'button', dataset: { action: 'cancel' }, on: { click: () => act('cancel') } }, '取消订单'));
    if (s.status === 'pending_outbound' && can.warehouse(me.role))
      actions.append(h('button.btn', { type: 'button', dataset: { action: 'ship' }, on: { click: () => act('ship') } }, '直接发货'));

    clear(detailBox,
      h('div.detail-head',
        h('h2', h('span.mono#detail-order-no', s.orderNo), ' ', h('span#detail-status', badge(s.statusLabel, STATUS_KIND[s.status] || ''))),
        h('p.muted', `${CHANNEL[s.channel] || s.channel}${s.agentName ? ' · 业务员 ' + s.agentName : ''} · 下单 ${dateTime(s.createdAt)}`)),
      actions,
      o.rejectReason ? h('div.notice.error', `驳回原因：${o.rejectReason}`) : null,
      o.cancelReason ? h('div.notice', `取消原因：${o.cancelReason}`) : null,
      h('div.cards',
        h('div.card', h('h3', '客户'), h('p', h('a', { href: `#/customers/${d.customerId}` }, s.customerName), h('small.muted', ' ' + s.customerCode)),
          h('p.small', `${o.contactName} ${o.contactPhone}`), h('p.small', o.deliveryAddress), o.note ? h('p.small', `备注：${o.note}`) : null,
          o.invoice ? h('div.invoice#detail-invoice', h('p.small', `发票：${o.invoice.kindText} ${o.invoice.title}`),
            o.invoice.taxNo ? h('p.small', `税号 ${o.invoice.taxNo}`) : null,
            o.invoice.bankName ? h('p.small', `${o.invoice.bankName} ${o.invoice.bankAccount || ''}`) : null,
            o.invoice.address ? h('p.small', `${o.invoice.address} ${o.invoice.phone || ''}`) : null) : h('p.small.muted', '不开发票')),
        h('div.card.credit', { class: credit.exceeded ? 'exceeded' : null }, h('h3', '余额与信用'),
          h('dl.kv',
            h('dt', '应收余额'), h('dd', money(credit.balanceFen)),
            h('dt', '信用额度'), h('dd', credit.creditLimitFen > 0 ? money(credit.creditLimitFen) : '不限'),
            h('dt', '在途订单'), h('dd', money(credit.openOrdersFen)),
            h('dt', '可用额度'), h('dd', credit.availableText)),
          credit.exceeded ? h('p.error', '本单金额超过可用信用额度') : null),
        h('div.card', h('h3', '金额'), h('dl.kv',
          h('dt', '商品金额'), h('dd', money(o.goodsFen)),
          h('dt', '优惠'), h('dd', money(-s.discountFen)),
          h('dt', '应付'), h('dd.strong', money(s.totalFen))))),
      h('h3', '商品明细'),
      table([
        { label: '#', key: 'lineNo' },
        { label: 'SKU', render: l => h('span.mono', l.sku) },
        { wrap: true, label: '商品', render: l => h('span', l.name, l.spec ? h('small.muted', ' ' + l.spec) : null, l.isGift ? badge('赠品', 'good') : null) },
        // In the unit the store ordered (2 箱), with the base units the warehouse counts beside it (48 瓶).
        { label: '数量', num: true, render: l => l.unitFactor > 1 ? h('span', `${l.quantity} ${l.unit}`, h('small.muted.base-qty', ` (${l.baseQuantity} ${l.baseUnit})`)) : `${l.quantity} ${l.unit}` },
        { label: '单价', num: true, render: l => l.unitFactor > 1 ? `${money(l.unitPriceFen)}/${l.unit}` : money(l.unitPriceFen) },
        { label: '金额', num: true, render: l => money(l.amountFen) },
        { wrap: true, label: '价格来源', render: l => h('span', badge(SOURCE_LABELS[l.priceSource] || l.priceSource), h('small.muted', ' ' + (l.priceReason || ''))) },
      ], o.lines),
      h('h3', '流转记录'),
      h('ol.timeline', o.timeline.map(ev => h('li',
        h('time', dateTime(ev.at)), ' ',
        h('strong', ev.actorName), ' ', ACTION_LABELS[ev.action] || ev.action,
        ev.toStatusLabel ? h('span', ' → ', badge(ev.toStatusLabel, STATUS_KIND[ev.toStatus] || '')) : null,
        ev.note ? h('div.small.muted', ev.note) : null))));
  }

  async function act(kind) {
    const d = state.detail;
    if (!d || state.busy) return;
    const s = d.order.summary;
    let action = kind, body;
    if (kind === 'reject' || kind === 'cancel') {
      const label = kind === 'reject' ? '驳回' : '取消';
      const v = await dialog({ title: `${label}订单 ${s.orderNo}`, okText: `确认${label}`, danger: true,
        fields: [{ name: 'reason', label: `${label}原因`, type: 'textarea', required: true, placeholder: '客户与同事都会看到这个原因' }] });
      if (!v) return;
      body = { reason: v.reason };
    } else if (kind === 'override') {
      const v = await dialog({ title: `超额放行 ${s.orderNo}`, okText: '确认放行', danger: true,
        message: `该单 ${money(s.totalFen)} 超过客户可用信用额度 (${d.credit.availableText})。放行将记录在流转记录中。`,
        fields: [{ name: 'note', label: '放行说明', type: 'textarea', required: true }] });
      if (!v) return;
      action = 'approve-finance';
      body = { override: true, note: v.note };
    } else if (kind === 'approve-finance') {
      body = { override: false };
    } else if (kind === 'ship' && s.status === 'pending_outbound') {
      if (!await dialog({ title: '直接发货', message: `订单 ${s.orderNo} 尚未出库，确认直接发货？`, okText: '发货' })) return;
    }
    state.busy = true;
    try {
      const updated = await api.post(`/api/admin/orders/${s.id}/${action}`, body);
      toast(`订单 ${s.orderNo}：${updated.summary.statusLabel}`);
      await afterAction(s.id);
    } catch (e) {
      if (e.status === 409 && kind === 'approve-finance' && /信用|credit/i.test(e.message + (e.problem?.detail || ''))) {
        toast(e.message, 'error');
        await openDetail(s.id, true);
      } else {
        toast(e.message, 'error');
        if (e.status === 409) await openDetail(s.id, false);
      }
    } finally {
      state.busy = false;
    }
  }

  async function afterAction(id) {
    await loadCounts();
    const wasIndex = state.index;
    const page = await api.get('/api/admin/orders?' + params(false));
    state.items = page.items;
    state.next = page.nextBefore ?? null;
    const stillHere = state.items.findIndex(o => o.id === id);
    state.index = stillHere >= 0 ? stillHere : Math.min(wasIndex, state.items.length - 1);
    drawList();
    await openDetail(id, true);
  }

  function onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (document.querySelector('.backdrop')) return;
    const t = e.target;
    const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t?.isContentEditable;
    if (typing) {
      if (e.key === 'Escape') t.blur();
      return;
    }
    switch (e.key) {
      case '/': e.preventDefault(); search.focus(); search.select(); break;
      case 'j': case 'ArrowDown': if (state.items.length) { e.preventDefault(); state.index = Math.min(state.index + 1, state.items.length - 1); highlight(); } break;
      case 'k': case 'ArrowUp': if (state.items.length) { e.preventDefault(); state.index = Math.max(state.index - 1, 0); highlight(); } break;
      case 'Enter': if (state.items[state.index] && !(t instanceof HTMLButtonElement) && !(t instanceof HTMLAnchorElement)) { e.preventDefault(); openDetail(state.items[state.index].id, true); } break;
      case 'a': {
        const s = state.detail?.order.summary;
        const p = s && primaryAction(me.role, s.status);
        if (p) { e.preventDefault(); act(p.action); }
        break;
      }
      case 'r': {
        const s = state.detail?.order.summary;
        if (s && can.reject(me.role, s.status) && ['pending_sales_review', 'pending_finance_review'].includes(s.status)) { e.preventDefault(); act('reject'); }
        break;
      }
    }
  }
  document.addEventListener('keydown', onKey);

  await loadCounts();
  await load(false);
  return () => document.removeEventListener('keydown', onKey);
}

function primaryQueue(role) {
  return { clerk: 'pending_sales_review', finance: 'pending_finance_review', warehouse: 'pending_outbound' }[role];
}

// 退货 (returns): the queue by status with counts; a return's lines, photos and timeline; the step this role may take:
// 内勤 审核通过 / 驳回, 仓库 收货 with the quantities that came, 财务 退款/冲账. The server checks every step again (403 / 409).
import { api, newIdempotencyKey } from '../api.js';
import { h, clear, money, dateTime, dialog, badge, loading, problemBox, table, attempt, confirmBox } from '../ui.js';
import { setQuery } from '../app.js';
import { canReturn } from '../perms.js';

const TABS = [
  ['pending_review', '待审核'], ['pending_receipt', '待收货'], ['pending_refund', '待退款'],
  ['completed', '已完成'], ['rejected', '已驳回'], ['cancelled', '已取消'],
];

export async function render(main, { me, route }) {
  let status = route.query.get('status') || defaultTab(me.role);
  const tabs = h('div.tabs', { role: 'tablist' });
  const list = h('div');
  const detail = h('div.return-detail');
  clear(main, h('div.page-head', h('h1', '退货')), tabs, list, detail);

  async function loadTabs() {
    const counts = Object.fromEntries((await api.get('/api/admin/returns/counts')).map(c => [c.status, c.count]));
    clear(tabs, TABS.map(([s, label]) => h('button.btn.small', {
      type: 'button', role: 'tab', 'aria-selected': String(s === status), class: s === status ? 'active' : null,
      on: { click: () => { status = s; setQuery({ status }); load(); } },
    }, `${label} ${counts[s] ?? 0}`)));
  }

  async function load() {
    clear(list, loading());
    clear(detail);
    try {
      await loadTabs();
      const { items } = await api.get(`/api/admin/returns?status=${status}`);
      clear(list, table([
        { label: '退货单号', render: r => h('span.mono', r.returnNo) },
        { label: '门店', key: 'customerName' },
        { label: '原订单', render: r => h('span.mono', r.orderNo) },
        { label: '原因', key: 'reason', wrap: true },
        { label: '估算金额', num: true, render: r => money(r.requestedFen) },
        { label: '状态', render: r => badge(r.statusLabel) },
        { label: '申请时间', render: r => dateTime(r.createdAt) },
      ], items, { onRowClick: r => show(r.id), empty: '没有这个状态的退货' }));
    } catch (e) { clear(list, problemBox(e)); }
  }

  async function show(id) {
    clear(detail, loading());
    let r;
    try { r = await api.get(`/api/admin/returns/${id}`); } catch (e) { clear(detail, problemBox(e)); return; }
    const actions = [];
    if (r.status === 'pending_review' && canReturn.review(me.role)) {
      actions.push(h('button.btn.primary', { type: 'button', on: { click: () => step(r, 'approve', {}, '已审核通过，等待仓库收货') } }, '审核通过'));
      actions.push(h('button.btn.danger', { type: 'button', on: { click: () => reject(r) } }, '驳回'));
    }
    if (r.status === 'pending_receipt' && canReturn.receive(me.role))
      actions.push(h('button.btn.primary', { type: 'button', on: { click: () => receive(r) } }, '收货'));
    if (r.status === 'pending_refund' && canReturn.refund(me.role))
      actions.push(h('button.btn.primary', { type: 'button', on: { click: () => refund(r) } }, '退款/冲账'));
    clear(detail,
      h('h2', `退货单 ${r.returnNo}`, ' ', badge(r.statusLabel)),
      h('p', `门店 ${r.customerName} · 原订单 ${r.orderNo} · 原因：${r.reason}`),
      r.creditFen != null ? h('p', `冲账 ${money(r.creditFen)}，其中退款 ${money(r.refundFen)}`) : null,
      r.erpStatus ? h('p.muted', `ERP：${r.erpStatus}`) : null,
      table([
        { label: '商品', render: l => `${l.name}${l.isGift ? '（赠品）' : ''}` },
        { label: '单价', num: true, render: l => money(l.unitPriceFen) },
        { label: '订购', num: true, key: 'orderedQuantity' },
        { label: '申请退', num: true, key: 'quantity' },
        { label: '实收', num: true, render: l => l.receivedQuantity ?? '—' },
      ], r.lines),
      r.photos.length ? h('div.photos', r.photos.map(p => h('a', { href: p.url, target: '_blank' }, h('img', { src: p.thumbnailUrl, alt: '退货照片', height: 96 })))) : null,
      h('div.actions', actions),
      h('h3', '时间线'),
      h('ol.timeline', r.events.map(e => h('li', `${dateTime(e.at)} ${e.actorName}：${e.action}${e.note ? ' — ' + e.note : ''}`))));
  }

  async function step(r, action, body, ok, key) {
    const headers = key ? { 'Idempotency-Key': key } : undefined;
    if (await attempt(() => api.post(`/api/admin/returns/${r.id}/${action}`, body, headers), ok)) { await load(); await show(r.id); }
  }

  async function reject(r) {
    const v = await dialog({ title: `驳回退货 ${r.returnNo}`, okText: '驳回', danger: true, fields: [{ name: 'reason', label: '驳回原因', type: 'textarea', required: true }] });
    if (v) await step(r, 'reject', { reason: v.reason }, '已驳回');
  }

  async function receive(r) {
    const v = await dialog({
      title: `收货 ${r.returnNo}`, okText: '确认收货', message: '填写实际收到的数量 (没有收到填 0)；收到的货回到库存。',
      fields: r.lines.map(l => ({ name: `q${l.id}`, label: `${l.name}（申请 ${l.quantity}${l.unit}）`, type: 'number', min: 0, value: l.quantity, required: true })),
    });
    if (!v) return;
    const lines = r.lines.map(l => ({ returnLineId: l.id, receivedQuantity: Number(v[`q${l.id}`]) }));
    await step(r, 'receive', { lines }, '已收货，库存已回补', newIdempotencyKey());
  }

  async function refund(r) {
    if (!await confirmBox(`退款/冲账 ${r.returnNo}`, '按实收数量冲减门店往来账；门店已在线付款或用预存款付款的，原路退回。')) return;
    await step(r, 'refund', {}, '已冲账并退款', newIdempotencyKey());
  }

  await load();
}

function defaultTab(role) {
  return role === 'warehouse' ? 'pending_receipt' : role === 'finance' ? 'pending_refund' : 'pending_review';
}

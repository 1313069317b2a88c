// 预存款 on a customer's page (finance): the balance, the WeChat Pay top-ups with what can still be refunded
// (min of the unspent balance and what is left of the top-up), and 退款 — POST /api/admin/payments/{id}/refunds with an
// Idempotency-Key, one per refund being entered, so a double click never refunds twice. The balance is debited at once;
// WeChat Pay pays it back (if it does not, the balance gets the money back); a transfer top-up is recorded as paid back by bank.
import { api, newIdempotencyKey } from '../api.js';
import { h, clear, money, dateTime, loading, problemBox, table, attempt, dialog, parseYuan, toast } from '../ui.js';

const METHOD = { wechat: '微信支付', transfer: '银行转账' };

export function prepaidPanel(customerId, onChanged) {
  const box = h('div#prepaid-top-ups');
  const balance = h('strong#prepaid-balance', '—');
  const panel = h('section.panel#prepaid', { 'aria-label': '预存款' }, h('h2', '预存款 ', h('small.muted', '余额 '), balance), box);

  async function load() {
    clear(box, loading());
    try {
      const a = await api.get(`/api/admin/customers/${customerId}/prepaid`);
      balance.textContent = money(a.balanceFen);
      clear(box, table([
        { label: '充值时间', render: t => dateTime(t.paidAtMs ? new Date(t.paidAtMs).toISOString() : null) },
        { label: '方式', render: t => METHOD[t.method] || t.method },
        { label: '收款单号', render: t => h('span.mono', t.receiptNo || '—') },
        { label: '金额', num: true, render: t => money(t.amountFen) },
        { label: '已退', num: true, render: t => t.refundedFen ? money(t.refundedFen) : '' },
        { label: '可退', num: true, render: t => h('span.refundable', money(t.refundableFen)) },
        { label: '', render: t => t.refundableFen > 0 ? h('button.btn.small', { type: 'button', on: { click: () => refund(t) } }, '退款') : '' },
      ], a.topUps || [], { empty: '没有充值', rowAttrs: t => ({ 'data-payment-id': t.id }) }));
    } catch (e) { clear(box, problemBox(e)); }
  }

  async function refund(t) {
    const key = newIdempotencyKey();
    const v = await dialog({
      title: `充值退款：${t.receiptNo || t.id}`,
      message: `最多可退 ${money(t.refundableFen)}（预存款余额与本次充值剩余取小）。` + (t.method === 'wechat'
        ? '退回微信支付，余额立即扣减；微信退款失败时自动退回余额。'
        : '银行转账充值：请先由财务线下转账退还，此处记录后余额立即扣减，并推送 ERP 退款单。'),
      fields: [
        { name: 'amount', label: '退款金额 (元)', required: true, value: (t.refundableFen / 100).toFixed(2) },
        { name: 'reason', label: '原因' },
      ],
      okText: '退款',
    });
    if (!v) return;
    const fen = parseYuan(v.amount);
    if (!fen || fen <= 0) { toast('请输入正确的金额 (最多两位小数)', 'error'); return; }
    const ok = await attempt(() => api.post(`/api/admin/payments/${t.id}/refunds`, { amountFen: fen, reason: v.reason || null }, { 'Idempotency-Key': key }),
      `已申请退款 ${money(fen)}`);
    if (ok) { await load(); await onChanged?.(); }
  }

  load();
  return panel;
}

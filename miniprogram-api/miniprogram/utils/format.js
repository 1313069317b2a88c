// Display helpers shared by the pages: money, dates, stock, and the order flow as plain Chinese steps.

function yuan(fen) {
  if (fen == null) return ''
  const neg = fen < 0
  const s = (Math.abs(fen) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return (neg ? '-¥' : '¥') + s
}

// "2026-12-06T21:12:24+08:00" → "12-06 21:12" (the server sends Shanghai time)
function shortTime(iso) {
  if (!iso) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso)
  return m ? m[2] + '-' + m[3] + ' ' + m[4] + ':' + m[5] : iso
}
function date(iso) { return iso ? String(iso).slice(0, 10) : '' }

function stockText(stock) {
  if (!stock) return ''
  if (stock.available != null && stock.level !== 'OutOfStock') return (stock.levelText || '有货') + ' · 库存 ' + stock.available
  return stock.levelText || ''
}
function stockClass(stock) {
  if (!stock) return ''
  return stock.level === 'OutOfStock' ? 'out' : stock.level === 'Low' || stock.level === 'LowStock' ? 'low' : 'in'
}

const PROMO_KIND = { special_price: '特价', buy_get: '买赠', spend_save: '满减' }
function promoBadges(promotions) {
  return (promotions || []).map(p => ({ id: p.promotionId, kind: PROMO_KIND[p.kind] || '促销', text: p.text || p.name, ends: date(p.endsAt) }))
}

// Decorates a catalog item for display: price with its reason, tiers, stock, promotions, last price paid.
function item(p) {
  return Object.assign({}, p, {
    priceText: p.price ? p.price.text : '',
    priceReason: p.price ? p.price.reason : '',
    stockText: stockText(p.stock),
    stockClass: stockClass(p.stock),
    outOfStock: !!(p.stock && p.stock.level === 'OutOfStock'),
    badges: promoBadges(p.promotions),
    tierTexts: (p.tiers || []).filter(t => t.minQty > 1).map(t => '满' + t.minQty + (p.unit || '') + ' ' + t.text),
    lastPaidText: p.lastPaid ? '上次 ' + p.lastPaid.text + ' × ' + p.lastPaid.quantity + '（' + date(p.lastPaid.paidAt) + '）' : '',
    packText: '箱规 ' + p.packSize + (p.unit || '') + (p.minOrderQty > p.packSize ? ' · 起订 ' + p.minOrderQty : ''),
    image: (p.imageUrls && p.imageUrls[0]) || ''
  })
}

// 订单流转 as the steps a store understands; no status codes, no staff names.
const FLOW = [
  { title: '提交订单', reached: 'pending_sales_review' },
  { title: '业务审核', reached: 'pending_finance_review' },
  { title: '财务审核', reached: 'pending_outbound' },
  { title: '出库', reached: 'pending_shipment' },
  { title: '发货', reached: 'shipped' },
  { title: '收货', reached: 'received' }
]
const ORDER_RANK = ['pending_sales_review', 'pending_finance_review', 'pending_outbound', 'pending_shipment', 'shipped', 'received']

function timeline(detail) {
  const events = detail.timeline || []
  const status = detail.summary.status
  let furthest = 0
  events.forEach(e => { const r = ORDER_RANK.indexOf(e.toStatus); if (r > furthest) furthest = r })
  const submitted = events.find(e => e.action === 'submit') || events[0]
  const steps = FLOW.map((s, i) => {
    const ev = i === 0 ? submitted : events.find(e => ORDER_RANK.indexOf(e.toStatus) >= i && ORDER_RANK.indexOf(e.fromStatus) < i && e.action !== 'submit')
    const done = i === 0 || furthest >= i
    let desc = ''
    if (i === 0) desc = shortTime(submitted && submitted.at)
    else if (done) desc = (ev ? shortTime(ev.at) + ' ' : '') + (i <= 2 ? '已通过' : '已完成')
    else if (i === furthest + 1 && ORDER_RANK.indexOf(status) >= 0) desc = i <= 2 ? '审核中' : '等待中'
    return { text: s.title, desc, done }
  })
  // the store's own steps before 业务审核 (待店主审核, 待付款), after 提交, when this order has them
  const pre = [['pending_owner_approval', '店主审核'], ['pending_payment', '付款']]
    .filter(([st]) => status === st || events.some(e => e.toStatus === st))
    .map(([st, title]) => {
      const left = events.find(e => e.fromStatus === st && e.toStatus !== 'rejected' && e.toStatus !== 'cancelled')
      return { text: title, desc: left ? shortTime(left.at) + ' ' + (st === 'pending_payment' ? '已付款' : '已通过') : (status === st ? (st === 'pending_payment' ? '待付款' : '待店主审核') : ''), done: !!left }
    })
  steps.splice(1, 0, ...pre)
  if (pre.some(p => !p.done)) steps.slice(1 + pre.length).forEach(s => { s.done = false; s.desc = '' })
  const active = steps.reduce((a, s, i) => (s.done ? i : a), 0)
  let ended = null
  if (status === 'rejected') {
    const e = events.find(x => x.toStatus === 'rejected')
    ended = '订单已驳回' + (detail.rejectReason ? '：' + detail.rejectReason : '') + (e ? '（' + shortTime(e.at) + '）' : '')
  } else if (status === 'cancelled') {
    const e = events.find(x => x.toStatus === 'cancelled')
    ended = '订单已取消' + (detail.cancelReason ? '：' + detail.cancelReason : '') + (e ? '（' + shortTime(e.at) + '）' : '')
  }
  return { steps, active, ended }
}

const STATUS_TABS = [
  { key: '', title: '全部' },
  { key: 'pending_owner_approval', title: '待店主审核' },
  { key: 'pending_payment', title: '待付款' },
  { key: 'pending_sales_review', title: '待业务审核' },
  { key: 'pending_finance_review', title: '待财务审核' },
  { key: 'pending_outbound', title: '待出库' },
  { key: 'pending_shipment', title: '待发货' },
  { key: 'shipped', title: '已发货' },
  { key: 'received', title: '已收货' },
  { key: 'cancelled', title: '已取消' }
]

// Order statuses a return (退货 / 售后) may be asked from: the server's ReturnService allows shipped and received orders.
const RETURNABLE_ORDER_STATUSES = ['shipped', 'received']
// A return's status the requester may still withdraw (撤回) — the server's ReturnStatus.PendingReview.
const RETURN_PENDING_REVIEW = 'pending_review'

module.exports = { yuan, shortTime, date, stockText, item, promoBadges, timeline, STATUS_TABS, PROMO_KIND, RETURNABLE_ORDER_STATUSES, RETURN_PENDING_REVIEW }

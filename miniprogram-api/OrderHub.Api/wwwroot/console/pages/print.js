// 打印: the warehouse's paper for chosen orders — 拣货单 (#/print/pick-list?ids=…) and 发货单 (#/print/delivery-notes?ids=…),
// on A4 or on 241 mm continuous paper (paper=a4|241). The toolbar does not print; each delivery note starts a new page.
import { api } from '../api.js';
import { h, clear, money, dateTime, problemBox, loading } from '../ui.js';
import { setQuery } from '../app.js';

export const PAPERS = {
  a4: { label: 'A4 (210×297 mm)', css: '@page { size: A4 portrait; margin: 12mm 12mm 14mm; }' },
  // 241 mm continuous (针式打印机 241-1 连续纸): 9.5 × 11 inch sheets between the perforations.
  241: { label: '241 mm 连续纸 (241×280 mm)', css: '@page { size: 241mm 280mm; margin: 8mm 10mm 10mm; }' },
};
const KINDS = { 'pick-list': '拣货单', 'delivery-notes': '发货单' };

export async function render(root, { route }) {
  const kind = route.rest[0];
  const ids = (route.query.get('ids') || '').split(',').filter(Boolean);
  let paper = PAPERS[route.query.get('paper')] ? route.query.get('paper') : 'a4';

  ensureStylesheet();
  const pageSize = h('style#page-size');
  document.head.append(pageSize);
  const paperSelect = h('select#paper', { 'aria-label': '纸张' }, Object.entries(PAPERS).map(([k, p]) => h('option', { value: k }, p.label)));
  paperSelect.value = paper;
  const sheet = h('div.paper-sheets', loading());
  clear(root,
    h('div.print-toolbar.no-print',
      h('a.btn.small', { href: '#/orders' }, '← 返回订单'),
      h('strong', KINDS[kind] || '打印'), h('span.muted', `${ids.length} 个订单`),
      h('label.inline', '纸张', paperSelect),
      h('button.btn.primary#print-now', { type: 'button', on: { click: () => window.print() } }, '打印')),
    sheet);
  document.title = `${KINDS[kind] || '打印'} · OrderHub`;

  function applyPaper() {
    pageSize.textContent = PAPERS[paper].css;
    document.body.dataset.paper = paper;
  }
  paperSelect.addEventListener('change', () => { paper = paperSelect.value; applyPaper(); setQuery({ ids: ids.join(','), paper }); });
  applyPaper();

  try {
    if (!KINDS[kind]) throw new Error('未知的打印类型');
    if (ids.length === 0) throw new Error('请先在订单列表中选择订单');
    if (kind === 'pick-list') drawPickList(sheet, await api.get(`/api/admin/orders/pick-list?ids=${ids.join(',')}`));
    else drawDeliveryNotes(sheet, await api.get(`/api/admin/orders/delivery-notes?ids=${ids.join(',')}`));
    sheet.dataset.ready = 'true';
  } catch (e) {
    clear(sheet, problemBox(e));
  }
  return () => { pageSize.remove(); delete document.body.dataset.paper; };
}

function ensureStylesheet() {
  if (!document.querySelector('link[href="print.css"]')) document.head.append(h('link', { rel: 'stylesheet', href: 'print.css' }));
}

function drawPickList(sheet, p) {
  const byWarehouse = group(p.rows, r => r.warehouseName);
  let n = 0;
  const head = h('header.paper-head', h('h1', '拣货单'),
    h('p', `订单 ${p.orders.length} 个 · 商品 ${p.rows.length} 种 · 合计 ${p.totalQuantity} 件${p.giftQuantity ? `（含赠品 ${p.giftQuantity}）` : ''} · 打印时间 ${dateTime(p.printedAt)}`),
    h('p.orders-included', '订单：', p.orders.map(o => `${o.orderNo} ${o.customerName}`).join('；')));
  const warehouses = [...byWarehouse].map(([warehouse, rows]) => {
    const body = h('tbody', rows.map(r => h('tr', { dataset: { sku: r.sku } },
      h('td.num', String(++n)), h('td', r.location || '—'), h('td.mono', r.sku), h('td.name', r.name), h('td', r.spec || ''), h('td', r.unit),
      h('td.num.qty', String(r.quantity)), h('td.num', r.giftQuantity ? String(r.giftQuantity) : ''), h('td.num', String(r.orderCount)), h('td.check', '☐'))));
    const qty = rows.reduce((s, r) => s + r.quantity, 0);
    const gifts = rows.reduce((s, r) => s + r.giftQuantity, 0);
    const foot = h('tfoot', h('tr', h('td', { colspan: 6 }, '合计'), h('td.num', String(qty)), h('td.num', gifts ? String(gifts) : ''), h('td', { colspan: 2 })));
    const headRow = h('thead', h('tr', ['序号', '库位', '商品编码', '商品名称', '规格', '单位', '数量', '其中赠品', '订单数', '已拣'].map(t => h('th', t))));
    return h('div.warehouse', h('h2', `仓库：${warehouse}`), h('table.paper-table', headRow, body, foot));
  });
  const signatures = h('footer.signatures', h('span', '拣货人签字：'), h('span', '复核人签字：'), h('span', '日期：'));
  clear(sheet, h('section.paper.pick-list', head, warehouses, signatures));
}

function drawDeliveryNotes(sheet, d) {
  clear(sheet, d.notes.map(n => {
    const o = n.order;
    return h('section.paper.delivery-note', { dataset: { orderNo: o.orderNo } },
      h('header.paper-head', h('h1', '发货单'),
        h('table.paper-fields', h('tbody',
          h('tr', h('th', '订单号'), h('td.mono', o.orderNo), h('th', '下单时间'), h('td', dateTime(o.createdAt))),
          h('tr', h('th', '客户'), h('td', `${o.customerName}（${o.customerCode}）`), h('th', '发货仓库'), h('td', o.warehouseName)),
          h('tr', h('th', '收货人'), h('td', o.contactName), h('th', '联系电话'), h('td', o.contactPhone)),
          h('tr', h('th', '收货地址'), h('td.address', { colspan: 3 }, o.deliveryAddress)),
          o.note ? h('tr', h('th', '备注'), h('td', { colspan: 3 }, o.note)) : null,
          o.invoiceTitle ? h('tr', h('th', '发票'), h('td', { colspan: 3 }, `${o.invoiceKindText} ${o.invoiceTitle}${o.invoiceTaxNo ? ' 税号 ' + o.invoiceTaxNo : ''}`)) : null))),
      h('table.paper-table',
        h('thead', h('tr', ['序号', '商品编码', '商品名称', '规格', '单位', '数量', '单价', '金额', '备注'].map(t => h('th', t)))),
        h('tbody', n.lines.map(l => h('tr', { dataset: { sku: l.sku } },
          h('td.num', String(l.lineNo)), h('td.mono', l.sku), h('td.name', l.name), h('td', l.spec || ''), h('td', l.unit),
          h('td.num.qty', String(l.quantity)), h('td.num', l.isGift ? '—' : money(l.unitPriceFen)), h('td.num', l.isGift ? '—' : money(l.amountFen)),
          h('td', l.isGift ? '赠品' : '')))),
        h('tfoot',
          h('tr', h('td', { colspan: 5 }, `合计${n.giftQuantity ? `（含赠品 ${n.giftQuantity}）` : ''}`), h('td.num', String(n.quantity)), h('td'),
            h('td.num', money(o.goodsFen)), h('td')),
          o.discountFen ? h('tr', h('td', { colspan: 7 }, '优惠'), h('td.num', money(-o.discountFen)), h('td')) : null,
          h('tr', h('td', { colspan: 7 }, '应付金额'), h('td.num.strong', o.totalText), h('td')))),
      h('footer.signatures', h('span', '送货人签字：'), h('span', '收货人签字：'), h('span', '收货日期：')));
  }));
}

function group(list, key) {
  const m = new Map();
  for (const x of list) { const k = key(x); if (!m.has(k)) m.set(k, []); m.get(k).push(x); }
  return m;
}

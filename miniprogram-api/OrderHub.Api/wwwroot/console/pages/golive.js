// 上线检查: the go-live checklist (ERP connected, first import with its counts, warehouses mapped, stores assigned to
// agents, staff, WeChat settings), the ERP connection test, the first import, the default warehouse, and the bulk
// assignment of stores to agents from a CSV (dry run first). Shown in the menu until every item is done.
import { api } from '../api.js';
import { h, clear, badge, loading, problemBox, table, attempt } from '../ui.js';
import { can } from '../perms.js';

export async function render(main, { me, route }) {
  const head = () => h('div.page-head', h('h1', '上线检查'), h('button.btn.small', { type: 'button', on: { click: () => render(main, { me, route }) } }, '刷新'));
  clear(main, head(), loading());
  let status, warehouses;
  try {
    [status, warehouses] = await Promise.all([api.get('/api/admin/go-live'), api.get('/api/admin/warehouses/stores')]);
  } catch (e) {
    clear(main, head(), problemBox(e));
    return;
  }
  const admin = can.syncRun(me.role);
  const result = h('div#golive-result');
  const csv = h('textarea#assign-csv', { rows: 6, placeholder: 'customerCode,agentCode\nC00001,AG001' });

  clear(main, head(),
    status.done ? h('div.notice.ok#golive-done', '全部完成，可以上线') : h('div.notice#golive-todo', '以下事项完成后即可上线'),
    h('section.panel', h('h2', '检查项'), table([
      { label: '事项', render: i => h('strong', i.title) },
      { label: '状态', render: i => i.done ? badge('已完成', 'good') : badge('待处理', 'warn') },
      { wrap: true, label: '说明', render: i => h('span', i.detail, i.samples?.length ? h('small.muted', ' ' + i.samples.join('、')) : null) },
    ], status.items, { rowAttrs: i => ({ dataset: { key: i.key } }) })),
    admin ? h('section.panel', h('h2', 'ERP'),
      h('button.btn#test-connection', { type: 'button', on: { click: () => testConnection(result) } }, '测试连接'), ' ',
      h('button.btn.primary#run-import', { type: 'button', on: { click: () => runImport(result, main, me, route) } }, '首次导入'),
      result) : null,
    h('section.panel', h('h2', '仓库'), table([
      { label: '仓库', render: w => h('span', h('strong', w.code), ' ', w.name) },
      { label: '有库存的商品', num: true, render: w => w.productsInStock },
      { label: '门店数', num: true, render: w => w.stores },
      ...(admin ? [{ label: '', render: w => h('button.btn.small', { type: 'button', on: { click: async () => {
        if (await attempt(() => api.put('/api/admin/warehouses/default', { code: w.code }), `默认仓库已设为 ${w.code}`)) render(main, { me, route });
      } } }, '设为默认仓库') }] : []),
    ], warehouses, { empty: '还没有仓库：请先首次导入' })),
    admin ? h('section.panel', h('h2', '批量分配门店给业务员'), h('p.muted', '每行：门店编码,业务员编码（业务员编码留空表示取消分配）。先“预览”再“执行”。'), csv,
      h('div', h('button.btn#assign-dry', { type: 'button', on: { click: () => assign(csv.value, true, result) } }, '预览'), ' ',
        h('button.btn.primary#assign-run', { type: 'button', on: { click: () => assign(csv.value, false, result) } }, '执行'))) : null,
    admin ? h('section.panel', h('h2', '门店绑定二维码'), h('p.muted', '为前 200 个门店各生成一个新绑定码（属于门店的业务员），打开可打印的 A4 页面。'),
      h('button.btn#binding-sheet', { type: 'button', on: { click: () => printSheet() } }, '打印绑定二维码')) : null);
}

async function testConnection(box) {
  const r = await attempt(() => api.post('/api/admin/go-live/test-connection'));
  if (!r) return;
  const facts = [
    r.company && `公司 ${r.company}`, r.currency && `币种 ${r.currency}`, r.warehouseCodes?.length && `仓库 ${r.warehouseCodes.join('、')}`,
    r.storeRule && `${r.storeCount} 个往来单位将成为门店（规则：${r.storeRule}）`, `商品 ${r.productCount} 个`,
  ].filter(Boolean);
  clear(box, h(r.ok ? 'div.notice.ok' : 'div.notice.error', r.ok ? `${r.erp} 已连接` : `${r.erp} 有问题需要处理`),
    h('ul', [...facts, ...r.problems].map(x => h('li', x))));
}

async function runImport(box, main, me, route) {
  clear(box, loading());
  const r = await attempt(() => api.post('/api/admin/go-live/import'));
  if (!r) { clear(box); return; }
  const s = r.status;
  clear(box, h(s.complete ? 'div.notice.ok' : 'div.notice.error', s.complete ? '首次导入完成' : '导入未完成，请查看 ERP 同步页'),
    h('p', `商品 ${s.products}，门店 ${s.stores}，仓库 ${s.warehouses}，库存行 ${s.stockRows}，客户价 ${s.customerPrices}`));
  setTimeout(() => render(main, { me, route }), 1500);
}

async function assign(text, dryRun, box) {
  const res = await attempt(() => fetchCsv(text, dryRun));
  if (!res) return;
  clear(box, h('p', `${dryRun ? '预览' : '已执行'}：分配 ${res.assign}，取消 ${res.unassign}，不变 ${res.unchanged}，错误 ${res.errors}`),
    table([
      { label: '行', num: true, render: l => l.line },
      { label: '门店', render: l => l.customerCode || '—' },
      { label: '业务员', render: l => l.agentCode || '—' },
      { label: '结果', render: l => ({ assign: badge('分配', 'good'), unassign: badge('取消', 'warn'), unchanged: badge('不变'), error: badge('错误', 'bad') })[l.outcome] },
      { wrap: true, label: '问题', render: l => l.problem || '' },
    ], res.lines.filter(l => l.outcome !== 'unchanged')));
}

function fetchCsv(text, dryRun) {
  return api.post(`/api/admin/agents/assignments/import?dryRun=${dryRun}`, { csv: text });
}

async function printSheet() {
  const { tokens } = await import('../api.js');
  const stores = await attempt(() => api.get('/api/admin/customers?limit=200'));
  if (!stores) return;
  const res = await fetch('/api/admin/binding-sheets', {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens()?.accessToken}` },
    body: JSON.stringify({ customerIds: stores.items.map(s => s.id) }),
  });
  if (!res.ok) { await attempt(async () => { throw new Error((await res.json()).detail || `HTTP ${res.status}`); }); return; }
  const url = URL.createObjectURL(new Blob([await res.text()], { type: 'text/html' }));
  window.open(url, '_blank');
}

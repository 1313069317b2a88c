// 商品: products, stock view, assortment rules, price lists with tiers, promotions (create, edit, schedule).
import { api, newIdempotencyKey } from '../api.js';
import { h, clear, money, dateTime, toLocalInput, parseYuan, dialog, toast, badge, loading, problemBox, table, attempt } from '../ui.js';
import { can } from '../perms.js';
import { setQuery } from '../app.js';

const TABS = [['products', '商品'], ['stock', '库存'], ['assortment', '可见范围'], ['prices', '价目表'], ['promotions', '促销']];

export async function render(main, ctx) {
  const tab = TABS.some(([t]) => t === ctx.route.rest[0]) ? ctx.route.rest[0] : (ctx.me.role === 'warehouse' ? 'stock' : 'products');
  const body = h('div');
  clear(main,
    h('div.page-head', h('h1', '商品')),
    h('div.tabs', { role: 'tablist' }, TABS.map(([t, label]) => h('a.tab', { href: `#/catalog/${t}`, role: 'tab', class: t === tab ? 'active' : null, 'aria-selected': String(t === tab) }, label))),
    body);
  await ({ products, stock, assortment, prices, promotions })[tab](body, ctx);
}

function pager(load) {
  const more = h('button.btn.small', { type: 'button', hidden: true, on: { click: () => load(true) } }, '加载更多');
  return more;
}

async function products(box, { route, me }) {
  const write = can.catalogWrite(me.role);
  const state = { q: route.query.get('q') || '', categoryId: route.query.get('categoryId') || '', items: [], next: null };
  const search = h('input', { type: 'search', placeholder: '名称 / SKU / 条码 / 拼音首字母', value: state.q, 'aria-label': '搜索商品' });
  const category = h('select', { 'aria-label': '品类' }, h('option', { value: '' }, '全部品类'));
  const list = h('div');
  const more = pager(load);
  api.get('/api/admin/catalog/categories').then(cs => {
    for (const c of cs) category.append(h('option', { value: c.id }, '　'.repeat(c.depth) + c.name));
    category.value = state.categoryId;
  }).catch(() => {});
  clear(box, h('form.filters', { on: { submit: e => { e.preventDefault(); apply(); } } }, search, category, h('button.btn', { type: 'submit' }, '搜索')), list, more);
  category.addEventListener('change', apply);
  function apply() { state.q = search.value.trim(); state.categoryId = category.value; setQuery({ q: state.q, categoryId: state.categoryId }); load(false); }
  async function load(append) {
    if (!append) clear(list, loading());
    const p = new URLSearchParams({ limit: '50' });
    if (state.q) p.set('q', state.q);
    if (state.categoryId) p.set('categoryId', state.categoryId);
    if (append && state.next) p.set('after', state.next);
    try {
      const page = await api.get('/api/admin/catalog/products?' + p);
      state.items = append ? state.items.concat(page.items) : page.items;
      state.next = page.next;
      more.hidden = !state.next;
      clear(list, table([
        { label: '图片', render: p => picture(p) },
        { label: 'SKU', render: p => h('span.mono', p.sku) },
        { wrap: true, label: '名称', render: p => h('span', p.name, p.brand ? h('small.muted', ' ' + p.brand) : null) },
        { label: '规格', render: p => p.spec || '—' },
        { label: '品类', render: p => p.categoryName || '—' },
        { label: '箱规', num: true, render: p => `${p.packSize}${p.unit}` },
        { label: '起订量', num: true, key: 'minOrderQty' },
        { label: '基础价', num: true, render: p => money(p.basePriceFen) },
        { label: '在库', num: true, key: 'onHand' },
        { label: '占用', num: true, key: 'reserved' },
        { label: '可用', num: true, render: p => h('span', { class: p.available < p.packSize * 2 ? 'error' : null }, String(p.available)) },
        { label: '状态', render: p => p.active ? '在售' : badge('停售', 'muted') },
        ...(write ? [{ label: '', render: p => h('button.btn.small', { type: 'button', on: { click: () => editContent(p) } }, '编辑内容') }] : []),
      ], state.items));
    } catch (e) { clear(list, problemBox(e)); }
  }
  // The product's picture; an admin uploads or replaces it (JPEG, PNG or WebP). The catalog shows it first, and an ERP
  // sync never replaces it.
  function picture(p) {
    const img = p.thumbnailUrl ? h('img.thumb', { src: p.thumbnailUrl, alt: p.name, width: 48, height: 48, loading: 'lazy' }) : h('span.muted', '无图');
    if (!write) return img;
    const input = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', hidden: true, 'aria-label': `上传 ${p.name} 的图片`,
      on: { change: () => input.files[0] && upload(p, input.files[0]) } });
    return h('span.picture', img, ' ', h('button.btn.small', { type: 'button', id: `upload-${p.id}`, on: { click: () => input.click() } }, p.thumbnailUrl ? '更换' : '上传'), input);
  }
  async function upload(p, file) {
    try {
      const r = await api.upload(`/api/admin/catalog/products/${p.id}/image`, file, { 'Idempotency-Key': newIdempotencyKey() });
      Object.assign(p, { imageUrl: r.image.url, thumbnailUrl: r.image.thumbnailUrl });
      toast(`${p.name} 的图片已更新`);
      await load(false);
    } catch (e) { toast(e.message || '上传失败', 'error'); }
  }
  await load(false);
}

// What a person adds to a product and the ERP does not own: description, selling points, tags, 新品 / 热销, 推荐 position.
// The ERP's product sync never overwrites it.
async function editContent(p) {
  let c;
  try { c = await api.get(`/api/admin/catalog/products/${encodeURIComponent(p.sku)}/content`); } catch (e) { toast(e.message, 'error'); return; }
  const yesNo = [{ value: 'false', label: '否' }, { value: 'true', label: '是' }];
  const v = await dialog({ title: `商品内容：${p.name}`, okText: '保存', message: c.updatedAt ? `上次由 ${c.updatedBy} 于 ${dateTime(c.updatedAt)} 修改；ERP 同步不会覆盖这些内容` : 'ERP 同步不会覆盖这些内容', fields: [
    { name: 'description', label: '商品描述', type: 'textarea', value: c.description || '' },
    { name: 'sellingPoints', label: '卖点（每行一条，最多 8 条）', type: 'textarea', value: c.sellingPoints.join('\n') },
    { name: 'tags', label: '标签（用逗号或空格分隔）', value: c.tags.join('，') },
    { name: 'isHot', label: '热销', type: 'select', options: yesNo, value: String(c.isHot) },
    { name: 'isNew', label: '新品', type: 'select', options: yesNo, value: String(c.isNew) },
    { name: 'sortOrder', label: '推荐排序（数字小的在前，留空不置顶）', type: 'number', min: 0, value: c.sortOrder ?? '' },
  ] });
  if (!v) return;
  const body = {
    description: v.description || null,
    sellingPoints: v.sellingPoints.split('\n').map(x => x.trim()).filter(Boolean),
    tags: v.tags.split(/[,，\s]+/).map(x => x.trim()).filter(Boolean),
    isHot: v.isHot === 'true', isNew: v.isNew === 'true',
    sortOrder: v.sortOrder === '' ? null : Number(v.sortOrder),
  };
  await attempt(() => api.put(`/api/admin/catalog/products/${encodeURIComponent(p.sku)}/content`, body), '商品内容已保存');
}

async function stock(box, { route }) {
  const state = { q: route.query.get('q') || '', warehouseId: route.query.get('warehouseId') || '', low: route.query.get('low') === 'true', items: [], next: null };
  const search = h('input', { type: 'search', placeholder: '名称 / SKU', value: state.q, 'aria-label': '搜索库存' });
  const warehouse = h('select', { 'aria-label': '仓库' }, h('option', { value: '' }, '全部仓库'));
  const low = h('input', { type: 'checkbox', checked: state.low });
  const list = h('div');
  const more = pager(load);
  api.get('/api/admin/catalog/warehouses').then(ws => { for (const w of ws) warehouse.append(h('option', { value: w.id }, w.name)); warehouse.value = state.warehouseId; }).catch(() => {});
  clear(box, h('form.filters', { on: { submit: e => { e.preventDefault(); apply(); } } },
    search, warehouse, h('label.inline', low, '仅看低库存 (少于两箱)'), h('button.btn', { type: 'submit' }, '查询')), list, more);
  warehouse.addEventListener('change', apply);
  low.addEventListener('change', apply);
  function apply() { Object.assign(state, { q: search.value.trim(), warehouseId: warehouse.value, low: low.checked }); setQuery({ q: state.q, warehouseId: state.warehouseId, low: state.low ? 'true' : '' }); load(false); }
  async function load(append) {
    if (!append) clear(list, loading());
    const p = new URLSearchParams({ limit: '100' });
    if (state.q) p.set('q', state.q);
    if (state.warehouseId) p.set('warehouseId', state.warehouseId);
    if (state.low) p.set('low', 'true');
    if (append && state.next) p.set('after', state.next);
    try {
      const page = await api.get('/api/admin/catalog/stock?' + p);
      state.items = append ? state.items.concat(page.items) : page.items;
      state.next = page.next;
      more.hidden = !state.next;
      clear(list, table([
        { label: 'SKU', render: s => h('span.mono', s.sku) },
        { wrap: true, label: '名称', render: s => h('span', s.name, s.spec ? h('small.muted', ' ' + s.spec) : null) },
        { label: '仓库', key: 'warehouseName' },
        { label: '在库', num: true, render: s => `${s.onHand} ${s.unit}` },
        { label: '订单占用', num: true, key: 'reserved' },
        { label: '可用', num: true, render: s => h('span', s.low ? badge(String(s.available), 'bad') : String(s.available)) },
        { label: '更新时间', render: s => dateTime(s.updatedAt) },
      ], state.items));
    } catch (e) { clear(list, problemBox(e)); }
  }
  await load(false);
}

async function assortment(box, { me }) {
  const [groups, categories] = await Promise.all([api.get('/api/admin/catalog/groups'), api.get('/api/admin/catalog/categories')]);
  const list = h('div');
  const write = can.catalogWrite(me.role);
  clear(box,
    h('p.muted', '规则：客户屏蔽 > 客户可见 > 等级屏蔽 > 等级可见 (有可见规则的等级只看到可见范围内的商品)。规则作用于单个商品或整个品类。'),
    write ? h('div.actions', h('button.btn.primary', { type: 'button', on: { click: add } }, '新增规则')) : null,
    list);
  async function load() {
    clear(list, loading());
    try {
      const rules = await api.get('/api/admin/catalog/assortment-rules');
      clear(list, table([
        { label: '对象', render: r => r.groupName ? h('span', badge('等级'), ' ', r.groupName) : h('span', badge('客户'), ' ', `${r.customerName} (${r.customerCode})`) },
        { label: '范围', render: r => r.sku ? h('span', badge('商品'), ' ', `${r.productName} (${r.sku})`) : h('span', badge('品类'), ' ', r.categoryName || '—') },
        { label: '规则', render: r => badge(r.effectLabel, r.effect === 'deny' ? 'bad' : 'good') },
        { label: '创建时间', render: r => dateTime(r.createdAt) },
        ...(write ? [{ label: '', render: r => h('button.btn.small.danger', { type: 'button', on: { click: () => remove(r) } }, '删除') }] : []),
      ], rules, { empty: '暂无规则：所有客户可见全部在售商品' }));
    } catch (e) { clear(list, problemBox(e)); }
  }
  async function add() {
    const v = await dialog({ title: '新增可见范围规则', okText: '保存', fields: [
      { name: 'targetKind', label: '对象类型', type: 'select', options: [{ value: 'group', label: '客户等级' }, { value: 'customer', label: '单个客户' }] },
      { name: 'groupId', label: '客户等级 (对象为等级时)', type: 'select', options: groups.map(g => ({ value: g.id, label: g.name })) },
      { name: 'customerCode', label: '客户编码 (对象为客户时)', placeholder: '如 C00010' },
      { name: 'itemKind', label: '范围类型', type: 'select', options: [{ value: 'category', label: '品类' }, { value: 'product', label: '单个商品' }] },
      { name: 'categoryId', label: '品类 (范围为品类时)', type: 'select', options: categories.map(c => ({ value: c.id, label: '　'.repeat(c.depth) + c.name })) },
      { name: 'sku', label: '商品 SKU (范围为商品时)' },
      { name: 'effect', label: '规则', type: 'select', options: [{ value: 'allow', label: '可见' }, { value: 'deny', label: '屏蔽' }] },
    ] });
    if (!v) return;
    const body = {
      groupId: v.targetKind === 'group' ? Number(v.groupId) : null, customerCode: v.targetKind === 'customer' ? v.customerCode : null,
      categoryId: v.itemKind === 'category' ? Number(v.categoryId) : null, sku: v.itemKind === 'product' ? v.sku : null, effect: v.effect,
    };
    if (await attempt(() => api.post('/api/admin/catalog/assortment-rules', body), '规则已保存')) load();
  }
  async function remove(r) {
    if (!await dialog({ title: '删除规则', message: '删除后立即生效。', okText: '删除', danger: true })) return;
    if (await attempt(() => api.del(`/api/admin/catalog/assortment-rules/${r.id}`), '规则已删除')) load();
  }
  await load();
}

async function prices(box, { me, route }) {
  const lists = await api.get('/api/admin/catalog/price-lists');
  const selected = Number(route.query.get('list')) || lists[0]?.id;
  const write = can.catalogWrite(me.role);
  const search = h('input', { type: 'search', placeholder: '名称 / SKU', 'aria-label': '搜索价目表商品' });
  const items = h('div');
  clear(box,
    h('div.tabs.sub', lists.map(l => h('a.tab', { href: `#/catalog/prices?list=${l.id}`, class: l.id === selected ? 'active' : null },
      l.name, h('span.count', String(l.items)), l.groupName ? h('small.muted', ' ' + l.groupName) : null))),
    h('form.filters', { on: { submit: e => { e.preventDefault(); load(); } } }, search, h('button.btn', { type: 'submit' }, '搜索'),
      write ? h('button.btn.primary', { type: 'button', on: { click: () => edit() } }, '设置价格') : null),
    items);
  if (!selected) { clear(items, h('p.muted', '暂无价目表')); return; }
  async function load() {
    clear(items, loading());
    try {
      const rows = await api.get(`/api/admin/catalog/price-lists/${selected}/items?limit=200${search.value.trim() ? '&q=' + encodeURIComponent(search.value.trim()) : ''}`);
      clear(items, table([
        { label: 'SKU', render: i => h('span.mono', i.sku) },
        { wrap: true, label: '名称', render: i => h('span', i.name, i.spec ? h('small.muted', ' ' + i.spec) : null) },
        { label: '起订数量', num: true, render: i => i.minQty > 1 ? `满 ${i.minQty} ${i.unit}` : '—' },
        { label: '价格', num: true, render: i => money(i.priceFen) },
        { label: '基础价', num: true, render: i => money(i.basePriceFen) },
        { label: '折扣', num: true, render: i => `${(i.priceFen * 100 / i.basePriceFen).toFixed(1)}%` },
        { label: '更新时间', render: i => dateTime(i.updatedAt) },
        ...(write ? [{ label: '', render: i => h('span.row-actions',
          h('button.btn.small', { type: 'button', on: { click: () => edit(i) } }, '改价'),
          h('button.btn.small.danger', { type: 'button', on: { click: () => remove(i) } }, '删除')) }] : []),
      ], rows, { empty: '没有匹配的价格' }));
    } catch (e) { clear(items, problemBox(e)); }
  }
  async function edit(i) {
    const v = await dialog({ title: i ? `改价：${i.name}` : '设置价格', okText: '保存', fields: [
      { name: 'sku', label: '商品 SKU', value: i?.sku, required: true },
      { name: 'minQty', label: '起订数量 (阶梯)', type: 'number', min: 1, value: i?.minQty ?? 1, required: true },
      { name: 'price', label: '价格 (元)', value: i ? (i.priceFen / 100).toFixed(2) : '', required: true },
    ] });
    if (!v) return;
    const fen = parseYuan(v.price);
    if (!fen || fen <= 0) { toast('请输入正确的价格', 'error'); return; }
    if (await attempt(() => api.put(`/api/admin/catalog/price-lists/${selected}/items`, { sku: v.sku, minQty: Number(v.minQty), priceFen: fen }), '价格已保存')) load();
  }
  async function remove(i) {
    if (!await dialog({ title: '删除价格', message: `删除 ${i.name} 满 ${i.minQty} 的价格？`, okText: '删除', danger: true })) return;
    if (await attempt(() => api.del(`/api/admin/catalog/price-lists/${selected}/items/${encodeURIComponent(i.sku)}?minQty=${i.minQty}`), '已删除')) load();
  }
  await load();
}

async function promotions(box, { me, route }) {
  const state = route.query.get('state') || '';
  const write = can.catalogWrite(me.role);
  const groups = await api.get('/api/admin/catalog/groups');
  const list = h('div');
  clear(box,
    h('div.tabs.sub', [['', '全部'], ['live', '进行中'], ['upcoming', '未开始'], ['ended', '已结束']].map(([s, l]) =>
      h('a.tab', { href: `#/catalog/promotions${s ? '?state=' + s : ''}`, class: s === state ? 'active' : null }, l))),
    write ? h('div.actions', h('button.btn.primary#new-promotion', { type: 'button', on: { click: () => edit(null) } }, '新建促销')) : null,
    list);
  async function load() {
    clear(list, loading());
    try {
      const rows = await api.get(`/api/admin/catalog/promotions${state ? '?state=' + state : ''}`);
      clear(list, table([
        { label: '编码', render: p => h('span.mono', p.code) },
        { label: '名称', key: 'name' },
        { label: '类型', render: p => badge(p.kindLabel) },
        { label: '规则', render: p => p.kind === 'buy_get' ? `买${p.buyQty}赠${p.freeQty}` : p.kind === 'spend_save' ? `满${money(p.thresholdFen)}减${money(p.discountFen)}` : `${p.itemCount} 个商品特价` },
        { label: '对象', key: 'targetLabel' },
        { label: '开始', render: p => dateTime(p.startsAt) },
        { label: '结束', render: p => dateTime(p.endsAt) },
        { label: '状态', render: p => badge(p.stateLabel, { live: 'good', ended: 'muted', inactive: 'muted' }[p.state] || '') },
        ...(write ? [{ label: '', render: p => h('button.btn.small', { type: 'button', on: { click: () => edit(p.id) } }, '编辑') }] : []),
      ], rows, { empty: '暂无促销' }));
    } catch (e) { clear(list, problemBox(e)); }
  }
  async function edit(id) {
    const p = id ? await api.get(`/api/admin/catalog/promotions/${id}`) : null;
    const now = new Date();
    const v = await dialog({ title: p ? `编辑促销 ${p.code}` : '新建促销', okText: '保存', fields: [
      { name: 'code', label: '编码', value: p?.code, required: true },
      { name: 'name', label: '名称', value: p?.name, required: true },
      { name: 'kind', label: '类型', type: 'select', value: p?.kind, options: [{ value: 'special_price', label: '特价' }, { value: 'buy_get', label: '买赠 (买N赠M)' }, { value: 'spend_save', label: '满减' }] },
      { name: 'target', label: '对象', type: 'select', value: p?.target, options: [{ value: 'all', label: '全部客户' }, { value: 'group', label: '客户等级' }, { value: 'customer', label: '指定客户' }] },
      { name: 'targetGroupId', label: '客户等级 (对象为等级时)', type: 'select', value: p?.targetGroupId, options: groups.map(g => ({ value: g.id, label: g.name })) },
      { name: 'targetCustomerCode', label: '客户编码 (对象为指定客户时)', value: p?.targetCustomerCode },
      { name: 'startsAt', label: '开始时间 (北京时间)', type: 'datetime-local', value: p ? toLocalInput(p.startsAt) : toLocalInput(now.toISOString()), required: true },
      { name: 'endsAt', label: '结束时间 (北京时间)', type: 'datetime-local', value: p ? toLocalInput(p.endsAt) : toLocalInput(new Date(now.getTime() + 7 * 864e5).toISOString()), required: true },
      { name: 'buyQty', label: '买 N (买赠)', type: 'number', min: 1, value: p?.buyQty },
      { name: 'freeQty', label: '赠 M (买赠)', type: 'number', min: 1, value: p?.freeQty },
      { name: 'threshold', label: '满 (元, 满减)', value: p?.thresholdFen ? (p.thresholdFen / 100).toFixed(2) : '' },
      { name: 'discount', label: '减 (元, 满减)', value: p?.discountFen ? (p.discountFen / 100).toFixed(2) : '' },
      { name: 'items', label: '商品 (每行: SKU 特价元；买赠只写 SKU)', type: 'textarea', value: (p?.items || []).map(i => i.specialPriceFen ? `${i.sku} ${(i.specialPriceFen / 100).toFixed(2)}` : i.sku).join('\n') },
      { name: 'active', label: '启用', type: 'select', value: p ? String(p.active) : 'true', options: [{ value: 'true', label: '启用' }, { value: 'false', label: '停用' }] },
      { name: 'description', label: '说明', value: p?.description },
    ] });
    if (!v) return;
    const items = v.items.split('\n').map(l => l.trim()).filter(Boolean).map(l => {
      const [sku, price] = l.split(/[\s,，]+/);
      return { sku, specialPriceFen: price ? parseYuan(price) : null };
    });
    const body = {
      code: v.code, name: v.name, kind: v.kind, target: v.target,
      targetGroupId: v.target === 'group' ? Number(v.targetGroupId) : null, targetCustomerCode: v.target === 'customer' ? v.targetCustomerCode : null,
      startsAt: v.startsAt, endsAt: v.endsAt,
      buyQty: v.buyQty ? Number(v.buyQty) : null, freeQty: v.freeQty ? Number(v.freeQty) : null,
      thresholdFen: v.threshold ? parseYuan(v.threshold) : null, discountFen: v.discount ? parseYuan(v.discount) : null,
      active: v.active === 'true', description: v.description || null, items,
    };
    const ok = await attempt(() => p ? api.put(`/api/admin/catalog/promotions/${p.id}`, body) : api.post('/api/admin/catalog/promotions', body), '促销已保存');
    if (ok) load();
  }
  await load();
}

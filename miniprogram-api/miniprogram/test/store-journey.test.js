// A store (门店 C00010) orders by itself in the mini-program, end to end against a real OrderHub server.
const { setup, createMp, server } = require('./support/mp.js')

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

test('a store signs in, finds a product by pinyin initials, orders it in under ten taps, and follows it to 已收货', async () => {
  let taps = 0
  const tap = async (page, sel, detail) => { taps++; await mp.tap(page, sel, detail) }

  // 1. Sign in (the demo build's development login) → home, with promotions and categories.
  const login = await mp.open('pages/login/index')
  await tap(login, '#dev-store')
  expect(bridge.lastNavigation().url).toBe('/pages/home/index')
  const home = await mp.follow()
  expect(mp.text(home)).toContain('越秀李记烟酒行')
  expect(mp.text(home, '#promotions')).toMatch(/满减|特价|买赠/)
  expect(mp.text(home, '#categories')).toContain('饮料')

  // 2. Search by pinyin initials: "ksf" finds 康师傅. The screen shows THIS store's price and its reason, as the API gives them.
  await mp.input(home, '#search-input', 'ksf')
  await tap(home, '#search')
  const list = await mp.follow()
  const token = (await srv.login({ customerCode: 'C00010' }))
  const api = await srv.get('/api/catalog/products?q=ksf&limit=20', token)
  expect(api.items.length).toBeGreaterThan(0)
  for (const p of api.items) {
    expect(p.name).toContain('康师傅')
    const shown = mp.text(list, '#item-' + p.sku)
    expect(shown).toContain(p.name)
    expect(shown).toContain(p.price.text)
    expect(shown).toContain(p.price.reason)
    expect(shown).toContain(p.stock.levelText)
  }

  // 3. Add the first product in stock (its MOQ, a whole number of packs), go to the cart.
  const pick = api.items.find(p => p.stock.level !== 'OutOfStock' && p.stock.available >= p.minOrderQty * 2)
  await tap(list, '#add-' + pick.sku)
  expect(mp.text(list, '#cart-count')).toBe('1')
  await tap(list, '#go-cart')
  const cart = await mp.follow()
  const serverCart = await srv.get('/api/cart', token)
  expect(serverCart.lines[0].quantity).toBe(pick.minOrderQty)
  expect(mp.text(cart, '#line-' + pick.sku)).toContain(pick.price.text)
  expect(mp.text(cart, '#total')).toBe(serverCart.totalText)

  // 4. Checkout: the default address, a note; submit asks once for subscribe messages, then shows the order.
  await tap(cart, '#checkout')
  const checkout = await mp.follow()
  expect(mp.text(checkout)).toContain('广州市越秀区')
  await mp.input(checkout, '#note', '下午送货')
  await tap(checkout, '#submit')
  expect(bridge.subscribeCalls).toEqual([['tpl-order-approved', 'tpl-order-rejected', 'tpl-order-shipped']])
  const submitCall = bridge.requests.find(r => r.method === 'POST' && r.url.endsWith('/api/orders'))
  expect(submitCall.header['Idempotency-Key']).toMatch(/^mp-/)
  const detail = await mp.follow()
  expect(mp.text(detail, '#status')).toBe('待业务审核')
  const orderNo = bridge.lastNavigation().url.match(/no=([A-Z0-9]+)/)[1]
  expect(taps).toBeLessThan(10)

  // 5. The order is under 待业务审核 in the orders list.
  const orders = await mp.open('pages/orders/index')
  await mp.tap(orders, '#tab-pending_sales_review')
  expect(mp.text(orders, '#order-' + orderNo)).toContain('待业务审核')
  await mp.tap(orders, '#tab-shipped')
  expect(mp.text(orders)).not.toContain(orderNo)

  // 6. The back office moves it (业务审核 → 财务审核 → 出库 → 发货); the store reads the flow in plain Chinese and confirms receipt.
  const staff = { clerk: await srv.login({ staffLogin: 'clerk' }), finance: await srv.login({ staffLogin: 'finance' }), warehouse: await srv.login({ staffLogin: 'warehouse' }) }
  const id = (await srv.get('/api/orders/' + orderNo, token)).summary.id
  for (const [who, action] of [['clerk', 'approve-sales'], ['finance', 'approve-finance'], ['warehouse', 'outbound'], ['warehouse', 'ship']]) {
    const r = await srv.post('/api/admin/orders/' + id + '/' + action, staff[who], {})
    expect(r.status).toBe(200)
  }
  const shipped = await mp.open('pages/order/detail', { no: orderNo })
  const timeline = mp.text(shipped, '#timeline')
  for (const step of ['提交订单', '业务审核', '财务审核', '出库', '发货', '收货']) expect(timeline).toContain(step)
  expect(timeline).toContain('已通过')
  expect(timeline).not.toMatch(/pending_|shipped|approve|[a-z]{4,}/)
  const events = (await srv.get('/api/orders/' + orderNo, token)).timeline
  for (const e of events) if (e.actorName) expect(timeline).not.toContain(e.actorName)
  expect(mp.text(shipped, '#status')).toBe('已发货')
  await mp.tap(shipped, '#receive')
  expect(mp.text(shipped, '#status')).toBe('已收货')
  expect(mp.text(shipped, '#timeline')).toMatch(/收货.*已完成/)
})

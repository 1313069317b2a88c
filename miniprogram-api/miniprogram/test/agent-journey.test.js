// An agent (业务员 AG001) works its stores in the mini-program, end to end against a real OrderHub server.
const fs = require('fs')
const { setup, createMp, server } = require('./support/mp.js')

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

test('an agent picks a store, places a proxy order at that store\'s prices, and the store sees it under 待业务审核', async () => {
  const agentToken = await srv.login({ agentCode: 'AG001' })
  const myStores = await srv.get('/api/agent/customers', agentToken)

  // 1. Sign in → my stores, each with its figures.
  const login = await mp.open('pages/login/index')
  await mp.tap(login, '#dev-agent')
  expect(bridge.lastNavigation().url).toBe('/pages/agent/stores/index')
  const stores = await mp.follow()
  for (const s of myStores) {
    expect(mp.text(stores, '#store-' + s.id)).toContain(s.name)
    expect(mp.text(stores, '#store-' + s.id)).toContain(s.balanceText)
  }

  // 2. Open the store C00001 → its figures and actions.
  const store = myStores.find(s => s.code === 'C00001')
  await mp.tap(stores, '#store-' + store.id)
  const storePage = await mp.follow()
  expect(mp.text(storePage, '#store-name')).toBe(store.name)
  expect(mp.text(storePage, '#figures')).toContain('应收款')

  // 3. 代订货: the catalog shows THAT store's prices and reasons (as the API gives them for it), not another store's.
  await mp.tap(storePage, '#go-proxy')
  const list = await mp.follow()
  expect(mp.text(list, '#proxy-banner')).toContain(store.name)
  const forStore = await srv.get('/api/catalog/products?customerId=' + store.id + '&limit=20', agentToken)
  const c10 = await srv.get('/api/catalog/products?limit=20', await srv.login({ customerCode: 'C00010' }))
  let differs = 0
  for (const p of forStore.items) {
    const shown = mp.text(list, '#item-' + p.sku)
    expect(shown).toContain(p.price.text)
    expect(shown).toContain(p.price.reason)
    const other = c10.items.find(x => x.sku === p.sku)
    if (other && other.price.text !== p.price.text && !shown.includes(other.price.text)) differs++
  }
  expect(differs).toBeGreaterThan(0)   // C00001 (C类) and C00010 (A类) do not pay the same

  // 4. Cart and submit for the store.
  const pick = forStore.items.find(p => p.stock.level !== 'OutOfStock' && p.stock.available >= p.minOrderQty)
  await mp.tap(list, '#add-' + pick.sku)
  await mp.tap(list, '#go-cart')
  const cart = await mp.follow()
  expect(mp.text(cart, '#proxy-banner')).toContain(store.name)
  expect(mp.text(cart, '#line-' + pick.sku)).toContain(pick.price.text)
  await mp.tap(cart, '#checkout')
  const checkout = await mp.follow()
  expect(mp.text(checkout)).toContain(store.address)
  await mp.tap(checkout, '#submit')
  expect(bridge.subscribeCalls).toEqual([])   // consent is the store user's, not the agent's
  const post = bridge.requests.find(r => r.method === 'POST' && r.url.endsWith('/api/agent/customers/' + store.id + '/orders'))
  expect(post.status).toBe(201)
  expect(post.header['Idempotency-Key']).toBeTruthy()
  const detail = await mp.follow()
  expect(mp.text(detail, '#status')).toBe('待业务审核')
  const orderNo = post.response.summary.orderNo

  // 5. The store signs in and finds the proxy order under 待业务审核, marked 业务员代订, and a message about it.
  bridge.wx.clearStorageSync()
  const storeLogin = await mp.open('pages/login/index')
  await mp.input(storeLogin, '.input', 'C00001')
  await mp.tap(storeLogin, '#dev-store')
  const orders = await mp.open('pages/orders/index')
  await mp.tap(orders, '#tab-pending_sales_review')
  expect(mp.text(orders, '#order-' + orderNo)).toContain('待业务审核')
  expect(mp.text(orders, '#order-' + orderNo)).toContain('业务员代订')
  const notes = await mp.open('pages/notifications/index')
  expect(mp.text(notes)).toContain(orderNo)
})

test('an agent logs a visit with the phone\'s location, shows a store\'s binding QR, and shares a product card with a share code', async () => {
  const login = await mp.open('pages/login/index')
  await mp.tap(login, '#dev-agent')
  const agentToken = await srv.login({ agentCode: 'AG001' })
  const store = (await srv.get('/api/agent/customers', agentToken)).find(s => s.code === 'C00006')

  // Visit: location from wx.getLocation, a note; the store page lists it.
  bridge.location = { latitude: 23.1301, longitude: 113.2611, accuracy: 15 }
  const visit = await mp.open('pages/agent/visit/index', { id: String(store.id), name: store.name })
  expect(mp.text(visit, '#location')).toContain('23.13010')
  await mp.input(visit, '#note', '货架陈列良好，建议补货饮料')
  await mp.tap(visit, '#save')
  const saved = bridge.requests.find(r => r.method === 'POST' && r.url.endsWith('/visits'))
  expect(saved.status).toBe(201)
  expect(saved.data).toMatchObject({ kind: 'store_visit', latitude: 23.1301, longitude: 113.2611 })
  expect(bridge.lastNavigation().kind).toBe('navigateBack')
  const storePage = await mp.open('pages/agent/store/index', { id: String(store.id) })
  expect(mp.text(storePage, '#visits')).toContain('货架陈列良好')

  // Binding QR: a fresh code, its PNG downloaded with the agent's token and shown.
  const binding = await mp.open('pages/agent/binding/index', { id: String(store.id), name: store.name })
  expect(mp.text(binding, '#code')).toMatch(/绑定码 \S+/)
  const png = binding.instance.data.image
  expect(fs.readFileSync(png).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]))

  // Share a product: the card's path carries a share code made by POST /api/agent/share-links.
  const sku = (await srv.get('/api/catalog/products?customerId=' + store.id + '&limit=1', agentToken)).items[0].sku
  const product = await mp.open('pages/product/index', { sku, customerId: String(store.id) })
  expect(product.querySelector('#share')).toBeTruthy()        // <button open-type="share">: WeChat then calls onShareAppMessage
  const card = product.instance.onShareAppMessage()
  expect(card.path).toMatch(new RegExp('^/pages/product/index\\?sku=' + sku + '&share=[0-9a-f]+$'))

  // A store opening the card adds with the share code, so the order counts for the agent.
  bridge.wx.clearStorageSync()
  const storeLogin = await mp.open('pages/login/index')
  await mp.input(storeLogin, '.input', 'C00006')
  await mp.tap(storeLogin, '#dev-store')
  const share = card.path.match(/share=([0-9a-f]+)/)[1]
  const opened = await mp.open('pages/product/index', { sku, share })
  await mp.tap(opened, '#add')
  const add = bridge.requests.filter(r => r.method === 'POST' && r.url.endsWith('/api/cart/items')).pop()
  expect(add.data.shareCode).toBe(share)
  expect(add.status).toBe(200)

  // My performance page renders the agent's own figures.
  bridge.wx.clearStorageSync()
  await mp.tap(await mp.open('pages/login/index'), '#dev-agent')
  const perf = await mp.open('pages/agent/performance/index')
  expect(mp.text(perf, '#performance')).toContain('本月业绩')
  expect(mp.text(perf, '#months')).toMatch(/\d{4}年\d{1,2}月/)
  // The uCharts column chart is drawn on the 2d canvas: one bar label per month the API reports.
  for (let i = 0; i < 20 && !perf.instance.data.chartDrawn; i++) await new Promise(r => setTimeout(r, 25))
  expect(perf.instance.data.chartDrawn).toBe(true)
  const sales = perf.instance.data.months
  const texts = bridge.drawn['#chart'].filter(o => o.op === 'fillText').map(o => String(o.args[0]))
  for (const m of sales) expect(texts).toContain(m.label.replace(/^\d{4}年/, ''))
  expect(bridge.drawn['#chart'].some(o => o.op === 'fill' || o.op === 'fillRect')).toBe(true)
})

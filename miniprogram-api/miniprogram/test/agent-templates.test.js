// 常用单 for an agent, against the real server: from a store's page the agent opens 常用单, saves its proxy cart as the
// store's template (the store sees it), and places a proxy order from it (代下单); the store has the order.
const { setup, createMp, server } = require('./support/mp.js')

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

test('an agent saves its proxy cart as a store\'s 常用单 and places a proxy order from it that the store sees', async () => {
  const agentToken = await srv.login({ agentCode: 'AG001' })
  const myStores = await srv.get('/api/agent/customers', agentToken)
  const store = myStores.find(s => s.code === 'C00002') || myStores[0]
  const storeToken = await srv.login({ customerCode: store.code })

  // A product the store may buy, in the agent's proxy cart for it.
  const page = await srv.get('/api/catalog/products?customerId=' + store.id + '&limit=60', agentToken)
  const p = page.items.find(x => x.stock.level !== 'OutOfStock' && x.stock.available >= x.minOrderQty * 4)
  const cartPath = '/api/agent/customers/' + store.id + '/cart'
  await srv.call('DELETE', cartPath, agentToken)
  const added = await srv.call('POST', cartPath + '/items', agentToken, { sku: p.sku, quantity: p.minOrderQty * 2 })
  expect(added.status).toBe(200)

  // Sign in → my stores → the store → 常用单.
  const login = await mp.open('pages/login/index')
  await mp.tap(login, '#dev-agent')
  const stores = await mp.follow()
  await mp.tap(stores, '#store-' + store.id)
  const storePage = await mp.follow()
  await mp.tap(storePage, '#go-templates')
  const templates = await mp.follow()
  expect(mp.text(templates, '#proxy-banner')).toContain(store.name)
  expect(templates.querySelector('#schedule-1')).toBeFalsy()

  await mp.input(templates, '#name', '业务员代存常用单')
  await mp.tap(templates, '#save')
  expect(mp.text(templates, '#notice')).toContain('业务员代存常用单')
  const saved = (await srv.get('/api/templates', storeToken)).find(t => t.name === '业务员代存常用单')
  expect(saved.lines).toEqual([expect.objectContaining({ sku: p.sku, quantity: p.minOrderQty * 2 })])
  expect(mp.text(templates, '#template-' + saved.id)).toContain(saved.totalText)
  expect(templates.querySelector('#schedule-' + saved.id)).toBeFalsy()

  // 代下单 from the template: the store's order, at its prices, to its default address.
  const before = (await srv.get('/api/orders?limit=100', storeToken)).items.map(o => o.orderNo)
  await mp.tap(templates, '#order-' + saved.id)
  const notice = mp.text(templates, '#notice')
  expect(notice).toContain('已代下单')
  const orders = (await srv.get('/api/orders?limit=100', storeToken)).items
  const placed = orders.filter(o => !before.includes(o.orderNo))
  expect(placed).toHaveLength(1)
  expect(placed[0].channel).toBe('proxy')
  expect(notice).toContain(placed[0].orderNo)
  expect(notice).toContain(placed[0].totalText)
  const detail = await srv.get('/api/orders/' + placed[0].orderNo, storeToken)
  expect(detail.lines.filter(l => !l.isGift).map(l => [l.sku, l.quantity])).toEqual([[p.sku, p.minOrderQty * 2]])

  // The agent's proxy cart is as it was.
  const cart = await srv.get(cartPath, agentToken)
  expect(cart.lines.map(l => [l.sku, l.quantity])).toEqual([[p.sku, p.minOrderQty * 2]])
  await srv.call('DELETE', cartPath, agentToken)
})

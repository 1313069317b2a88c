// 常用单 chat card (issue #20) against the real server: the agent sends the store's usual order from the chat toolbar
// (POST /api/agent/chat/cards, kind usual_order); the store opens the card's page (pages/products/index?view=frequent&share=…),
// lands on 常用单 with the quantities it took last time, puts them in the cart in one tap and orders; the agent's chat
// figures count the open and the order.
const { setup, createMp, server, parseUrl } = require('./support/mp.js')
const fmt = require('../utils/format.js')
const { USUAL_ORDER_STORE } = require('./support/shared-stores.js')

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

const key = () => 'jest-' + Math.random().toString(36).slice(2)

async function order(srv, token, lines) {
  for (const [sku, quantity] of lines) {
    const r = await srv.post('/api/cart/items', token, { sku, quantity })
    expect(r.status).toBe(200)
  }
  const addressId = (await srv.get('/api/addresses', token))[0].id
  const r = await srv.post('/api/orders', token, { addressId }, { 'Idempotency-Key': key() })
  expect(r.status).toBe(201)
  return r.body.summary
}

test('the usual-order card fills the cart with the last quantities and the order from it is chat-won for the agent', async () => {
  const agentToken = await srv.login({ agentCode: 'AG001' })
  const stores = await srv.get('/api/agent/customers', agentToken)
  const store = stores.find(s => s.code === USUAL_ORDER_STORE) // a store no other test orders for (test/support/shared-stores.js)
  const token = await srv.login({ customerCode: store.code })
  await srv.call('DELETE', '/api/cart', token)

  // two in-stock items: P ordered twice (last 3 × MOQ), Q once (1 × MOQ)
  const page = await srv.get('/api/catalog/products?limit=60', token)
  const [p, q] = page.items.filter(x => x.stock.level !== 'OutOfStock' && x.stock.available >= x.minOrderQty * 8 && x.minOrderQty % x.packSize === 0)
  expect(q).toBeDefined()
  await order(srv, token, [[p.sku, p.minOrderQty * 2], [q.sku, q.minOrderQty]])
  await order(srv, token, [[p.sku, p.minOrderQty * 3]])

  // the agent sends the card from the chat toolbar; the store signs in and opens it
  const sent = await srv.post('/api/agent/chat/cards', agentToken, { customerId: store.id, kind: 'usual_order' })
  expect(sent.status).toBe(201)
  const code = sent.body.code
  const login = await mp.open('pages/login/index')
  await mp.input(login, '.input', store.code)
  await mp.tap(login, '#dev-store')
  const card = parseUrl(sent.body.page)
  expect(card).toEqual({ page: 'pages/products/index', query: { view: 'frequent', share: code } })
  await mp.open(card.page, card.query)
  expect(bridge.lastNavigation()).toEqual({ kind: 'redirectTo', url: '/pages/usual-order/index?share=' + code })
  const usual = await mp.follow()
  expect(mp.text(usual, '#item-' + p.sku)).toContain('× ' + p.minOrderQty * 3 + p.unit)
  expect(mp.text(usual, '#item-' + q.sku)).toContain('× ' + q.minOrderQty + q.unit)

  await mp.tap(usual, '#fill')
  expect(mp.text(usual, '#notice')).toBe('已加入购物车 2 种商品')
  const cart = await srv.get('/api/cart', token)
  expect(cart.lines.filter(l => !l.isGift).map(l => [l.sku, l.quantity]).sort()).toEqual([[p.sku, p.minOrderQty * 3], [q.sku, q.minOrderQty]].sort())

  const won = await order(srv, token, [])
  const figures = await srv.get('/api/agent/chat/figures', agentToken)
  const mine = figures.stores.find(s => s.customerId === store.id)
  expect(mine).toEqual(expect.objectContaining({ cardsSent: 1, cardsOpened: 1, orders: 1, revenueFen: won.totalFen }))

  // the agent's 业绩 page shows the same: the store's row and the month's totals as the API gives them
  bridge.wx.clearStorageSync()
  const agentLogin = await mp.open('pages/login/index')
  agentLogin.instance.setData({ agentCode: 'AG001' })
  await mp.tap(agentLogin, '#dev-agent')
  const perf = await mp.open('pages/agent/performance/index')
  expect(mp.text(perf, '#chat-store-' + store.id)).toContain(`1 张卡片 · 1 次打开 · 1 单 · ${fmt.yuan(won.totalFen)}`)
  expect(mp.text(perf, '#chat-revenue')).toBe(fmt.yuan(figures.revenueFen))
  expect(mp.text(perf, '#chat-won')).toContain(`发出卡片 ${figures.cardsSent} · 打开 ${figures.cardsOpened} · 成交 ${figures.orders} 单`)
})

// 业务员记分卡 on the agent's 业绩 page, against a real OrderHub server. Two of AG003's stores that have not ordered and that
// no other test depends on (other files do use AG003's C00003, C00008, C00013, C00023; insight.test.js needs C00013, C00028,
// C00043 left alone) each place an order through the API; the back office ships them through its API after the ERP's unit
// cost of the ordered product is set (test/support/db.js: the one non-API step, as the cost feed of an ERP sync would); the
// agent logs a visit. The page must show the gross profit worked out here from the lines (amount − the product's cost as
// shipped × quantity; every demo product has a cost, so a 买赠 gift of another product costs too), 2 active stores, the visit.
const { setup, createMp, server } = require('./support/mp.js')
const { sql } = require('./support/db.js')
const { CROSS_SELL_STORES } = require('./support/shared-stores.js')
const fmt = require('../utils/format.js')

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

const shuffle = a => a.map(x => [Math.random(), x]).sort((p, q) => p[0] - q[0]).map(p => p[1])

test('记分卡: my gross profit of shipped lines, active stores, visits and my rank', async () => {
  const agentToken = await srv.login({ agentCode: 'AG003' })
  const admin = await srv.login({ staffLogin: 'admin' })
  const stores = shuffle((await srv.get('/api/agent/customers', agentToken)).filter(s => !s.lastOrderAt && !CROSS_SELL_STORES.includes(s.code))).slice(0, 2)
  expect(stores.length).toBe(2)
  const run = Date.now()
  let revenue = 0
  let cost = 0
  for (const [i, store] of stores.entries()) {
    const token = await srv.login({ customerCode: store.code })
    // only our line (and its gifts): a line another file left in this store's cart would order with it
    expect((await srv.call('DELETE', '/api/cart', token)).status).toBe(204)
    const products = (await srv.get('/api/catalog/products?limit=60', token)).items
    const p = shuffle(products.filter(x => x.stock.level !== 'OutOfStock' && x.stock.available >= x.minOrderQty * 4))[0]
    if (!p) throw new Error('no product for ' + store.code + ': ' + JSON.stringify(products.slice(0, 2).map(x => [x.sku, x.stock, x.minOrderQty, x.promotions])) + ' of ' + products.length)
    const unitCost = Math.round(p.price.fen * (0.4 + Math.random() * 0.5))
    sql(`UPDATE products SET cost_fen = ${unitCost} WHERE sku = '${p.sku.replace(/'/g, "''")}';`)
    const qty = p.minOrderQty * (1 + Math.floor(Math.random() * 3))
    expect((await srv.call('POST', '/api/cart/items', token, { sku: p.sku, quantity: qty })).status).toBe(200)
    const addressId = (await srv.get('/api/addresses', token))[0].id
    const placed = await srv.post('/api/orders', token, { addressId }, { 'Idempotency-Key': `scorecard-${run}-${i}` })
    expect(placed.status).toBe(201)
    const id = placed.body.summary.id
    expect((await srv.post(`/api/admin/orders/${id}/approve-sales`, admin)).status).toBe(200)
    expect((await srv.post(`/api/admin/orders/${id}/approve-finance`, admin, { override: true })).status).toBe(200)
    expect((await srv.post(`/api/admin/orders/${id}/ship`, admin)).status).toBe(200)
    // Each line at its product's cost when shipped: ours at unitCost, a 买赠 gift of another product at that product's demo
    // cost (the products table as the ERP feed left it; read here, not the server's per-line figures).
    const lines = sql(`SELECT l.sku || ':' || l.quantity || ':' || l.amount_fen || ':' || COALESCE(p.cost_fen, 0) FROM order_lines l
      JOIN products p ON p.id = l.product_id WHERE l.order_id = ${id};`).split('\n')
    expect(lines.some(l => l.startsWith(p.sku + ':'))).toBe(true)
    for (const l of lines) {
      const [sku, q, amount, productCost] = l.split(':')
      revenue += Number(amount)
      cost += (sku === p.sku ? unitCost : Number(productCost)) * Number(q)
    }
  }
  const visit = await srv.post(`/api/agent/customers/${stores[0].id}/visits`, agentToken, { kind: 'store_visit', note: '记分卡测试' })
  expect(visit.status).toBe(201)

  bridge.wx.clearStorageSync()
  const login = await mp.open('pages/login/index')
  login.instance.setData({ agentCode: 'AG003' })
  await mp.tap(login, '#dev-agent')
  const perf = await mp.open('pages/agent/performance/index')
  const card = mp.text(perf, '#scorecard')
  expect(mp.text(perf, '#scorecard-gp')).toBe(fmt.yuan(revenue - cost))
  // active stores: AG003's stores with an order placed this month (Shanghai) that is not rejected or cancelled — ours two, and any
  // store of AG003 that another test, running on the same server, had order this month
  const sh = new Date(Date.now() + 8 * 3600000)
  const monthStartMs = Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth(), 1) - 8 * 3600000
  const active = Number(sql(`SELECT COUNT(DISTINCT o.customer_id) FROM orders o JOIN customers cu ON cu.id = o.customer_id JOIN agents a ON a.id = cu.agent_id
    WHERE a.code = 'AG003' AND o.status NOT IN ('rejected', 'cancelled') AND o.created_at >= ${monthStartMs};`))
  expect(active).toBeGreaterThanOrEqual(2)
  expect(mp.text(perf, '#scorecard-active')).toBe(String(active))
  expect(card).toContain('巡店/回访')
  expect(card).toMatch(/1\/0/)
  const me = (await srv.get('/api/agent/reports/scorecard', agentToken)).agents[0]
  expect(card).toContain(`第 ${me.rank} 名 / `)
})

// The store's other screens and states, each against the real server: short stock, pack-size errors in Chinese,
// cancel while in review, 再来一单 and 常购清单, 对账 with the XLSX, binding through wx.login with a QR scene.
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

async function signInStore(code) {
  const login = await mp.open('pages/login/index')
  await mp.input(login, '.input', code)
  await mp.tap(login, '#dev-store')
  return srv.login({ customerCode: code })
}

async function inStock(token, n) {
  const page = await srv.get('/api/catalog/products?limit=60', token)
  return page.items.filter(p => p.stock.level !== 'OutOfStock' && p.stock.available >= p.minOrderQty * 2).slice(0, n || 1)
}

test('the cart flags a short item with the stock left, blocks checkout, and shows a pack-size refusal in Chinese', async () => {
  const token = await signInStore('C00002')
  const [p] = await inStock(token)
  await srv.call('POST', '/api/cart/items', token, { sku: p.sku, quantity: p.minOrderQty })
  const cart = await mp.open('pages/cart/index')
  expect(mp.text(cart, '#short-warning')).toBe('')

  // Too many: more packs than the store may order now.
  const tooMany = (Math.floor(p.stock.available / p.packSize) + 2) * p.packSize
  await mp.trigger(cart, '#stepper-' + p.sku, 'change', tooMany)
  const serverCart = await srv.get('/api/cart', token)
  const available = serverCart.shortages[0].available
  expect(mp.text(cart, '#short-warning')).toContain('库存不足')
  expect(mp.text(cart, '#short-' + p.sku)).toContain('仅剩 ' + available + p.unit)
  await mp.tap(cart, '#checkout')
  expect(bridge.toasts.pop()).toBe('有商品库存不足，请调整数量')
  expect(bridge.navigations).toEqual([expect.objectContaining({ url: '/pages/home/index' })])

  // Not a multiple of the pack size: the server's Chinese message is shown, the cart keeps what was saved.
  if (p.packSize > 1) {
    await mp.trigger(cart, '#stepper-' + p.sku, 'change', p.minOrderQty + 1)
    expect(bridge.toasts.pop()).toBe(p.sku + ' 须按箱规 ' + p.packSize + ' 的整数倍订购')
  }
  await mp.trigger(cart, '#stepper-' + p.sku, 'change', p.minOrderQty)
  expect(mp.text(cart, '#short-warning')).toBe('')
  expect(mp.text(cart, '#total')).toBe((await srv.get('/api/cart', token)).totalText)
})

test('a store cancels an order while it is in review, then 再来一单 puts it back in the cart and 常购清单 lists it', async () => {
  const token = await signInStore('C00003')
  const [p] = await inStock(token)
  await srv.call('POST', '/api/cart/items', token, { sku: p.sku, quantity: p.minOrderQty })
  const address = (await srv.get('/api/addresses', token))[0]
  const placed = await srv.post('/api/orders', token, { addressId: address.id }, { 'Idempotency-Key': 'cancel-test-1' })
  const no = placed.body.summary.orderNo

  const detail = await mp.open('pages/order/detail', { no })
  expect(mp.text(detail, '#timeline')).toMatch(/业务审核.*审核中/)
  bridge.modalContent = '订错了'
  await mp.tap(detail, '#cancel')
  expect(mp.text(detail, '#status')).toBe('已取消')
  expect(mp.text(detail, '#ended')).toContain('订单已取消：订错了')
  expect(detail.querySelector('#cancel')).toBeFalsy()

  await mp.tap(detail, '#reorder')
  expect(bridge.lastNavigation().url).toBe('/pages/cart/index')
  const cart = await mp.follow()
  expect(mp.text(cart, '#line-' + p.sku)).toContain(p.name)

  // A placed (not cancelled) order makes the 常购清单 on the home page.
  await srv.post('/api/orders', token, { addressId: address.id }, { 'Idempotency-Key': 'cancel-test-2' })
  const home = await mp.open('pages/home/index')
  expect(mp.text(home, '#frequent')).toContain(p.name)
  expect(mp.text(home, '#frequent')).toContain(p.price.text)
})

test('对账: balance, credit and the month\'s statement as the API gives them; the XLSX opens in the document viewer', async () => {
  const token = await signInStore('C00004')
  // A shipped order puts a debit on the store's ledger.
  const [p] = await inStock(token)
  await srv.call('POST', '/api/cart/items', token, { sku: p.sku, quantity: p.minOrderQty })
  const address = (await srv.get('/api/addresses', token))[0]
  const placed = (await srv.post('/api/orders', token, { addressId: address.id }, { 'Idempotency-Key': 'statement-test' })).body
  const admin = await srv.login({ staffLogin: 'admin' })
  for (const action of ['approve-sales', 'approve-finance', 'outbound', 'ship']) {
    expect((await srv.post('/api/admin/orders/' + placed.summary.id + '/' + action, admin, {})).status).toBe(200)
  }
  const balance = await srv.get('/api/balance', token)
  const st = await srv.get('/api/statement', token)
  const page = await mp.open('pages/statement/index')
  expect(mp.text(page, '#balance')).toContain(balance.balance.text)
  expect(mp.text(page, '#balance')).toContain(balance.hasCreditLimit ? balance.creditLimit.text : '不限')
  expect(mp.text(page, '#closing')).toBe(st.closingBalance.text)
  const shippedLine = st.lines.find(l => l.reference === placed.summary.orderNo)
  expect(shippedLine.debitFen).toBe(placed.summary.totalFen)
  expect(mp.text(page, '#statement')).toContain(shippedLine.kindText)
  expect(mp.text(page, '#statement')).toContain(placed.summary.orderNo)
  await mp.tap(page, '#download')
  expect(bridge.documents.length).toBe(1)
  expect(bridge.documents[0].fileType).toBe('xlsx')
  expect(fs.readFileSync(bridge.documents[0].filePath).subarray(0, 2).toString()).toBe('PK')   // a real XLSX (zip)

  // The owner's report: this month's purchases add up the store's orders.
  const month = placed.summary.createdAt.slice(0, 7)
  const mine = (await srv.get('/api/orders?limit=100', token)).items.filter(o => o.createdAt.startsWith(month) && o.status !== 'cancelled' && o.status !== 'rejected')
  const report = await mp.open('pages/reports/index')
  const sum = mine.reduce((a, o) => a + o.totalFen, 0)
  expect(mp.text(report, '#months')).toContain(month.replace('-', '年') + '月')
  expect(mp.text(report, '#months')).toContain('¥' + (sum / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ','))
})

test('a WeChat user opened from a binding QR is sent to binding, binds with the scene, and lands on that store\'s home', async () => {
  const agentToken = await srv.login({ agentCode: 'AG001' })
  const store = (await srv.get('/api/agent/customers', agentToken)).find(s => s.code === 'C00011')
  const code = (await srv.post('/api/agent/customers/' + store.id + '/binding-codes', agentToken, {})).body

  config.devLogin = false
  bridge.loginCode = 'wxcode-new-shop-owner'
  const login = await mp.open('pages/login/index', { scene: encodeURIComponent(code.scene) })
  expect(bridge.requests.find(r => r.url.endsWith('/api/wechat/login')).data).toEqual({ code: 'wxcode-new-shop-owner' })
  expect(bridge.lastNavigation().url).toMatch(/^\/pages\/bind\/index\?scene=b%3D/)
  const bind = await mp.follow()
  expect(bind.querySelector('#code')).toBeTruthy()
  expect(bind.instance.data.code).toBe(code.code)
  await mp.input(bind, '#name', '新店主')
  await mp.tap(bind, '#bind')
  expect(bridge.lastNavigation()).toEqual({ kind: 'reLaunch', url: '/pages/home/index' })
  const home = await mp.follow()
  expect(mp.text(home)).toContain(store.name)

  // Next launch: the same WeChat user is bound, wx.login signs straight in.
  bridge.wx.clearStorageSync()
  await mp.open('pages/login/index')
  expect(bridge.lastNavigation().url).toBe('/pages/home/index')

  // Launched from the agent's shared product card (signed out): signs in, then opens that product with the share code.
  const sku = (await srv.get('/api/catalog/products?customerId=' + store.id + '&limit=1', agentToken)).items[0].sku
  const link = (await srv.post('/api/agent/share-links', agentToken, { sku })).body
  bridge.wx.clearStorageSync()
  const [p, q] = link.path.split('?')
  const query = Object.fromEntries(q.split('&').map(kv => kv.split('=')))
  expect(p).toBe('pages/product/index')
  const product = await mp.open(p, query)                           // the card opens the product page…
  expect(bridge.lastNavigation().url).toBe('/pages/login/index?sku=' + sku + '&share=' + link.code)
  await mp.follow()                                                 // …which sends a signed-out user to sign in…
  expect(bridge.lastNavigation().url).toBe('/pages/product/index?sku=' + sku + '&share=' + link.code)
  const opened = await mp.follow()                                  // …and back to the product, share code kept
  await mp.tap(opened, '#add')
  expect(bridge.requests.filter(r => r.url.endsWith('/api/cart/items')).pop().data.shareCode).toBe(link.code)
  void login; void product
})

test('the cart shows 买赠 gift lines and the best 满减 as the server prices them; an item out of stock cannot be added', async () => {
  const token = await signInStore('C00009')
  const all = []
  for (let after = ''; ;) {
    const page = await srv.get('/api/catalog/products?limit=100' + (after ? '&after=' + after : ''), token)
    all.push(...page.items)
    if (!page.nextCursor) break
    after = page.nextCursor
  }
  const gift = all.find(p => p.promotions.some(x => x.kind === 'buy_get') && p.stock.available >= p.minOrderQty * 12)
  const out = all.find(p => p.stock.level === 'OutOfStock')

  // Out of stock: the list says 缺货 and offers no add button.
  if (out) {
    const list = await mp.open('pages/products/index', { q: out.name })
    expect(mp.text(list, '#item-' + out.sku)).toContain('缺货')
    expect(list.querySelector('#add-' + out.sku)).toBeFalsy()
  }

  await srv.call('POST', '/api/cart/items', token, { sku: gift.sku, quantity: Math.ceil(gift.minOrderQty * 11 / gift.packSize) * gift.packSize })
  const serverCart = await srv.get('/api/cart', token)
  const cart = await mp.open('pages/cart/index')
  const giftLine = serverCart.lines.find(l => l.isGift)
  expect(giftLine).toBeTruthy()
  expect(mp.text(cart, '#line-' + giftLine.sku + '-gift')).toContain('【赠品】')
  expect(mp.text(cart, '#line-' + giftLine.sku + '-gift')).toContain('赠送 ' + giftLine.quantity + giftLine.unit)
  if (serverCart.discountFen > 0) expect(mp.text(cart, '#discount')).toContain(serverCart.discountName)
  expect(mp.text(cart, '#total')).toBe(serverCart.totalText)
})

// 店主 / 店员 and 预存款充值 against the real server: the owner sets the approval amount on 门店成员与审核, a clerk's order
// above it waits (待店主审核), the clerk may not approve it (403), the owner approves it from the order page and it goes to
// 业务审核; the clerk sees only its role on the members page. On 对账, 充值 starts a WeChat Pay top-up (fake WeChat Pay,
// test/support/fake-wechat-pay.js) and the balance shown grows by what was paid.
const { setup, createMp, server } = require('./support/mp.js')

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

async function until(done) {
  for (let i = 0; i < 300 && !done(); i++) await new Promise(r => setTimeout(r, 10))
  await mp.bridge.idle()
}

async function signInStore(code) {
  const login = await mp.open('pages/login/index')
  await mp.input(login, '.input', code)
  await mp.tap(login, '#dev-store')
  return srv.login({ customerCode: code })
}

test('the owner sets the approval amount, a clerk\'s larger order waits, the clerk cannot approve it, the owner approves it', async () => {
  const ownerToken = await signInStore('C00023')
  const admin = await srv.login({ staffLogin: 'admin' })
  const storeId = (await srv.get('/api/auth/me', ownerToken)).customerId
  const created = await srv.post('/api/admin/customers/' + storeId + '/users', admin, { name: '店员小周', mobile: '13700002323', role: 'clerk' })
  expect(created.status).toBe(201)
  const clerkToken = await srv.login({ customerUserId: created.body.id })

  // the owner's page: role, the amount (¥100.00), the members
  const members = await mp.open('pages/store-users/index')
  expect(mp.text(members, '#my-role')).toBe('店主')
  await mp.input(members, '#threshold', '100')
  await mp.tap(members, '#save-threshold')
  expect(mp.text(members, '#threshold-text')).toBe('¥100.00')
  expect((await srv.get('/api/store/account', ownerToken)).ownerApprovalAboveFen).toBe(10000)
  expect(mp.text(members, '#user-' + created.body.id)).toContain('店员小周')
  expect(mp.text(members, '#user-' + created.body.id)).toContain('店员')

  // the clerk orders more than ¥100.00
  const page = await srv.get('/api/catalog/products?limit=60', clerkToken)
  const p = page.items.find(x => x.stock.level !== 'OutOfStock' && x.stock.available >= x.minOrderQty * 4 && x.price.fen * x.minOrderQty > 0)
  const qty = p.minOrderQty * Math.max(1, Math.ceil(10001 / (p.price.fen * p.minOrderQty)))
  expect((await srv.post('/api/cart/items', clerkToken, { sku: p.sku, quantity: qty })).status).toBe(200)
  const addressId = (await srv.get('/api/addresses', clerkToken))[0].id
  const order = await srv.post('/api/orders', clerkToken, { addressId }, { 'Idempotency-Key': 'mp-owner-1' })
  expect(order.status).toBe(201)
  expect(order.body.summary.status).toBe('pending_owner_approval')
  expect(order.body.summary.totalFen).toBeGreaterThan(10000)
  const no = order.body.summary.orderNo
  expect((await srv.post('/api/orders/' + no + '/owner-approve', clerkToken)).status).toBe(403)

  // the owner's order page: 待店主审核 with 审核通过 / 驳回; approving moves it to 业务审核
  const detail = await mp.open('pages/order/detail', { no })
  expect(mp.text(detail, '#status')).toBe('待店主审核')
  expect(detail.querySelector('#owner-reject')).toBeTruthy()
  await mp.tap(detail, '#owner-approve')
  await until(() => bridge.toasts.includes('已审核通过'))
  expect(mp.text(detail, '#status')).toBe('待业务审核')
  expect(detail.querySelector('#owner-approve')).toBeFalsy()
  expect(mp.text(detail, '#timeline')).toContain('店主审核')
  expect((await srv.get('/api/orders/' + no, ownerToken)).summary.status).toBe('pending_sales_review')
})

test('a clerk sees its role only, and no approve button on a waiting order', async () => {
  const ownerToken = await srv.login({ customerCode: 'C00024' })
  const admin = await srv.login({ staffLogin: 'admin' })
  const storeId = (await srv.get('/api/auth/me', ownerToken)).customerId
  const created = await srv.post('/api/admin/customers/' + storeId + '/users', admin, { name: '店员阿伟', mobile: '13700002424', role: 'clerk' })
  const clerkId = created.body.id
  await srv.call('PUT', '/api/store/approval-threshold', ownerToken, { aboveFen: 1 })
  const clerkToken = await srv.login({ customerUserId: clerkId })
  const page = await srv.get('/api/catalog/products?limit=60', clerkToken)
  const p = page.items.find(x => x.stock.level !== 'OutOfStock' && x.stock.available >= x.minOrderQty * 2)
  await srv.post('/api/cart/items', clerkToken, { sku: p.sku, quantity: p.minOrderQty })
  const addressId = (await srv.get('/api/addresses', clerkToken))[0].id
  const no = (await srv.post('/api/orders', clerkToken, { addressId }, { 'Idempotency-Key': 'mp-owner-2' })).body.summary.orderNo

  // the phone signed in as the clerk (what utils/api.js keeps after a sign-in)
  wx.setStorageSync('orderhub.tokens', { accessToken: clerkToken, refreshToken: '', expiresAt: Date.now() + 3600000, role: 'customer', customerId: storeId })
  const members = await mp.open('pages/store-users/index')
  expect(mp.text(members, '#my-role')).toBe('店员')
  expect(members.querySelector('#users')).toBeFalsy()
  expect(members.querySelector('#threshold-card')).toBeFalsy()
  expect(mp.text(members, '#clerk-note')).toContain('由店主管理')
  const detail = await mp.open('pages/order/detail', { no })
  expect(mp.text(detail, '#status')).toBe('待店主审核')
  expect(detail.querySelector('#owner-approve')).toBeFalsy()
  expect(detail.querySelector('#cancel')).toBeTruthy()
  expect((await srv.call('GET', '/api/store/users', clerkToken)).status).toBe(403)
})

test('充值 on the statement page tops up the prepaid balance by WeChat Pay', async () => {
  // a store bound through WeChat (the payer needs an openid), as in store-pay.test.js
  const agentToken = await srv.login({ agentCode: 'AG002' })
  const store = (await srv.get('/api/agent/customers', agentToken)).filter(s => !['C00001', 'C00002', 'C00010', 'C00011'].includes(s.code))[2]
  const code = (await srv.post('/api/agent/customers/' + store.id + '/binding-codes', agentToken, {})).body
  config.devLogin = false
  bridge.loginCode = 'wxcode-topup-1'
  await mp.open('pages/login/index', { scene: encodeURIComponent(code.scene) })
  const bind = await mp.follow()
  await mp.input(bind, '#name', '充值人')
  await mp.tap(bind, '#bind')
  await mp.follow()

  const st = await mp.open('pages/statement/index')
  await until(() => mp.text(st, '#prepaid-balance') !== '')
  const before = mp.text(st, '#prepaid-balance')
  bridge.modalConfirm = true
  bridge.modalContent = '88.8'
  await mp.tap(st, '#top-up')
  await until(() => bridge.toasts.some(t => t.startsWith('充值')))
  expect(bridge.paymentCalls).toHaveLength(1)
  expect(bridge.paymentCalls[0].package).toMatch(/^prepay_id=/)
  const call = bridge.requests.find(r => r.method === 'POST' && r.url.endsWith('/api/prepaid/top-ups'))
  expect(call.header['Idempotency-Key']).toMatch(/^mp-/)
  expect(JSON.parse(typeof call.data === 'string' ? call.data : JSON.stringify(call.data)).amountFen).toBe(8880)
  expect(bridge.toasts).toContain('充值成功')
  expect(before).toBe('¥0.00')
  expect(mp.text(st, '#prepaid-balance')).toBe('¥88.80')
})

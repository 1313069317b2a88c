// A store pays its order with WeChat Pay from the order page, against a real OrderHub server and a fake WeChat Pay
// (test/support/fake-wechat-pay.js: signed requests checked, signed answers): the 微信支付 button gets the server-signed
// parameters into wx.requestPayment, and coming back the page shows the order paid (the server asked WeChat Pay).
const { setup, createMp, server } = require('./support/mp.js')
const { RETURNS_STORE } = require('./support/shared-stores.js')

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

// the sheet answers on its own timer; the page then asks the server once more
async function until(done) {
  for (let i = 0; i < 300 && !done(); i++) await new Promise(r => setTimeout(r, 10))
  await mp.bridge.idle()
}

async function bindWeChatUser(n, loginCode) {
  const agentToken = await srv.login({ agentCode: 'AG001' })
  // a store of AG001 that the other test files leave alone (not returns.test.js's, whose credit an order here would use)
  const store = (await srv.get('/api/agent/customers', agentToken)).filter(s => !['C00001', 'C00002', 'C00010', 'C00011', RETURNS_STORE].includes(s.code))[n]
  const code = (await srv.post('/api/agent/customers/' + store.id + '/binding-codes', agentToken, {})).body
  config.devLogin = false
  bridge.loginCode = loginCode
  await mp.open('pages/login/index', { scene: encodeURIComponent(code.scene) })
  const bind = await mp.follow()
  await mp.input(bind, '#name', '付款人')
  await mp.tap(bind, '#bind')
  await mp.follow()
  return store
}

async function placeOrder(storeCode, key) {
  const token = await srv.login({ customerCode: storeCode })
  const page = await srv.get('/api/catalog/products?limit=60', token)
  const p = page.items.find(x => x.stock.level !== 'OutOfStock' && x.stock.available >= x.minOrderQty * 2)
  await srv.post('/api/cart/items', token, { sku: p.sku, quantity: p.minOrderQty })
  const addressId = (await srv.get('/api/addresses', token))[0].id
  const r = await srv.post('/api/orders', token, { addressId }, { 'Idempotency-Key': key })
  expect(r.status).toBe(201)
  return { orderNo: r.body.summary.orderNo, totalText: r.body.summary.totalText, token }
}

test('the store taps 微信支付, confirms in the WeChat Pay sheet, and the order page shows it paid', async () => {
  const store = await bindWeChatUser(0, 'wxcode-payer-1')
  const { orderNo, totalText } = await placeOrder(store.code, 'mp-pay-order-1')

  const detail = await mp.open('pages/order/detail', { no: orderNo })
  expect(mp.text(detail, '#outstanding')).toBe(totalText)
  await mp.tap(detail, '#pay')
  await until(() => bridge.toasts.some(t => t.startsWith('支付')))

  expect(bridge.paymentCalls).toHaveLength(1)
  const call = bridge.paymentCalls[0]
  expect(call.package).toMatch(/^prepay_id=wx[0-9a-f]+$/)
  expect(call.signType).toBe('RSA')
  expect(call.paySign.length).toBeGreaterThan(300)  // a 2048-bit RSA signature in base64
  const payCall = bridge.requests.find(r => r.method === 'POST' && r.url.endsWith('/api/orders/' + orderNo + '/payments'))
  expect(payCall.header['Idempotency-Key']).toMatch(/^mp-/)
  expect(mp.text(detail, '#paid')).toBe(totalText)
  expect(detail.querySelector('#pay')).toBeFalsy()
  expect(bridge.toasts).toContain('支付成功')
  expect(store.id).toBeGreaterThan(0)
})

test('closing the WeChat Pay sheet leaves the order open to pay again', async () => {
  const store = await bindWeChatUser(1, 'wxcode-payer-2')
  const { orderNo, totalText } = await placeOrder(store.code, 'mp-pay-order-2')
  const detail = await mp.open('pages/order/detail', { no: orderNo })
  bridge.payAnswer = 'cancel'
  await mp.tap(detail, '#pay')
  await until(() => bridge.toasts.some(t => t.startsWith('支付')))
  expect(bridge.toasts).toContain('支付未完成')
  expect(mp.text(detail, '#outstanding')).toBe(totalText)
  expect(detail.querySelector('#pay')).toBeTruthy()
})

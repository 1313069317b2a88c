// The one API module under the pages, against the real server: token refresh, one order however often a submit is
// retried, problem+json shown in Chinese, offline and slow states, WeChat Work sign-in.
const { setup, createMp, server } = require('./support/mp.js')

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

const api = () => require('../utils/api.js')

test('an expired access token is refreshed through /api/auth/refresh and the request goes through', async () => {
  await api().devLogin({ customerCode: 'C00005' })
  const stored = bridge.wx.getStorageSync('orderhub.tokens')
  bridge.wx.setStorageSync('orderhub.tokens', Object.assign({}, stored, { accessToken: 'expired-or-revoked' }))
  const home = await mp.open('pages/home/index')
  expect(mp.text(home, '#categories')).toContain('饮料')
  expect(bridge.requests.filter(r => r.url.endsWith('/api/auth/refresh')).length).toBe(1)   // once, shared by the parallel calls
  expect(bridge.wx.getStorageSync('orderhub.tokens').accessToken).not.toBe('expired-or-revoked')

  // A refresh token the server refuses: back to the login page.
  bridge.wx.setStorageSync('orderhub.tokens', Object.assign({}, stored, { accessToken: 'x', refreshToken: 'also-bad' }))
  await mp.open('pages/orders/index')
  expect(bridge.lastNavigation()).toEqual({ kind: 'reLaunch', url: '/pages/login/index' })
})

test('a submit whose answer is lost is retried with the same Idempotency-Key and makes one order, not two', async () => {
  const s = await api().devLogin({ customerCode: 'C00007' })
  const token = await srv.login({ customerCode: 'C00007' })
  const p = (await srv.get('/api/catalog/products?limit=40', token)).items.find(x => x.stock.available >= x.minOrderQty * 2)
  await srv.call('POST', '/api/cart/items', token, { sku: p.sku, quantity: p.minOrderQty })
  const before = (await srv.get('/api/orders?limit=50', token)).items.length

  const checkout = await mp.open('pages/checkout/index')
  bridge.dropResponses.push({ match: /POST .*\/api\/orders$/, times: 1 })
  await mp.tap(checkout, '#submit')
  const posts = bridge.requests.filter(r => r.method === 'POST' && r.url.endsWith('/api/orders'))
  expect(posts.length).toBe(2)
  expect(posts[0].dropped).toBe(true)
  expect(posts[0].status).toBe(201)                          // the server made the order, the phone never heard
  expect(posts[1].header['Idempotency-Key']).toBe(posts[0].header['Idempotency-Key'])
  expect(posts[1].status).toBe(200)                          // replayed: the same order
  expect(posts[1].response.summary.orderNo).toBe(posts[0].response.summary.orderNo)
  expect((await srv.get('/api/orders?limit=50', token)).items.length).toBe(before + 1)
  expect(bridge.lastNavigation().url).toContain('no=' + posts[0].response.summary.orderNo)
  void s
})

test('problem+json errors show their Chinese message; offline and slow networks show their state', async () => {
  await api().devLogin({ customerCode: 'C00008' })
  // 404 from the server: the Chinese part of the problem.
  const err = await api().get('/api/orders/SO-NOPE').catch(e => e)
  expect(err.status).toBe(404)
  expect(err.message).toMatch(/[\u4e00-\u9fa5]/)
  expect(err.message).not.toContain(' / ')

  // Offline: the page says so, and shows the data once the network is back.
  bridge.offline = true
  const orders = await mp.open('pages/orders/index')
  expect(orders.instance.data.net).toBe('offline')
  expect(mp.text(orders)).toContain('网络不可用，请检查网络后重试')   // the banner (net-state component)
  expect(bridge.toasts.pop()).toBe('网络不可用，请检查网络后重试')
  bridge.offline = false
  await mp.tap(orders, '#tab-all')
  expect(mp.text(orders)).not.toContain('网络不可用')

  // Slow: past config.slowMs the page shows 网络较慢 while it waits.
  bridge.delayMs = 600
  const seen = []
  const stop = api().onNetwork(state => seen.push(state))
  const page = await mp.open('pages/notifications/index')
  stop()
  bridge.delayMs = 0
  expect(seen[0]).toBe('slow')                 // shown while waiting…
  expect(seen[seen.length - 1]).toBe('online') // …and cleared when the answer came
  expect(mp.text(page)).not.toContain('网络较慢')
})

test('inside WeChat Work the login page signs the agent in with qy.login → POST /api/wechat/work/login', async () => {
  config.devLogin = false
  // The WeChat Work member agent001 is the demo's agent AG001: the fake WeChat Work answers its code.
  global.wx.qy = { login: opts => setTimeout(() => opts.success({ code: 'qy-agent001' }), 0) }
  await mp.open('pages/login/index')
  const call = bridge.requests.find(r => r.url.endsWith('/api/wechat/work/login'))
  expect(call.method).toBe('POST')
  expect(call.data).toEqual({ code: 'qy-agent001' })
  expect(call.status).toBe(200)
  expect(bridge.requests.find(r => r.url.endsWith('/api/wechat/login'))).toBeUndefined()
  expect(bridge.lastNavigation().url).toBe('/pages/agent/stores/index')

  // A member who is no agent is refused, in Chinese, and stays on the login page.
  global.wx.clearStorageSync()
  global.wx.qy = { login: opts => setTimeout(() => opts.success({ code: 'qy-nobody' }), 0) }
  const refused = await mp.open('pages/login/index')
  const second = bridge.requests.filter(r => r.url.endsWith('/api/wechat/work/login')).pop()
  expect(second.status).toBeGreaterThanOrEqual(400)
  expect(mp.text(refused, '#error')).toMatch(/[\u4e00-\u9fa5]/)
  delete global.wx.qy
})

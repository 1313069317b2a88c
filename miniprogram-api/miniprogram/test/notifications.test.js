// 消息 as a store's user uses it: unread messages stand out, tapping one reads it, 全部已读 clears the rest, and 消息设置
// turns WeChat pushes of a kind off — every figure from the real server.
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

test('a store reads one message, then all, and turns off WeChat pushes of statements', async () => {
  // Finance tells one of AG002's stores, twice, that a statement is ready.
  const agent = await srv.login({ agentCode: 'AG002' })
  const store = (await srv.get('/api/agent/customers', agent))[1]
  const finance = await srv.login({ staffLogin: 'finance' })
  for (const month of ['2025-03', '2025-04']) {
    const r = await srv.post('/api/admin/customers/' + store.id + '/statement-ready', finance, { from: month + '-01', to: month + '-28' })
    expect(r.status).toBe(200)
  }
  await api().devLogin({ customerCode: store.code })
  const token = await srv.login({ customerCode: store.code })
  const unreadBefore = (await srv.get('/api/notifications/unread-count', token)).unread
  expect(unreadBefore).toBeGreaterThanOrEqual(2)

  const page = await mp.open('pages/notifications/index')
  expect(mp.text(page, '#unread')).toBe(unreadBefore + ' 条未读')
  expect(mp.all(page, '.unread').length).toBe(unreadBefore)
  expect(mp.text(page, '.note')).toContain('对账单已出')

  const newest = (await srv.get('/api/notifications', token))[0]
  await mp.tap(page, '#notification-' + newest.id)
  expect(mp.text(page, '#unread')).toBe((unreadBefore - 1) + ' 条未读')
  expect((await srv.get('/api/notifications/unread-count', token)).unread).toBe(unreadBefore - 1)

  await mp.tap(page, '#read-all')
  expect(mp.text(page, '#unread')).toBe('全部已读')
  expect(mp.all(page, '.unread').length).toBe(0)
  expect((await srv.get('/api/notifications/unread-count', token)).unread).toBe(0)

  await mp.tap(page, '#settings')
  expect(mp.text(page, '#kind-statement_ready')).toBe('对账单已出微信提醒：开')
  await mp.tap(page, '#kind-statement_ready')
  expect(mp.text(page, '#kind-statement_ready')).toBe('对账单已出微信提醒：关')
  const prefs = await srv.get('/api/notifications/preferences', token)
  expect(prefs.find(p => p.kind === 'statement_ready').pushed).toBe(false)
})

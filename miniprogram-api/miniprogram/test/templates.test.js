// 常用单 and 定期订货 against the real server: a store saves its cart as a template, empties the cart, puts the template back
// at today's prices, and schedules it for chosen weekdays with automatic submit; the server holds what the screen says.
const { setup, createMp, server } = require('./support/mp.js')

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

test('a store saves its cart as a 常用单, puts it back into the cart and schedules it on Monday and Thursday', async () => {
  const code = 'C00011'
  const login = await mp.open('pages/login/index')
  await mp.input(login, '.input', code)
  await mp.tap(login, '#dev-store')
  const token = await srv.login({ customerCode: code })

  const page = await srv.get('/api/catalog/products?limit=60', token)
  const p = page.items.find(x => x.stock.level !== 'OutOfStock' && x.stock.available >= x.minOrderQty * 4)
  await srv.call('DELETE', '/api/cart', token)
  await srv.call('POST', '/api/cart/items', token, { sku: p.sku, quantity: p.minOrderQty * 2 })

  const templates = await mp.open('pages/templates/index')
  await mp.input(templates, '#name', '小程序周补货')
  await mp.tap(templates, '#save')
  expect(mp.text(templates, '#notice')).toContain('小程序周补货')
  const saved = (await srv.get('/api/templates', token)).find(t => t.name === '小程序周补货')
  expect(saved.lines).toEqual([expect.objectContaining({ sku: p.sku, quantity: p.minOrderQty * 2 })])
  expect(mp.text(templates, '#template-' + saved.id)).toContain(saved.totalText)

  await srv.call('DELETE', '/api/cart', token)
  await mp.tap(templates, '#apply-' + saved.id)
  expect(mp.text(templates, '#notice')).toContain('已加入购物车 1 种商品')
  const cart = await srv.get('/api/cart', token)
  expect(cart.lines.map(l => [l.sku, l.quantity])).toEqual([[p.sku, p.minOrderQty * 2]])

  await mp.tap(templates, '#schedule-' + saved.id)
  await mp.tap(templates, '#day-1')
  await mp.tap(templates, '#day-4')
  await mp.tap(templates, '#auto')
  await mp.tap(templates, '#confirm-schedule')
  expect(mp.text(templates, '#notice')).toContain('每周一、周四，自动提交')
  const after = (await srv.get('/api/templates', token)).find(t => t.id === saved.id)
  expect(after.schedules).toEqual([expect.objectContaining({ weekdays: [1, 4], mode: 'submit', active: true })])
  expect(mp.text(templates, '#template-' + saved.id)).toContain('每周一、周四（自动提交）')
})

// 我的 → 发票抬头 and 收货地址 against the real server: a store adds a 专票 title (the server's Chinese refusal first, when
// the bank is missing), adds an address and makes it the default, then picks both at checkout; the order keeps them.
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

test('a store keeps a 专票 title and a new default address, and an order placed with them keeps both', async () => {
  const token = await signInStore('C00007')
  const titles = await mp.open('pages/invoices/index')
  await mp.tap(titles, '#add')
  await mp.tap(titles, '#kind-special')
  await mp.input(titles, '#f-title', '温州小程序测试贸易有限公司')
  await mp.input(titles, '#f-taxNo', '91330300MA2XYZ0001')
  await mp.tap(titles, '#save')
  // The server refuses a 专票 without bank details, in Chinese; the form stays open.
  expect(mp.text(titles, '#error')).toContain('专票须填写开户银行')
  await mp.input(titles, '#f-bankName', '农业银行温州分行')
  await mp.input(titles, '#f-bankAccount', '19200101040001234')
  await mp.input(titles, '#f-address', '温州市鹿城区车站大道 8 号')
  await mp.input(titles, '#f-phone', '0577-88001234')
  await mp.trigger(titles, '#f-default', 'change', { value: true })
  await mp.tap(titles, '#save')
  const saved = await srv.get('/api/invoice-titles', token)
  const title = saved.find(t => t.title === '温州小程序测试贸易有限公司')
  expect(title).toMatchObject({ kind: 'special', kindText: '专票', bankAccount: '19200101040001234', isDefault: true })
  expect(mp.text(titles, '#title-' + title.id)).toContain('专票')

  const addresses = await mp.open('pages/addresses/index')
  await mp.tap(addresses, '#add')
  await mp.input(addresses, '#f-contactName', '陈小程')
  await mp.input(addresses, '#f-phone', '13912345678')
  await mp.input(addresses, '#f-address', '温州市龙湾区新仓库 2 号门')
  await mp.tap(addresses, '#save')
  const list = await srv.get('/api/addresses', token)
  const added = list.find(a => a.address === '温州市龙湾区新仓库 2 号门')
  expect(added.isDefault).toBe(false)
  await mp.tap(addresses, '#default-' + added.id)
  expect((await srv.get('/api/addresses', token))[0]).toMatchObject({ id: added.id, isDefault: true })

  // Checkout preselects the default address and the default invoice title.
  const page = await srv.get('/api/catalog/products?limit=60', token)
  const p = page.items.find(x => x.stock.level !== 'OutOfStock' && x.stock.available >= x.minOrderQty * 2)
  await srv.call('POST', '/api/cart/items', token, { sku: p.sku, quantity: p.minOrderQty })
  const checkout = await mp.open('pages/checkout/index')
  expect(mp.text(checkout, '#address-' + added.id)).toContain('陈小程')
  await mp.tap(checkout, '#submit')
  const no = bridge.lastNavigation().url.match(/no=([^&]+)/)[1]
  const order = await srv.get('/api/orders/' + no, token)
  expect(order.deliveryAddress).toBe('温州市龙湾区新仓库 2 号门')
  expect(order.invoice).toMatchObject({ kindText: '专票', title: '温州小程序测试贸易有限公司', taxNo: '91330300MA2XYZ0001' })
})

// Units (瓶 / 箱): a demo store picks 箱 on the product page, orders 2 箱 at the ERP's case price, switches a cart line
// between units, and the order shows 2箱 — against the real server and its demo data (loose items also sell by the 箱).
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

// A product this store sees with a 箱 unit whose price is the ERP's case price (not base × factor), and stock for 2 箱.
async function caseProduct(token) {
  const page = await srv.get('/api/catalog/products?limit=100', token)
  const p = page.items.find(x => x.units.length > 1 && x.price.source === 'base_price' && x.units[1].price.source === 'base_price' && x.stock.available >= 4 * x.units[1].factor &&
    x.units[1].price.fen !== x.price.fen * x.units[1].factor && x.units[1].packSize === 1 && x.units[1].minOrderQty === 1)
  expect(p).toBeDefined()
  return { p, box: p.units.find(u => u.name === '箱') }
}

test('a demo store orders 2 箱 at the case price', async () => {
  const token = await signInStore('C00012')
  await srv.call('DELETE', '/api/cart', token)
  const { p, box } = await caseProduct(token)
  expect(p.units[0]).toMatchObject({ name: p.unit, factor: 1, isBase: true })

  const detail = await mp.open('pages/product/index', { sku: p.sku })
  // Both units are offered with this store's price for one of each.
  // (ids by position: the simulator's selectors take ASCII names only)
  expect(mp.text(detail, '#unit-0')).toBe(p.unit + ' ' + p.units[0].price.text)
  expect(mp.text(detail, '#unit-1')).toBe('箱（' + box.factor + p.unit + '） ' + box.price.text)
  await mp.tap(detail, '#unit-1')
  expect(mp.text(detail, '#unit-price')).toBe(box.price.text + '/箱')
  await mp.trigger(detail, '#stepper', 'change', 2)
  await mp.tap(detail, '#add')
  const addCall = bridge.requests.filter(r => r.method === 'POST' && r.url.endsWith('/items')).pop()
  expect(addCall.data).toMatchObject({ sku: p.sku, quantity: 2, unit: '箱' })

  const serverCart = await srv.get('/api/cart', token)
  const line = serverCart.lines.find(l => l.sku === p.sku && !l.isGift)
  expect(line).toMatchObject({ unit: '箱', quantity: 2, baseUnit: p.unit, unitFactor: box.factor, baseQuantity: 2 * box.factor })
  expect(line.price.fen).toBe(box.price.fen)
  expect(line.amountFen).toBe(2 * box.price.fen)

  // The cart shows the line in 箱 with the base quantity beside it, and the unit picker on the line.
  const cart = await mp.open('pages/cart/index')
  expect(mp.text(cart, '#unit-' + p.sku)).toBe('单位：箱 ▾')
  expect(mp.text(cart, '#base-' + p.sku)).toBe('= ' + 2 * box.factor + p.unit)
  expect(mp.text(cart, '#line-' + p.sku)).toContain(box.price.text)

  // Submitting: the order keeps 2 箱 at the case price.
  const submit = await srv.call('POST', '/api/orders', token, { addressId: (await srv.get('/api/addresses', token))[0].id }, { 'Idempotency-Key': 'units-' + Date.now() })
  expect(submit.status).toBe(201)
  const no = submit.body.summary.orderNo
  const order = await srv.get('/api/orders/' + no, token)
  const ordered = order.lines.find(l => l.sku === p.sku && !l.isGift)
  expect(ordered).toMatchObject({ unit: '箱', quantity: 2, unitPriceFen: box.price.fen, amountFen: 2 * box.price.fen, baseQuantity: 2 * box.factor })
  const shown = await mp.open('pages/order/detail', { no })
  expect(mp.text(shown)).toContain(box.price.text + ' × 2箱')
})

test('a cart line switches between 箱 and its base unit, counting the same goods', async () => {
  const token = await signInStore('C00013')
  await srv.call('DELETE', '/api/cart', token)
  const { p, box } = await caseProduct(token)
  expect((await srv.call('POST', '/api/cart/items', token, { sku: p.sku, quantity: 1, unit: '箱' })).status).toBe(200)

  const cart = await mp.open('pages/cart/index')
  await mp.trigger(cart, '#unit-pick-' + p.sku, 'change', { value: 0 })
  let line = (await srv.get('/api/cart', token)).lines.find(l => l.sku === p.sku && !l.isGift)
  expect(line).toMatchObject({ unit: p.unit, quantity: box.factor, baseQuantity: box.factor })
  expect(line.amountFen).toBe(box.factor * p.units[0].price.fen)
  expect(mp.text(cart, '#unit-' + p.sku)).toBe('单位：' + p.unit + ' ▾')

  await mp.trigger(cart, '#unit-pick-' + p.sku, 'change', { value: 1 })
  line = (await srv.get('/api/cart', token)).lines.find(l => l.sku === p.sku && !l.isGift)
  expect(line).toMatchObject({ unit: '箱', quantity: 1, baseQuantity: box.factor })
  expect(line.price.fen).toBe(box.price.fen)
})

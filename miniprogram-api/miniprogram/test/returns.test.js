// 退货 / 售后 in the mini-program against a real OrderHub server: from a shipped order the store opens 申请退货, sees each
// line with what may still be returned, sets a quantity with the stepper, picks a reason, adds a photo (wx.chooseMedia →
// wx.uploadFile), submits once with an Idempotency-Key (the same key when a lost answer makes them tap again), and finds the return in 退货 / 售后 as 待审核; asking for more than
// is left (someone filed a return of the same goods meanwhile) shows the server's Chinese message.
const fs = require('fs')
const http = require('http')
const os = require('os')
const path = require('path')
const { setup, createMp, server } = require('./support/mp.js')

const { RETURNS_STORE: STORE } = require('./support/shared-stores.js')   // a demo store no other test file orders for

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

function fetchRaw(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: new http.Agent({ keepAlive: false }) }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }))
    }).on('error', reject)
  })
}

// floor(amount × part ÷ whole), as ReturnValuation documents it
const share = (amount, part, whole) => (part >= whole ? amount : Math.floor(amount * part / whole))
const yuan = fen => '¥' + (fen / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')

// Two products (random quantities of at least 3) ordered by the store, then moved through the back office to 已发货.
async function shippedOrder(token, key) {
  const page = await srv.get('/api/catalog/products?limit=60', token)
  const picks = page.items.filter(x => x.stock.level !== 'OutOfStock' && x.stock.available >= x.minOrderQty * 6).slice(0, 2)
  expect(picks).toHaveLength(2)
  for (const p of picks) {
    const qty = p.minOrderQty * (3 + Math.floor(Math.random() * 3))
    expect((await srv.post('/api/cart/items', token, { sku: p.sku, quantity: qty })).status).toBeLessThan(300)
  }
  const addressId = (await srv.get('/api/addresses', token))[0].id
  const r = await srv.post('/api/orders', token, { addressId }, { 'Idempotency-Key': key })
  expect(r.status).toBe(201)
  return r.body.summary
}

async function ship(summary) {
  const staff = { clerk: await srv.login({ staffLogin: 'clerk' }), finance: await srv.login({ staffLogin: 'finance' }), warehouse: await srv.login({ staffLogin: 'warehouse' }) }
  for (const [who, action] of [['clerk', 'approve-sales'], ['finance', 'approve-finance'], ['warehouse', 'outbound'], ['warehouse', 'ship']]) {
    const r = await srv.post('/api/admin/orders/' + summary.id + '/' + action, staff[who], {})
    expect([action, r.status]).toEqual([action, 200])
  }
}

test('a store returns part of a shipped order: stepper, reason, photo, one submission, then 待审核 in 退货 / 售后; too many shows the server\'s message', async () => {
  const login = await mp.open('pages/login/index')
  login.instance.setData({ customerCode: STORE })
  await mp.tap(login, '#dev-store')
  const token = await srv.login({ customerCode: STORE })
  const summary = await shippedOrder(token, 'mp-return-order-' + Date.now())

  // Before it ships there is nothing to return: no 申请退货 on the order.
  let detail = await mp.open('pages/order/detail', { no: summary.orderNo })
  expect(mp.text(detail, '#status')).toBe('待业务审核')
  expect(detail.querySelector('#apply-return')).toBeFalsy()
  await ship(summary)
  detail = await mp.open('pages/order/detail', { no: summary.orderNo })
  expect(mp.text(detail, '#status')).toBe('已发货')
  await mp.tap(detail, '#apply-return')
  expect(bridge.lastNavigation().url).toBe('/pages/returns/apply?no=' + summary.orderNo)
  const apply = await mp.follow()

  // Each line with what may be returned: all of it, nothing returned yet.
  const order = await srv.get('/api/orders/' + summary.orderNo, token)
  const returnable = await srv.get('/api/orders/' + summary.orderNo + '/returnable', token)
  expect(returnable.lines).toHaveLength(2)
  for (const l of returnable.lines) {
    const ordered = order.lines.find(x => x.sku === l.sku)
    expect(l.returnableQuantity).toBe(ordered.quantity)
    expect(mp.text(apply, '#line-' + l.orderLineId)).toContain('已发 ' + ordered.quantity + ordered.unit + ' · 已退或退货中 0 · 可退 ' + ordered.quantity + ordered.unit)
  }
  const first = returnable.lines[0]
  const orderedFirst = order.lines.find(x => x.sku === first.sku)

  // Submit with nothing chosen: told so, nothing sent.
  await mp.tap(apply, '#submit')
  expect(bridge.toasts).toContain('请选择要退的商品和数量')
  expect(bridge.requests.some(r => r.method === 'POST' && /\/api\/returns$/.test(r.url))).toBe(false)

  // 2 of the first line: + three times, − once; the reason from the list plus a note; one photo from the camera.
  for (const sel of ['#plus-', '#plus-', '#plus-', '#minus-']) await mp.tap(apply, sel + first.orderLineId)
  expect(mp.text(apply, '#submit')).toBe('提交退货申请（2 件）')
  await mp.trigger(apply, '#reason', 'change', { value: 0 })
  expect(mp.text(apply, '#reason-text')).toBe('商品破损')
  await mp.input(apply, '#note', '外箱压坏')
  const productImage = (await srv.get('/api/catalog/products?limit=1', token)).items[0].imageUrls[0]
  const file = path.join(os.tmpdir(), 'wx-return-' + Date.now() + '.png')
  fs.writeFileSync(file, (await fetchRaw(productImage)).body)
  bridge.chosenMedia = [file]
  await mp.tap(apply, '#add-photo')
  expect(bridge.chooseMediaCalls[0]).toMatchObject({ count: 3, mediaType: ['image'] })
  const upload = bridge.requests.find(r => r.upload === file)
  expect(upload.url).toMatch(/\/api\/returns\/photos$/)
  expect(upload.status).toBe(201)
  expect(apply.querySelectorAll('.thumb')).toHaveLength(1)

  // The answers get lost (the request and the API module's 2 retries reach the server, the phone never hears back): the
  // page says so; the person taps 提交 again and the same key gets the first answer, so there is still one return.
  bridge.dropResponses = [{ match: /^POST .*\/api\/returns$/, times: 3 }]
  await mp.tap(apply, '#submit')
  expect(mp.text(apply, '#error')).toBe('网络较慢，请求超时，请稍后重试')
  expect(bridge.navigations.some(n => n.url === '/pages/returns/index')).toBe(false)
  await mp.tap(apply, '#submit')
  const creates = bridge.requests.filter(r => r.method === 'POST' && /\/api\/returns$/.test(r.url))
  expect(creates.map(r => r.status)).toEqual([201, 200, 200, 200])
  const keys = new Set(creates.map(r => r.header['Idempotency-Key']))
  expect(keys.size).toBe(1)
  expect([...keys][0]).toMatch(/^mp-/)
  expect(creates[3].response.id).toBe(creates[0].response.id)
  expect(bridge.toasts).toContain('已提交，等待审核')
  expect(bridge.lastNavigation().url).toBe('/pages/returns/index')
  const list = await mp.follow()

  // The list shows it 待审核 with what was asked, reason and the estimated credit, computed by hand from the order.
  const filed = (await srv.get('/api/returns', token)).items.filter(x => x.orderNo === summary.orderNo)
  expect(filed).toHaveLength(1)
  const mine = filed[0]
  expect(mine.status).toBe('pending_review')
  expect(mine.reason).toBe('商品破损：外箱压坏')
  expect(mine.photos).toHaveLength(1)
  expect(mine.photos[0].id).toBe(upload.response.id)
  const goods = share(orderedFirst.amountFen, 2, orderedFirst.quantity)
  const credit = goods - share(order.summary.discountFen || 0, goods, order.goodsFen)
  expect(mine.requestedFen).toBe(credit)
  const card = mp.text(list, '#return-' + mine.returnNo)
  expect(mp.text(list, '#status-' + mine.returnNo)).toBe('待审核')
  expect(card).toContain('订单 ' + summary.orderNo)
  expect(card).toContain(first.name + ' ×2' + first.unit)
  expect(card).toContain('原因：商品破损：外箱压坏')
  expect(card).toContain('预计冲账 ' + yuan(credit))
  expect(list.querySelector('#cancel-' + mine.returnNo)).toBeTruthy()

  // More than is left: the page is opened (可退 = ordered − 2), then the same goods are filed by another phone of the store,
  // and this page asks for its now stale maximum → the server's Chinese message, and the page shows what is left.
  const left = orderedFirst.quantity - 2
  const again = await mp.open('pages/returns/apply', { no: summary.orderNo })
  expect(mp.text(again, '#line-' + first.orderLineId)).toContain('已退或退货中 2 · 可退 ' + left + first.unit)
  await mp.input(again, '#qty-' + first.orderLineId, String(left + 5))   // typed more than 可退: the stepper keeps it at 可退
  expect(mp.text(again, '#submit')).toBe('提交退货申请（' + left + ' 件）')
  const other = await srv.post('/api/returns', token, { orderNo: summary.orderNo, lines: [{ orderLineId: first.orderLineId, quantity: left - 1 }], reason: '临期' },
    { 'Idempotency-Key': 'mp-return-other-' + Date.now() })
  expect(other.status).toBe(201)
  await mp.trigger(again, '#reason', 'change', { value: 3 })
  await mp.tap(again, '#submit')
  const expected = first.name + ' 最多还能退 1' + first.unit + '（已发 ' + orderedFirst.quantity + '，已退或退货中 ' + (orderedFirst.quantity - 1) + '）'
  expect(mp.text(again, '#error')).toBe(expected)
  expect(bridge.toasts).toContain(expected)
  expect(mp.text(again, '#line-' + first.orderLineId)).toContain('已退或退货中 ' + (orderedFirst.quantity - 1) + ' · 可退 1' + first.unit)
  // nothing more was filed: the store has the two returns, the first still 待审核
  const after = (await srv.get('/api/returns', token)).items.filter(x => x.orderNo === summary.orderNo)
  expect(after.map(x => x.statusLabel)).toEqual(['待审核', '待审核'])
  expect(after.map(x => x.lines[0].quantity).sort((a, b) => a - b)).toEqual([2, left - 1].sort((a, b) => a - b))
})

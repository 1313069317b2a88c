// 巡店拍照, the owner's 手机报表 by month and category, and the store's promotions on home: each against the real server.
const fs = require('fs')
const http = require('http')
const os = require('os')
const path = require('path')
const { setup, createMp, server } = require('./support/mp.js')

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
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
    }).on('error', reject)
  })
}

// miniprogram-simulate keeps no properties of built-in tags such as <image>: the pages repeat src as data-src, which it keeps.
const src = el => el.dom.getAttribute('data-src')

test('an agent takes a photo on a visit: it uploads with wx.uploadFile, shows as a thumbnail, and the store page shows it with the visit', async () => {
  await mp.tap(await mp.open('pages/login/index'), '#dev-agent')
  const agentToken = await srv.login({ agentCode: 'AG001' })
  const store = (await srv.get('/api/agent/customers', agentToken)).find(s => s.code === 'C00006')
  // A real picture for the camera: a demo product's image as the phone's temp file.
  const productImage = (await srv.get('/api/catalog/products?customerId=' + store.id + '&limit=1', agentToken)).items[0].imageUrls[0]
  const picture = await fetchRaw(productImage)
  const file = path.join(os.tmpdir(), 'wx-camera-' + Date.now() + '.png')
  fs.writeFileSync(file, picture.body)
  bridge.chosenMedia = [file]

  const visit = await mp.open('pages/agent/visit/index', { id: String(store.id), name: store.name })
  await mp.tap(visit, '#add-photo')
  expect(bridge.chooseMediaCalls[0]).toMatchObject({ count: 9, mediaType: ['image'] })
  const upload = bridge.requests.find(r => r.upload === file)
  expect(upload.url).toMatch(/\/api\/agent\/visit-photos$/)
  expect(upload.status).toBe(201)
  expect(upload.header['Idempotency-Key']).toBeTruthy()
  const photo = upload.response
  // The thumbnail a person sees is the server's, and it is a real image.
  const thumbs = visit.querySelectorAll('.thumb')
  expect(thumbs.length).toBe(1)
  expect(src(thumbs[0])).toBe(photo.thumbnailUrl)
  const thumb = await fetchRaw(photo.thumbnailUrl)
  expect(thumb.status).toBe(200)
  expect(thumb.headers['content-type']).toMatch(/^image\//)
  expect(thumb.headers['cache-control']).toContain('max-age=31536000')
  expect(mp.text(visit, '#photos')).toContain('1/9')

  await mp.input(visit, '#note', '冰柜陈列已拍照')
  await mp.tap(visit, '#save')
  const saved = bridge.requests.find(r => r.method === 'POST' && r.url.endsWith('/visits'))
  expect(saved.status).toBe(201)
  expect(saved.data.photoIds).toEqual([photo.id])
  expect(saved.response.photos[0].thumbnailUrl).toBe(photo.thumbnailUrl)

  const storePage = await mp.open('pages/agent/store/index', { id: String(store.id) })
  expect(mp.text(storePage, '#visit-' + saved.response.id)).toContain('冰柜陈列已拍照')
  expect(storePage.querySelectorAll('.visit-thumb').map(src)).toContain(photo.thumbnailUrl)
})

test('a photo that is not an image is refused in Chinese and no thumbnail appears', async () => {
  await mp.tap(await mp.open('pages/login/index'), '#dev-agent')
  const agentToken = await srv.login({ agentCode: 'AG001' })
  const store = (await srv.get('/api/agent/customers', agentToken))[0]
  const file = path.join(os.tmpdir(), 'wx-camera-fake-' + Date.now() + '.jpg')
  fs.writeFileSync(file, '<html>not a photo</html>')
  bridge.chosenMedia = [file]
  const visit = await mp.open('pages/agent/visit/index', { id: String(store.id), name: store.name })
  await mp.tap(visit, '#add-photo')
  expect(bridge.requests.find(r => r.upload === file).status).toBe(415)
  expect(mp.text(visit, '#error')).toBe('只能上传 JPEG、PNG 或 WebP 图片')
  expect(visit.querySelectorAll('.thumb').length).toBe(0)
})

test('the owner\'s report shows what the store bought by month and by category, as the server counts it', async () => {
  await mp.tap(await mp.open('pages/login/index').then(async l => { await mp.input(l, '.input', 'C00004'); return l }), '#dev-store')
  const token = await srv.login({ customerCode: 'C00004' })
  // Place an order now, so this month has a purchase whatever the demo history holds.
  const item = (await srv.get('/api/catalog/products?limit=60', token)).items.find(p => p.stock.level !== 'OutOfStock' && p.stock.available >= p.minOrderQty * 2)
  await srv.call('POST', '/api/cart/items', token, { sku: item.sku, quantity: item.minOrderQty })
  const addressId = (await srv.get('/api/addresses', token))[0].id
  const placed = await srv.post('/api/orders', token, { addressId }, { 'Idempotency-Key': 'report-' + Date.now() })
  expect(placed.status).toBe(201)

  const report = await srv.get('/api/reports/purchases', token)
  const page = await mp.open('pages/reports/index')
  // This month on screen is the sum of this month's orders as the order list has them (not cancelled or rejected).
  const month = placed.body.summary.createdAt.slice(0, 7)
  const orders = (await srv.get('/api/orders?limit=100', token)).items.filter(o => o.createdAt.startsWith(month) && o.status !== 'cancelled' && o.status !== 'rejected')
  const sum = orders.reduce((a, o) => a + o.totalFen, 0)
  const monthRow = mp.text(page, '#month-' + month)
  expect(monthRow).toContain(month.replace('-', '年') + '月')
  expect(monthRow).toContain('¥' + (sum / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ','))
  expect(report.months.map(m => m.month)).toHaveLength(6)
  // Every category with its amount, quantity and share; the ordered product's category is among them.
  expect(report.categories.length).toBeGreaterThan(0)
  const all = report.categories.reduce((a, c) => a + c.amountFen, 0)
  for (const c of report.categories) {
    const text = mp.text(page, '#category-' + c.categoryId)
    expect(text).toContain(c.name)
    expect(text).toContain(c.amountText)
    expect(text).toContain(c.quantity + ' 件')
    expect(text).toContain('占 ' + Math.round(c.amountFen * 1000 / all) / 10 + '%')
  }
  expect(report.categories.reduce((a, c) => a + c.quantity, 0)).toBe(report.quantity)
  expect(mp.text(page, '#total')).toContain(report.amountText)
  // The month chart is drawn by uCharts: one bar label per month.
  for (let i = 0; i < 20 && !page.instance.data.chartDrawn; i++) await new Promise(r => setTimeout(r, 25))
  const texts = bridge.drawn['#chart'].filter(o => o.op === 'fillText').map(o => String(o.args[0]))
  for (const m of report.months) expect(texts).toContain(m.label)
})

test('home shows the store\'s own live promotions with their Chinese badges, from the promotions endpoint', async () => {
  const login = await mp.open('pages/login/index')
  await mp.input(login, '.input', 'C00001')
  await mp.tap(login, '#dev-store')
  const token = await srv.login({ customerCode: 'C00001' })
  const promos = await srv.get('/api/catalog/promotions', token)
  expect(promos.length).toBeGreaterThan(0)
  const home = await mp.open('pages/home/index')
  expect(bridge.requests.some(r => r.url.includes('/api/catalog/promotions'))).toBe(true)
  expect(bridge.requests.some(r => r.url.includes('/api/catalog/products?limit=100'))).toBe(false)
  for (const p of promos) {
    const text = mp.text(home, '#promotion-' + p.id)
    expect(text).toContain(p.kindLabel)
    expect(text).toContain(p.badge)
    expect(text).toMatch(/特价|买\d+赠\d+|满\d+减\d+/)
  }
  expect(home.querySelectorAll('.promo').length).toBe(promos.length)
  // A promotion aimed only at another store's group is not on this home.
  const others = []
  for (const code of ['C00002', 'C00003', 'C00005', 'C00007', 'C00010']) {
    const t = await srv.login({ customerCode: code })
    ;(await srv.get('/api/catalog/promotions', t)).forEach(p => { if (!promos.some(x => x.id === p.id)) others.push(p) })
  }
  for (const p of others) expect(home.querySelector('#promotion-' + p.id)).toBeFalsy()
  const first = promos.find(p => p.products.length)
  if (first) expect(mp.text(home, '#promo-item-' + first.products[0].product.sku)).toContain(first.products[0].product.name)
})

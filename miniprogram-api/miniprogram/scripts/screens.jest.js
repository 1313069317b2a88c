// npm run screens: opens the main screens against a real server (as the tests do), turns each rendered WXML tree into
// HTML (wx-view → block, rpx → px on a 750 px wide page, app.wxss added under the page's class prefix) and captures it
// with /usr/bin/chromium --headless --screenshot into docs/<name>.png.
const fs = require('fs')
const os = require('os')
const path = require('path')
const { execFileSync } = require('child_process')
const { setup, createMp, server, root } = require('../test/support/mp.js')

const out = path.join(root, 'docs')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orderhub-screens-'))

function appWxss() {
  return fs.readFileSync(path.join(root, 'app.wxss'), 'utf8')
    .replace(/(\d*\.?\d+)rpx/g, '$1px')
    .replace(/\.([a-zA-Z][\w-]*)/g, '.main--$1')
    .replace(/(^|\})\s*page\s*\{/g, '$1 body {')
}

const BASE = `
  html, body { margin: 0; width: 750px; background: #f5f6f8; font-family: "Noto Sans CJK SC", "PingFang SC", sans-serif; font-size: 28px; }
  van-tag { display: inline-block; }
  main, wx-view, net-state, tabbar, van-steps, van-step, van-stepper, van-icon, wx-scroll-view, wx-picker, wx-textarea { display: block; }
  wx-text, wx-label { display: inline; }
  wx-scroll-view { overflow: hidden; white-space: nowrap; }
  wx-input { display: block; min-height: 1.4em; color: #8a9099; }
  .van-stepper--van-stepper__input { text-align: center; line-height: 56px; color: #323233; }
  wx-textarea { min-height: 80px; color: #8a9099; }
  wx-button { display: block; }
  wx-image { display: block; background: #e9edf3 url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='60' height='60'><text x='50%' y='55%' font-size='26' text-anchor='middle' fill='%238a9099'>图</text></svg>") center no-repeat; }
  .bar-title { background: #1f6feb; color: #fff; text-align: center; font-size: 32px; line-height: 88px; font-weight: 600; }
`

async function shot(name, title, page, placeholder) {
  // This page's own compiled WXSS (with its components'); Vant's px are for a 375 px wide phone, so doubled here.
  const own = document.getElementById(page.loadId)
  const styles = (own ? own.textContent : '').split('}').map(rule => (rule.includes('.van-') ? rule.replace(/(\d*\.?\d+)px/g, (m, n) => (parseFloat(n) * 2) + 'px') : rule)).join('}')
    .replace(/(^|[\s>+~,{}])(view|text|image)(?=[\s>+~,.:{[]|$)/g, '$1wx-$2')   // tag selectors: view → wx-view
  let html = page.dom.outerHTML
  // inputs show their value or placeholder as text
  // (the rendered tree keeps no input values: the texts to draw are given in order, a string for every input or a list)
  let n = 0
  html = html.replace(/<wx-input([^>]*)><\/wx-input>/g, (m, attrs) => '<wx-input' + attrs + '>' + (Array.isArray(placeholder) ? (placeholder[n++] || '') : (placeholder || '')) + '</wx-input>')
  // Images whose page repeats src as data-src (the simulator keeps no src) are drawn from the server: visit photos.
  html = html.replace(/<wx-image([^>]*?)data-src="([^"]+)"([^>]*)><\/wx-image>/g, (m, a, src, b) => '<img' + a + 'src="' + src + '"' + b + ' style="object-fit: cover">')
  // A uCharts canvas is drawn again by Chromium from the page's chart options (the built miniprogram_npm copy).
  let script = ''
  if (page.instance.chartOptions) {
    const o = page.instance.chartOptions
    html = html.replace(/<wx-canvas([^>]*)><\/wx-canvas>/, '<canvas id="chart" width="' + o.width + '" height="' + o.height + '" style="width: 690px; height: 440px; display: block"></canvas>')
    script = '<script>var module = { exports: {} };</script><script src="file://' + path.join(root, 'miniprogram_npm/@qiun/ucharts/index.js') + '"></script>' +
      '<script>var o = ' + JSON.stringify(o) + '; o.context = document.getElementById("chart").getContext("2d"); new module.exports(o);</script>'
  }
  const doc = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>${BASE}\n${appWxss()}\n${styles}</style></head>
    <body><div class="bar-title">${title}</div>${html}${script}</body></html>`
  const file = path.join(tmp, name + '.html')
  fs.writeFileSync(file, doc)
  execFileSync('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--window-size=750,1334', '--screenshot=' + path.join(out, name + '.png'), 'file://' + file], { stdio: 'ignore', timeout: 60000 })
}

test('render the main screens', async () => {
  const { bridge, config } = setup()
  const mp = createMp(bridge)
  const srv = server()
  const api = require('../utils/api.js')
  fs.mkdirSync(out, { recursive: true })

  // Store C00010: an order moved through the flow, and a cart with a 满减.
  const token = await srv.login({ customerCode: 'C00010' })
  await api.devLogin({ customerCode: 'C00010' })
  const items = (await srv.get('/api/catalog/products?q=ksf&limit=20', token)).items.filter(p => p.stock.available >= p.minOrderQty * 4)
  await srv.call('POST', '/api/cart/items', token, { sku: items[0].sku, quantity: items[0].minOrderQty })
  const address = (await srv.get('/api/addresses', token))[0]
  const placed = (await srv.post('/api/orders', token, { addressId: address.id, note: '下午送货' }, { 'Idempotency-Key': 'screens-1' })).body
  const admin = await srv.login({ staffLogin: 'admin' })
  for (const a of ['approve-sales', 'approve-finance', 'outbound']) await srv.post('/api/admin/orders/' + placed.summary.id + '/' + a, admin, {})
  for (const p of items.slice(0, 3)) await srv.call('POST', '/api/cart/items', token, { sku: p.sku, quantity: p.minOrderQty * 4 })

  await shot('store-home', '订货首页', await mp.open('pages/home/index'), '搜索商品：名称或拼音首字母，如 ksf')
  await shot('store-products', '商品', await mp.open('pages/products/index', { q: 'ksf' }), 'ksf')
  await shot('store-product', items[0].name, await mp.open('pages/product/index', { sku: items[0].sku }))
  await shot('store-cart', '购物车', await mp.open('pages/cart/index'), (await srv.get('/api/cart', token)).lines.filter(l => !l.isGift).map(l => String(l.quantity)))
  await shot('store-order', '订单详情', await mp.open('pages/order/detail', { no: placed.summary.orderNo }))
  await shot('store-orders', '订单', await mp.open('pages/orders/index'))
  await shot('store-statement', '对账', await mp.open('pages/statement/index'))
  const report = await mp.open('pages/reports/index')
  for (let i = 0; i < 20 && !report.instance.chartOptions; i++) await new Promise(r => setTimeout(r, 25))
  await shot('store-report', '我的进货', report)

  // Agent AG001: a proxy order for store 1 and a visit, so the figures are not all zero.
  const agentToken = await srv.login({ agentCode: 'AG001' })
  const forStore = (await srv.get('/api/catalog/products?customerId=1&limit=40', agentToken)).items.filter(p => p.stock.available >= p.minOrderQty * 10)
  for (const p of forStore.slice(0, 3)) await srv.call('POST', '/api/agent/customers/1/cart/items', agentToken, { sku: p.sku, quantity: p.minOrderQty * 5 })
  const storeAddress = (await srv.get('/api/agent/customers/1/addresses', agentToken))[0]
  await srv.post('/api/agent/customers/1/orders', agentToken, { addressId: storeAddress.id, note: '代订' }, { 'Idempotency-Key': 'screens-proxy' })
  bridge.wx.clearStorageSync()
  await api.devLogin({ agentCode: 'AG001' })
  // A visit with two photos taken on the visit page (the camera gives two demo product pictures).
  const photos = []
  for (const p of forStore.slice(0, 2)) {
    const file = path.join(tmp, 'camera-' + p.sku + '.png')
    fs.writeFileSync(file, await new Promise((resolve, reject) => require('http').get(p.imageUrls[0], r => { const c = []; r.on('data', d => c.push(d)); r.on('end', () => resolve(Buffer.concat(c))) }).on('error', reject)))
    photos.push(file)
  }
  bridge.chosenMedia = photos
  const visit = await mp.open('pages/agent/visit/index', { id: '1', name: '天河黄记批发部' })
  await mp.tap(visit, '#add-photo')
  await shot('agent-visit', '巡店 / 回访', visit, ['陈列良好，饮料补货'])
  await mp.input(visit, '#note', '陈列良好，饮料补货')
  await mp.tap(visit, '#save')
  await shot('agent-stores', '我的门店', await mp.open('pages/agent/stores/index'), '门店名称或编码')
  await shot('agent-store', '门店', await mp.open('pages/agent/store/index', { id: '1' }))
  await shot('agent-proxy', '代订货', await mp.open('pages/products/index', { customerId: '1', storeName: '天河黄记批发部(1)' }), '名称或拼音首字母')
  const perf = await mp.open('pages/agent/performance/index')
  for (let i = 0; i < 20 && !perf.instance.chartOptions; i++) await new Promise(r => setTimeout(r, 25))
  await shot('agent-performance', '我的业绩', perf)
  mp.detachAll()
  for (const f of fs.readdirSync(out)) expect(fs.statSync(path.join(out, f)).size).toBeGreaterThan(5000)
})

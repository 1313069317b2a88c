// The product pages with what the distributor's staff wrote (description, selling points, tags, 新品 / 热销), the 推荐
// order, and search as a shopkeeper types it ("康师傅 牛肉", brand chips from the facets), against the real server.
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

async function staffToken() {
  const r = await srv.call('POST', '/api/auth/staff/login', null, { login: 'admin', password: 'demo1234' })
  expect(r.status).toBe(200)
  return r.body.accessToken
}

test('the product page shows the staff\'s flags, selling points, tags and description; the 推荐 list puts it first', async () => {
  const token = await signInStore('C00004')
  const page = await srv.get('/api/catalog/products?limit=100', token)
  const p = page.items[page.items.length - 1]
  const put = await srv.call('PUT', '/api/admin/catalog/products/' + encodeURIComponent(p.sku) + '/content', await staffToken(), {
    description: '冷藏口感更佳。', sellingPoints: ['门店复购高', '整箱更优惠'], tags: ['夏季'], isHot: true, isNew: true, sortOrder: 1
  })
  expect(put.status).toBe(200)

  const detail = await mp.open('pages/product/index', { sku: p.sku })
  expect(mp.text(detail, '#flag-hot')).toBe('热销')
  expect(mp.text(detail, '#flag-new')).toBe('新品')
  expect(mp.all(detail, '.point')).toEqual(['✓ 门店复购高', '✓ 整箱更优惠'])
  expect(mp.text(detail, '#content-tags')).toContain('夏季')
  expect(mp.text(detail, '#description')).toBe('冷藏口感更佳。')

  const list = await mp.open('pages/products/index')
  await mp.tap(list, '#sort-recommended')
  expect(mp.all(list, '.name')[0]).toBe('热销新品' + p.name)
  expect(mp.text(list, '#hot-' + p.sku)).toBe('热销')
  // Back to SKU order: the product is no longer first.
  await mp.tap(list, '#sort-default')
  expect(mp.all(list, '.name')[0]).not.toContain(p.name)
})

test('two words find 康师傅红烧牛肉面, and a brand chip narrows a search', async () => {
  await signInStore('C00004')
  const list = await mp.open('pages/products/index', { q: '康师傅 牛肉' })
  const names = mp.all(list, '.name')
  expect(names.some(n => n.includes('康师傅红烧牛肉面'))).toBe(true)
  expect(names.every(n => n.includes('康师傅') && n.includes('牛肉'))).toBe(true)

  await mp.input(list, '#search-input', '牛奶')
  await mp.tap(list, '#search')
  expect(list.querySelector('#brand-facets')).toBeTruthy()
  // The chips: 全部, then one per brand in the order of the facets.
  const chips = mp.all(list, '.facet')
  const dove = chips.findIndex(t => t.startsWith('德芙')) - 1
  expect(dove).toBeGreaterThanOrEqual(0)
  await mp.tap(list, '#facet-' + dove)
  const narrowed = mp.all(list, '.name')
  expect(narrowed.length).toBeGreaterThan(0)
  expect(narrowed.every(n => n.includes('德芙'))).toBe(true)
})

test('the heart on the product page adds and removes a favourite of this store', async () => {
  const token = await signInStore('C00007')
  const [p] = (await srv.get('/api/catalog/products?limit=1', token)).items
  const detail = await mp.open('pages/product/index', { sku: p.sku })
  expect(mp.text(detail, '#favourite')).toBe('♡ 收藏')
  await mp.tap(detail, '#favourite')
  expect(mp.text(detail, '#favourite')).toBe('♥ 已收藏')
  expect((await srv.get('/api/catalog/favourites', token)).map(f => f.sku)).toEqual([p.sku])
  // Opened again, the page knows it is a favourite; a second tap removes it.
  const again = await mp.open('pages/product/index', { sku: p.sku })
  expect(mp.text(again, '#favourite')).toBe('♥ 已收藏')
  await mp.tap(again, '#favourite')
  expect((await srv.get('/api/catalog/favourites', token)).map(f => f.sku)).toEqual([])
})

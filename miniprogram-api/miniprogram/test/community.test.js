// 经销商社区 as a store's owner uses it, against the real server: the office publishes a pinned announcement and a
// new-product sheet (and keeps a draft); the store sees the published ones, pinned first, unread marked; opening the sheet
// shows its text and products, counts the store's read on the server, and the list no longer marks it 未读.
const { setup, createMp, server } = require('./support/mp.js')

let bridge, config, mp, srv
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
  srv = server()
})
afterEach(() => mp.detachAll())

async function staffToken() {
  const r = await srv.call('POST', '/api/auth/staff/login', null, { login: 'admin', password: 'demo1234' })
  expect(r.status).toBe(200)
  return r.body.accessToken
}

test('a store reads the published posts, pinned first, and its read is counted', async () => {
  const staff = await staffToken()
  const storeToken = await srv.login({ customerCode: 'C00007' })
  const product = (await srv.get('/api/catalog/products?limit=1', storeToken)).items[0]
  const stamp = Date.now().toString(36)
  const create = async body => {
    const r = await srv.call('POST', '/api/admin/community/posts', staff, body)
    expect(r.status).toBe(201)
    return r.body.post.id
  }
  const sheet = await create({ kind: 'new_product', title: '新品速递 ' + stamp, body: '本周到仓，欢迎订货。', productSkus: [product.sku] })
  const notice = await create({ kind: 'announcement', title: '放假通知 ' + stamp, body: '节日暂停配送。', pinned: true })
  const draft = await create({ kind: 'material', title: '草稿 ' + stamp })
  for (const id of [sheet, notice]) expect((await srv.call('POST', '/api/admin/community/posts/' + id + '/publish', staff)).status).toBe(200)

  const login = await mp.open('pages/login/index')
  await mp.input(login, '.input', 'C00007')
  await mp.tap(login, '#dev-store')

  const list = await mp.open('pages/community/index')
  const ids = mp.all(list, '.post').length
  expect(ids).toBeGreaterThanOrEqual(2)
  expect(mp.text(list, '.post')).toContain('放假通知 ' + stamp) // the pinned one comes first
  expect(mp.text(list, '#post-' + notice)).toContain('置顶')
  expect(mp.text(list, '#post-' + sheet)).toContain('未读')
  expect(list.querySelector('#post-' + draft)).toBeFalsy()

  await mp.tap(list, '#post-' + sheet)
  expect(mp.text(list, '#post-' + sheet)).not.toContain('未读')
  const detail = await mp.follow()
  expect(mp.text(detail, '#title')).toBe('新品速递 ' + stamp)
  expect(mp.text(detail, '#body')).toBe('本周到仓，欢迎订货。')
  expect(mp.text(detail, '#product-' + product.sku)).toContain(product.name)

  const reads = (await srv.get('/api/admin/community/posts/' + sheet, staff))
  expect(reads.post.storesRead).toBe(1)
  expect(reads.stores.map(s => s.code)).toEqual(['C00007'])
  const again = await srv.get('/api/community/posts', storeToken)
  expect(again.items.find(p => p.id === sheet).readByMe).toBe(true)
})

// Light pages for a phone on a slow network: a catalog page opened again that did not change comes back as 304 with no
// body, and the page shows the same products from what the API module kept.
const { setup, createMp } = require('./support/mp.js')

let bridge, config, mp
beforeEach(() => {
  ;({ bridge, config } = setup())
  config.devLogin = true
  mp = createMp(bridge)
})
afterEach(() => mp.detachAll())

const api = () => require('../utils/api.js')
const catalogCalls = () => bridge.requests.filter(r => r.method === 'GET' && /\/api\/catalog\/products\?/.test(r.url))

test('re-opening the product list revalidates with If-None-Match, gets 304 and shows the same products', async () => {
  await api().devLogin({ customerCode: 'C00011' })
  const first = await mp.open('pages/products/index')
  const shown = mp.text(first, '.item')
  expect(shown.length).toBeGreaterThan(0)
  const firstCall = catalogCalls().pop()
  expect(firstCall.status).toBe(200)
  expect(firstCall.header['If-None-Match']).toBeUndefined()

  mp.detachAll()
  const again = await mp.open('pages/products/index')
  const secondCall = catalogCalls().pop()
  expect(secondCall.header['If-None-Match']).toMatch(/^W\/"/)
  expect(secondCall.status).toBe(304)
  expect(mp.text(again, '.item')).toBe(shown)
})

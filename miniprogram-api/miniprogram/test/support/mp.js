// Opens mini-program pages the way WeChat would (render, attach, onLoad(query), onShow) and lets a test act like a person:
// tap, type, follow the navigation a tap made, read the visible text.
const fs = require('fs')
const path = require('path')
const simulate = require('miniprogram-simulate')
const { createBridge } = require('./wx-bridge.js')

const root = path.resolve(__dirname, '../..')

function setup() {
  const bridge = createBridge()
  Object.assign(global.wx, bridge.wx)
  const config = require(path.join(root, 'config/config.js'))
  config.baseUrl = process.env.ORDERHUB_TEST_URL
  config.slowMs = 300
  config.retryDelayMs = 20
  const app = { globalData: { launch: null } }
  global.getApp = () => app
  global.getCurrentPages = () => []
  return { bridge, config, app }
}

function parseUrl(url) {
  const [p, q] = url.split('?')
  const query = {}
  ;(q || '').split('&').filter(Boolean).forEach(kv => {
    const [k, v] = kv.split('=')
    query[decodeURIComponent(k)] = decodeURIComponent(v || '')
  })
  return { page: p.replace(/^\//, ''), query }
}

function visibleText(node) {
  return (node.dom ? node.dom.textContent : node.textContent || '').replace(/\s+/g, ' ').trim()
}

// miniprogram-simulate runs each page's and component's JS with require() and then deletes it from require.cache so the
// next load runs it again (and calls Component again). Jest's module registry ignores require.cache, so a second page
// using the same component would get an empty one: run the file ourselves each time, with requires shared with the test.
const simulateUtils = require('miniprogram-simulate/src/utils')
simulateUtils.runJs = filePath => {
  const file = filePath.endsWith('.js') ? filePath : filePath + '.js'
  const dir = path.dirname(file)
  const localRequire = p => require(p.startsWith('.') ? path.resolve(dir, p) : p)
  const module = { exports: {} }
  // eslint-disable-next-line no-new-func
  new Function('require', 'module', 'exports', '__filename', '__dirname', fs.readFileSync(file, 'utf8'))(localRequire, module, module.exports, file, dir)
}

function createMp(bridge) {
  const opened = []
  const api = require(path.join(root, 'utils/api.js'))
  // Idle: no HTTP in flight and no API call between its retries.
  const idle = async () => {
    for (let i = 0; i < 100; i++) {
      await bridge.idle()
      if (!api.busy()) { await bridge.idle(); if (!api.busy()) return }
      await new Promise(r => setTimeout(r, 10))
    }
    throw new Error('API calls still running')
  }
  const mp = {
    bridge,
    async open(page, query) {
      const id = simulate.load(path.join(root, page), { rootPath: root })
      const comp = simulate.render(id)
      const parent = document.createElement('parent-wrapper')
      document.body.appendChild(parent)
      comp.attach(parent)
      comp.page = page
      comp.loadId = id
      opened.push(comp)
      if (comp.instance.onLoad) await comp.instance.onLoad(query || {})
      if (comp.instance.onShow) await comp.instance.onShow()
      await idle()
      return comp
    },
    // Opens the page the last wx.navigateTo / redirectTo / reLaunch pointed to.
    async follow() {
      const nav = bridge.lastNavigation()
      if (!nav || !nav.url) throw new Error('no navigation to follow')
      const { page, query } = parseUrl(nav.url)
      return mp.open(page, query)
    },
    async tap(comp, selector, detail) {
      const el = comp.querySelector(selector)
      if (!el) throw new Error('nothing to tap at ' + selector + ' on ' + comp.page + '\n' + visibleText(comp))
      el.dispatchEvent('tap', { detail: detail || {} })
      await idle()
    },
    async trigger(comp, selector, event, detail) {
      const el = comp.querySelector(selector)
      if (!el) throw new Error('no element ' + selector + ' on ' + comp.page)
      el.dispatchEvent(event, { detail })
      await idle()
    },
    async input(comp, selector, value) { return mp.trigger(comp, selector, 'input', { value }) },
    text: (comp, selector) => {
      if (!selector) return visibleText(comp)
      const el = comp.querySelector(selector)
      return el ? visibleText(el) : ''
    },
    all: (comp, selector) => comp.querySelectorAll(selector).map(visibleText),
    detachAll() { opened.splice(0).forEach(c => { try { c.detach() } catch (e) { /* already gone */ } }) }
  }
  return mp
}

// Direct calls to the server, for what the test compares the screen against (the API's own answer for this store).
function server() {
  const http = require('http')
  const base = process.env.ORDERHUB_TEST_URL
  const call = (method, p, token, body, headers) => new Promise((resolve, reject) => {
    const u = new URL(base + p)
    const agent = new http.Agent({ keepAlive: false })
    const data = body === undefined ? undefined : JSON.stringify(body)
    const req = http.request({ method, hostname: u.hostname, port: u.port, path: u.pathname + u.search, agent,
      headers: Object.assign({ 'content-type': 'application/json' }, token ? { Authorization: 'Bearer ' + token } : {}, headers || {}) }, res => {
      let s = ''
      res.on('data', c => { s += c })
      res.on('end', () => { let j = s; try { j = JSON.parse(s) } catch (e) { /* text */ } resolve({ status: res.statusCode, body: j }) })
    })
    req.on('error', reject)
    if (data) req.write(data)
    req.end()
  })
  return {
    call,
    async login(who) { const r = await call('POST', '/api/auth/dev-login', null, who); return r.body.accessToken },
    async get(p, token) { const r = await call('GET', p, token); if (r.status !== 200) throw new Error(p + ' → ' + r.status + ' ' + JSON.stringify(r.body)); return r.body },
    async post(p, token, body, headers) { return call('POST', p, token, body, headers) }
  }
}

module.exports = { setup, createMp, server, parseUrl, root }

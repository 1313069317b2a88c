// The one API module every page uses: base URL from config, bearer tokens kept in storage and refreshed through
// /api/auth/refresh, an Idempotency-Key on every write (the same key on each retry), problem+json errors turned into
// their Chinese message, and offline / slow network states reported to the page.
const config = require('../config/config.js')

const TOKENS = 'orderhub.tokens'
const listeners = []

class ApiError extends Error {
  constructor(message, extra) {
    super(message)
    Object.assign(this, extra)
  }
}

function tokens() { return wx.getStorageSync(TOKENS) || null }
function saveTokens(t, who) {
  const now = Date.now()
  const saved = Object.assign({}, tokens() || {}, {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresAt: now + (t.expiresIn || 3600) * 1000
  }, who || {})
  wx.setStorageSync(TOKENS, saved)
  return saved
}
function clearTokens() { wx.removeStorageSync(TOKENS); pages.clear() }

// Pages read again cost nothing when they did not change: the server tags a catalog answer with an ETag (a hash of what
// this caller receives), we send it back as If-None-Match and a 304 means "what you have is still right".
// The last answers that carried a tag, most recent last; a small cap keeps the memory of a phone.
const pages = new Map()
const PAGE_CACHE = 40
function tagOf(res) {
  const h = res.header || {}
  return h.ETag || h.Etag || h.etag || null
}
function remember(path, res) {
  const etag = tagOf(res)
  pages.delete(path)
  if (!etag) return
  pages.set(path, { etag, data: res.data })
  if (pages.size > PAGE_CACHE) pages.delete(pages.keys().next().value)
}

// Pages subscribe to 'slow' / 'offline' / 'online' to show the network state.
function onNetwork(fn) { listeners.push(fn); return () => { const i = listeners.indexOf(fn); if (i >= 0) listeners.splice(i, 1) } }
function emit(state) { listeners.slice().forEach(fn => { try { fn(state) } catch (e) { /* a page's listener must not break a request */ } }) }

let seq = 0
function newIdempotencyKey() {
  seq += 1
  return 'mp-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10) + '-' + seq
}

// "商品 X 不存在 / Product X not found" → "商品 X 不存在"
function chinese(text) {
  if (!text) return ''
  const i = text.indexOf(' / ')
  return i > 0 ? text.slice(0, i) : text
}

function problemMessage(status, body) {
  if (body && typeof body === 'object') {
    if (body.messageZh) return body.messageZh
    if (body.errors && typeof body.errors === 'object') {
      const first = Object.keys(body.errors).map(k => body.errors[k]).find(v => v && v.length)
      if (first) return chinese(String(first[0]))
    }
    if (body.detail) return chinese(body.detail)
    if (body.title) return chinese(body.title)
  }
  if (status === 401) return '登录已过期，请重新登录'
  if (status === 403) return '没有权限'
  if (status === 404) return '内容不存在'
  if (status >= 500) return '服务器繁忙，请稍后重试'
  return '请求失败 (' + status + ')'
}

function rawRequest(opts) {
  return new Promise(resolve => {
    let done = false
    const slowTimer = setTimeout(() => { if (!done) emit('slow') }, config.slowMs)
    wx.request({
      url: config.baseUrl + opts.path,
      method: opts.method,
      data: opts.data,
      header: opts.header,
      timeout: config.timeoutMs,
      success(res) { done = true; clearTimeout(slowTimer); resolve({ ok: true, res }) },
      fail(err) { done = true; clearTimeout(slowTimer); resolve({ ok: false, err: err || {} }) }
    })
  })
}

function sleep(ms) { return new Promise(r => setTimeout(r, ms)) }

let refreshing = null
function refresh() {
  const t = tokens()
  if (!t || !t.refreshToken) return Promise.resolve(false)
  if (!refreshing) {
    refreshing = rawRequest({ path: '/api/auth/refresh', method: 'POST', data: { refreshToken: t.refreshToken }, header: { 'content-type': 'application/json' } })
      .then(r => {
        if (r.ok && r.res.statusCode === 200 && r.res.data && r.res.data.accessToken) { saveTokens(r.res.data); return true }
        if (r.ok) clearTokens()
        return false
      })
      .finally(() => { refreshing = null })
  }
  return refreshing
}

/**
 * request({ method, path, data, auth = true, idempotencyKey, retries })
 * Resolves with the JSON body; rejects with ApiError { status, message (Chinese), problem, offline, timeout }.
 */
let inflight = 0
async function request(opts) {
  inflight++
  try { return await send(opts) } finally { inflight-- }
}

async function send(opts) {
  const method = (opts.method || 'GET').toUpperCase()
  const write = method !== 'GET'
  const key = write ? (opts.idempotencyKey || newIdempotencyKey()) : null
  const retries = opts.retries == null ? config.retries : opts.retries
  let refreshed = false
  for (let attempt = 0; ; attempt++) {
    const header = { 'content-type': 'application/json' }
    if (key) header['Idempotency-Key'] = key
    const page = write ? null : opts.path + (opts.data ? '#' + JSON.stringify(opts.data) : '')
    const cached = page && pages.get(page)
    if (cached) header['If-None-Match'] = cached.etag
    const t = tokens()
    if (opts.auth !== false && t && t.accessToken) header.Authorization = 'Bearer ' + t.accessToken
    const r = await rawRequest({ path: opts.path, method, data: opts.data, header })
    if (!r.ok) {
      const msg = String(r.err.errMsg || '')
      const timeout = /timeout/i.test(msg)
      if (attempt < retries) { await sleep(config.retryDelayMs * (attempt + 1)); continue }
      emit(timeout ? 'slow' : 'offline')
      throw new ApiError(timeout ? '网络较慢，请求超时，请稍后重试' : '网络不可用，请检查网络后重试', { status: 0, offline: !timeout, timeout, idempotencyKey: key })
    }
    emit('online')
    const res = r.res
    if (res.statusCode === 401 && opts.auth !== false && !refreshed) {
      refreshed = true
      // Another call may have refreshed the tokens while this one was under way: then just send it again.
      const now = tokens()
      if (now && now.accessToken && now.accessToken !== (t && t.accessToken)) { attempt--; continue }
      if (await refresh()) { attempt--; continue }
      throw new ApiError('登录已过期，请重新登录', { status: 401, loginRequired: true })
    }
    if ((res.statusCode === 429 || res.statusCode === 502 || res.statusCode === 503 || res.statusCode === 504) && attempt < retries) {
      await sleep(config.retryDelayMs * (attempt + 1))
      continue
    }
    if (res.statusCode === 304 && cached) { pages.delete(page); pages.set(page, cached); return cached.data }
    if (res.statusCode >= 200 && res.statusCode < 300) { if (page) remember(page, res); return res.data }
    throw new ApiError(problemMessage(res.statusCode, res.data), { status: res.statusCode, problem: res.data, idempotencyKey: key })
  }
}

function qs(params) {
  const parts = Object.keys(params || {}).filter(k => params[k] !== undefined && params[k] !== null && params[k] !== '')
    .map(k => encodeURIComponent(k) + '=' + encodeURIComponent(params[k]))
  return parts.length ? '?' + parts.join('&') : ''
}

const get = (path, params) => request({ path: path + qs(params) })
const post = (path, data, extra) => request(Object.assign({ method: 'POST', path, data }, extra))
const put = (path, data) => request({ method: 'PUT', path, data })
const del = path => request({ method: 'DELETE', path })

// Who is signed in: { role: 'customer' | 'agent', name, customerId, customerName }
function session() {
  const t = tokens()
  return t && t.accessToken ? t : null
}

async function afterSignIn(body) {
  saveTokens(body)
  const me = await get('/api/auth/me')
  return saveTokens(body, { role: me.role, name: me.name, customerId: me.customerId, customerName: me.customerName })
}

// An image from the phone (wx.chooseMedia's temp file) as multipart part 'file' with wx.uploadFile: the same bearer token,
// one Idempotency-Key for every retry, a 401 refreshed once, network failures retried, problems in Chinese.
function uploadOnce(path, filePath, key) {
  return new Promise(resolve => {
    const t = tokens()
    const header = { 'Idempotency-Key': key }
    if (t && t.accessToken) header.Authorization = 'Bearer ' + t.accessToken
    wx.uploadFile({
      url: config.baseUrl + path, filePath, name: 'file', header, timeout: config.timeoutMs,
      success(res) {
        let data = res.data
        if (typeof data === 'string') { try { data = JSON.parse(data) } catch (e) { /* keep text */ } }
        resolve({ ok: true, res: { statusCode: res.statusCode, data } })
      },
      fail(err) { resolve({ ok: false, err: err || {} }) }
    })
  })
}

async function upload(path, filePath, idempotencyKey) {
  const key = idempotencyKey || newIdempotencyKey()
  let refreshed = false
  inflight++
  try {
    for (let attempt = 0; ; attempt++) {
      const r = await uploadOnce(path, filePath, key)
      if (!r.ok) {
        if (attempt < config.retries) { await sleep(config.retryDelayMs * (attempt + 1)); continue }
        emit('offline')
        throw new ApiError('网络不可用，照片未上传，请稍后重试', { status: 0, offline: true, idempotencyKey: key })
      }
      emit('online')
      const res = r.res
      if (res.statusCode === 401 && !refreshed) { refreshed = true; if (await refresh()) { attempt--; continue } }
      if (res.statusCode >= 200 && res.statusCode < 300) return res.data
      throw new ApiError(problemMessage(res.statusCode, res.data), { status: res.statusCode, problem: res.data, idempotencyKey: key })
    }
  } finally { inflight-- }
}

// A store's cart or an agent's proxy cart for one of its stores (customerId).
function cartBase(customerId) { return customerId ? '/api/agent/customers/' + customerId + '/cart' : '/api/cart' }
// A store's book (addresses, invoice titles): its own, or an assigned store's for an agent.
function bookBase(customerId) { return customerId ? '/api/agent/customers/' + customerId : '/api' }
// An order template's routes: the store's own, or an assigned store's for an agent.
function templatesBase(customerId) { return customerId ? '/api/agent/customers/' + customerId + '/templates' : '/api/templates' }

const api = {
  config, ApiError, request, get, post, put, del, qs, chinese, problemMessage,
  onNetwork, session, clearTokens, refresh, newIdempotencyKey,
  busy: () => inflight > 0,
  networkChanged: connected => emit(connected ? 'online' : 'offline'),

  // Sign-in
  devLogin: who => post('/api/auth/dev-login', who, { auth: false }).then(afterSignIn),
  async wechatLogin(code) {
    const body = await post('/api/wechat/login', { code }, { auth: false })
    if (body.accessToken) return { bound: true, session: await afterSignIn(body) }
    wx.setStorageSync('orderhub.pending', { pendingToken: body.pendingToken, expiresAt: body.pendingTokenExpiresAt })
    return { bound: false, message: body.messageZh || chinese(body.message) }
  },
  async workLogin(code) { return afterSignIn(await post('/api/wechat/work/login', { code }, { auth: false })) },
  async bind(form) {
    const pending = wx.getStorageSync('orderhub.pending') || {}
    const body = await post('/api/wechat/bind', Object.assign({ pendingToken: pending.pendingToken }, form), { auth: false })
    wx.removeStorageSync('orderhub.pending')
    return afterSignIn(body)
  },
  logout() { clearTokens() },

  // Catalog (customerId: an agent looking at one of its stores)
  categories: customerId => get('/api/catalog/categories', { customerId }),
  products: params => get('/api/catalog/products', params),
  product: (sku, customerId) => get('/api/catalog/products/' + encodeURIComponent(sku), { customerId }),
  promotions: customerId => get('/api/catalog/promotions', { customerId }),

  // Cart
  cart: customerId => get(cartBase(customerId)),
  // unit: the unit the quantity counts in (箱); omitted = the product's base unit
  addToCart: (customerId, sku, quantity, shareCode, unit) => post(cartBase(customerId) + '/items', { sku, quantity, shareCode, unit }),
  setQuantity: (customerId, sku, quantity, unit) => put(cartBase(customerId) + '/items/' + encodeURIComponent(sku), { quantity, unit }),
  removeFromCart: (customerId, sku) => del(cartBase(customerId) + '/items/' + encodeURIComponent(sku)),

  // Orders
  addresses: customerId => get(customerId ? '/api/agent/customers/' + customerId + '/addresses' : '/api/addresses'),
  // The store's book (its own, or an assigned store's for an agent): delivery addresses and invoice titles (发票抬头).
  saveAddress: (customerId, id, body, idempotencyKey) => id
    ? put(bookBase(customerId) + '/addresses/' + id, body)
    : post(bookBase(customerId) + '/addresses', body, { idempotencyKey }),
  removeAddress: (customerId, id) => del(bookBase(customerId) + '/addresses/' + id),
  invoiceTitles: customerId => get(bookBase(customerId) + '/invoice-titles'),
  saveInvoiceTitle: (customerId, id, body, idempotencyKey) => id
    ? put(bookBase(customerId) + '/invoice-titles/' + id, body)
    : post(bookBase(customerId) + '/invoice-titles', body, { idempotencyKey }),
  removeInvoiceTitle: (customerId, id) => del(bookBase(customerId) + '/invoice-titles/' + id),
  submitOrder: (customerId, body, idempotencyKey) =>
    post(customerId ? '/api/agent/customers/' + customerId + '/orders' : '/api/orders', body, { idempotencyKey }),
  orders: (params, mode) => get(mode === 'agent' ? (params.customerId ? '/api/agent/customers/' + params.customerId + '/orders' : '/api/agent/orders') : '/api/orders',
    { status: params.status, before: params.before, limit: params.limit }),
  order: (no, mode) => get((mode === 'agent' ? '/api/agent/orders/' : '/api/orders/') + encodeURIComponent(no)),
  cancelOrder: (no, reason, mode) => post((mode === 'agent' ? '/api/agent/orders/' : '/api/orders/') + encodeURIComponent(no) + '/cancel', { reason }),
  receiveOrder: no => post('/api/orders/' + encodeURIComponent(no) + '/receive'),
  reorder: no => post('/api/orders/' + encodeURIComponent(no) + '/reorder'),
  // Order templates (常用单) and recurring orders; branchId: a chain's head office acting for one of its branches;
  // customerId: an agent working on an assigned store's templates (no schedules there: they belong to a store user).
  orderTemplates: (branchId, customerId) => get(templatesBase(customerId), { branchId }),
  saveTemplate: (name, branchId, customerId) => post(templatesBase(customerId) + qs({ branchId }), { name }),
  applyTemplate: (id, branchId, customerId) => post(templatesBase(customerId) + '/' + id + '/apply' + qs({ branchId })),
  deleteTemplate: (id, branchId, customerId) => del(templatesBase(customerId) + '/' + id + qs({ branchId })),
  orderFromTemplate: (id, body, branchId, customerId) => post(templatesBase(customerId) + '/' + id + '/orders' + qs({ branchId }), body),
  scheduleTemplate: (id, body, branchId) => post('/api/templates/' + id + '/schedules' + qs({ branchId }), body),
  stopSchedule: (id, scheduleId, branchId) => del('/api/templates/' + id + '/schedules/' + scheduleId + qs({ branchId })),
  // Chains (连锁): a head office's branches, and its cart / addresses / submit for one branch.
  chainBranches: () => get('/api/chain/branches'),
  branchCart: branchId => get('/api/cart', { branchId }),
  addToBranchCart: (branchId, sku, quantity) => post('/api/cart/items' + qs({ branchId }), { sku, quantity }),
  branchAddresses: branchId => get('/api/addresses', { branchId }),
  submitBranchOrder: (branchId, body, idempotencyKey) => post('/api/orders' + qs({ branchId }), body, { idempotencyKey }),
  // WeChat Pay: the signed wx.requestPayment object for what is open on the order (useBalanceFen first from 预存款)
  payOrder: (no, useBalanceFen, idempotencyKey) => post('/api/orders/' + encodeURIComponent(no) + '/payments', { useBalanceFen }, { idempotencyKey }),
  orderPayments: no => get('/api/orders/' + encodeURIComponent(no) + '/payments'),
  prepaid: () => get('/api/prepaid'),
  topUp: (amountFen, idempotencyKey) => post('/api/prepaid/top-ups', { amountFen }, { idempotencyKey }),
  topUpStatus: paymentId => get('/api/prepaid/top-ups/' + paymentId),
  // 店主 / 店员: my role, the owner-approval threshold and how the store pays; the owner manages users and approves clerks' orders
  storeAccount: () => get('/api/store/account'),
  storeUsers: () => get('/api/store/users'),
  setStoreUserRole: (id, role) => put('/api/store/users/' + id + '/role', { role }),
  removeStoreUser: id => del('/api/store/users/' + id),
  setApprovalThreshold: aboveFen => put('/api/store/approval-threshold', { aboveFen }),
  ownerApprove: no => post('/api/orders/' + encodeURIComponent(no) + '/owner-approve'),
  ownerReject: (no, reason) => post('/api/orders/' + encodeURIComponent(no) + '/owner-reject', { reason }),
  frequent: () => get('/api/orders/frequent'),
  // a chat card (issue #20) was opened with this share code
  chatCardOpened: code => post('/api/chat-cards/' + encodeURIComponent(code) + '/opened'),
  notifications: () => get('/api/notifications'),
  unreadCount: () => get('/api/notifications/unread-count'),
  readNotification: id => post('/api/notifications/' + id + '/read'),
  readAllNotifications: upTo => post('/api/notifications/read-all', { upTo }),
  notificationPreferences: () => get('/api/notifications/preferences'),
  setNotificationPreferences: pushed => put('/api/notifications/preferences', { pushed }),

  // Returns (退货 / 售后) of a shipped order; mode 'agent': for one of my stores (agent routes). createReturn takes the key
  // the page keeps for its one submission, so a retry after a lost answer does not ask twice.
  returnable: (no, mode) => get((mode === 'agent' ? '/api/agent/orders/' : '/api/orders/') + encodeURIComponent(no) + '/returnable'),
  createReturn: (body, idempotencyKey, mode) => post(mode === 'agent' ? '/api/agent/returns' : '/api/returns', body, { idempotencyKey }),
  uploadReturnPhoto: (filePath, idempotencyKey, mode) => upload(mode === 'agent' ? '/api/agent/return-photos' : '/api/returns/photos', filePath, idempotencyKey),
  returns: (params, mode) => get(mode === 'agent' ? '/api/agent/returns' : '/api/returns', { status: (params || {}).status, limit: (params || {}).limit }),
  returnDetail: (id, mode) => get((mode === 'agent' ? '/api/agent/returns/' : '/api/returns/') + id),
  cancelReturn: (id, reason, mode) => post((mode === 'agent' ? '/api/agent/returns/' : '/api/returns/') + id + '/cancel', { reason }),

  // Statement
  balance: () => get('/api/balance'),
  statement: (from, to) => get('/api/statement', { from, to }),
  purchases: (from, to) => get('/api/reports/purchases', { from, to }),
  statementUrl: (from, to, format) => config.baseUrl + '/api/statement/download' + qs({ from, to, format }),

  // Subscribe messages
  templates: () => get('/api/wechat/templates'),
  saveSubscriptions: (templateKeys, accepted) => post('/api/wechat/subscriptions', { templateKeys, accepted }),

  // Agent
  myStores: q => get('/api/agent/customers', { q }),
  store: id => get('/api/agent/customers/' + id),
  alerts: () => get('/api/agent/alerts'),
  insight: id => get('/api/agent/customers/' + id + '/insight'),
  logVisit: (id, visit, idempotencyKey) => post('/api/agent/customers/' + id + '/visits', visit, { idempotencyKey }),
  uploadVisitPhoto: (filePath, idempotencyKey) => upload('/api/agent/visit-photos', filePath, idempotencyKey),
  visits: id => get('/api/agent/customers/' + id + '/visits'),
  bindingCode: id => post('/api/agent/customers/' + id + '/binding-codes'),
  shareLink: body => post('/api/agent/share-links', body),
  myPerformance: (from, to) => get('/api/agent/reports/agents', { from, to }),
  // 业务员记分卡: my gross profit, active stores, stores moved to self-ordering, categories grown, visits, and my rank.
  myScorecard: (from, to) => get('/api/agent/reports/scorecard', { from, to }),
  // my chat figures (issue #20): cards sent → opened → ordered, chat-won revenue, per store
  myChatFigures: (from, to) => get('/api/agent/chat/figures', { from, to }),
  mySales: params => get('/api/agent/reports/sales', params),

  // Insight for growth (issue #18): 补货提醒 — my store's due products (customerId: an agent's store), each with the usual
  // quantity and the server's Chinese reason; 今日拜访 — the agent's stores to visit today and why; 品类空白 for one store.
  restock: customerId => get(customerId ? '/api/agent/customers/' + customerId + '/restock' : '/api/restock'),
  visitToday: () => get('/api/agent/visit-today'),
  crossSell: id => get('/api/agent/customers/' + id + '/cross-sell'),

  // 经销商社区 (issue #20): the office's published posts, pinned first; reading one counts my store's read.
  communityPosts: () => get('/api/community/posts'),
  communityPost: id => get('/api/community/posts/' + id),

  // Files that need the bearer token (binding QR PNG, statement XLSX): downloaded with the header, opened from the temp path.
  download(pathOrUrl) {
    const url = /^https?:/.test(pathOrUrl) ? pathOrUrl : config.baseUrl + pathOrUrl
    const t = tokens()
    return new Promise((resolve, reject) => {
      wx.downloadFile({
        url,
        header: t ? { Authorization: 'Bearer ' + t.accessToken } : {},
        success(res) {
          if (res.statusCode === 200) resolve(res.tempFilePath)
          else reject(new ApiError(res.statusCode === 401 ? '登录已过期，请重新登录' : '下载失败 (' + res.statusCode + ')', { status: res.statusCode }))
        },
        fail() { reject(new ApiError('网络不可用，请检查网络后重试', { status: 0, offline: true })) }
      })
    })
  }
}

module.exports = api

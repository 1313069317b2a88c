// A small `wx` for the tests: wx.request, wx.downloadFile and wx.uploadFile go over real HTTP to the OrderHub server; everything a person
// or the phone would do (login code, location, subscribe answer, navigation, toasts, storage) is recorded or driven here.
const fs = require('fs')
const http = require('http')
const os = require('os')
const path = require('path')

const agent = new http.Agent({ keepAlive: false })

function createBridge() {
  const storage = new Map()
  const b = {
    offline: false,          // true: every request fails like a phone without network
    delayMs: 0,              // added before each answer, to simulate a slow network
    loginCode: 'wxcode-user1',
    location: { latitude: 23.1291, longitude: 113.2644, accuracy: 20 },
    subscribeAnswer: 'accept',
    modalConfirm: true,
    requests: [],            // every request: { method, url, header, data, status }
    navigations: [],         // { kind, url }
    toasts: [],
    subscribeCalls: [],
    paymentCalls: [],        // what wx.requestPayment was given
    payAnswer: 'confirm',    // confirm | cancel
    documents: [],
    pending: 0,
    dropResponses: [],      // { match: RegExp, times }: the server gets the request, the phone never sees the answer
    chosenMedia: [],        // files wx.chooseMedia returns (paths of real image files the test made)
    chooseMediaCalls: []
  }

  function track(p) {
    b.pending++
    return p.finally(() => { b.pending-- })
  }

  function httpCall(method, url, header, body, timeout) {
    return new Promise((resolve, reject) => {
      const u = new URL(url)
      const req = http.request({ method, hostname: u.hostname, port: u.port, path: u.pathname + u.search, headers: header, timeout, agent }, res => {
        const chunks = []
        res.on('data', c => chunks.push(c))
        res.on('end', () => resolve({ statusCode: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
      })
      req.on('timeout', () => { req.destroy(new Error('timeout')) })
      req.on('error', reject)
      if (body !== undefined) req.write(body)
      req.end()
    })
  }

  const wx = {
    request(opts) {
      const method = (opts.method || 'GET').toUpperCase()
      const header = Object.assign({}, opts.header || {})
      let url = opts.url
      let body
      if (method === 'GET' && opts.data && typeof opts.data === 'object') {
        const q = Object.keys(opts.data).map(k => encodeURIComponent(k) + '=' + encodeURIComponent(opts.data[k])).join('&')
        if (q) url += (url.includes('?') ? '&' : '?') + q
      } else if (opts.data !== undefined) {
        body = typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data)
      }
      const record = { method, url, header, data: opts.data, status: 0 }
      b.requests.push(record)
      const run = async () => {
        if (b.delayMs) await new Promise(r => setTimeout(r, b.delayMs))
        if (b.offline) { opts.fail && opts.fail({ errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' }); return }
        try {
          const res = await httpCall(method, url, header, body, opts.timeout || 60000)
          record.status = res.statusCode
          const text = res.body.toString('utf8')
          let data = text
          if (/json/.test(res.headers['content-type'] || '')) { try { data = JSON.parse(text) } catch (e) { /* keep text */ } }
          record.response = data
          const drop = b.dropResponses.find(d => d.times > 0 && d.match.test(method + ' ' + url))
          if (drop) { drop.times--; record.dropped = true; opts.fail && opts.fail({ errMsg: 'request:fail timeout' }); return }
          opts.success && opts.success({ statusCode: res.statusCode, data, header: res.headers })
        } catch (err) {
          opts.fail && opts.fail({ errMsg: 'request:fail ' + (err.message === 'timeout' ? 'timeout' : err.message) })
        } finally {
          opts.complete && opts.complete()
        }
      }
      track(run())
      return { abort() {} }
    },
    downloadFile(opts) {
      const run = async () => {
        if (b.offline) { opts.fail && opts.fail({ errMsg: 'downloadFile:fail' }); return }
        try {
          const res = await httpCall('GET', opts.url, opts.header || {}, undefined, 60000)
          const file = path.join(os.tmpdir(), 'wx-download-' + Date.now() + '-' + Math.random().toString(36).slice(2))
          fs.writeFileSync(file, res.body)
          b.requests.push({ method: 'GET', url: opts.url, header: opts.header, status: res.statusCode, download: file })
          opts.success && opts.success({ statusCode: res.statusCode, tempFilePath: file })
        } catch (err) {
          opts.fail && opts.fail({ errMsg: 'downloadFile:fail ' + err.message })
        }
      }
      track(run())
    },
    // The camera or album: the files the test put in b.chosenMedia, as WeChat's temp files.
    chooseMedia(opts) {
      b.chooseMediaCalls.push({ count: opts.count, mediaType: opts.mediaType, sourceType: opts.sourceType })
      const files = b.chosenMedia.slice(0, opts.count || 9).map(f => ({ tempFilePath: f, size: fs.statSync(f).size, fileType: 'image' }))
      setTimeout(() => {
        if (files.length) opts.success && opts.success({ tempFiles: files, type: 'image', errMsg: 'chooseMedia:ok' })
        else opts.fail && opts.fail({ errMsg: 'chooseMedia:fail cancel' })
      }, 0)
    },
    // wx.uploadFile: a real multipart/form-data POST with the file as part opts.name (and opts.formData as text parts),
    // answered like WeChat does (data is the body as a string).
    uploadFile(opts) {
      const record = { method: 'POST', url: opts.url, header: Object.assign({}, opts.header || {}), upload: opts.filePath, name: opts.name, status: 0 }
      b.requests.push(record)
      const run = async () => {
        if (b.delayMs) await new Promise(r => setTimeout(r, b.delayMs))
        if (b.offline) { opts.fail && opts.fail({ errMsg: 'uploadFile:fail net::ERR_INTERNET_DISCONNECTED' }); return }
        try {
          const boundary = '----wxupload' + Math.random().toString(16).slice(2)
          const parts = []
          Object.keys(opts.formData || {}).forEach(k => parts.push(Buffer.from('--' + boundary + '\r\nContent-Disposition: form-data; name="' + k + '"\r\n\r\n' + opts.formData[k] + '\r\n')))
          const fileName = path.basename(opts.filePath)
          // WeChat labels the part by the file's extension; the server must not trust it anyway.
          const type = /\.png$/i.test(fileName) ? 'image/png' : /\.webp$/i.test(fileName) ? 'image/webp' : 'image/jpeg'
          parts.push(Buffer.from('--' + boundary + '\r\nContent-Disposition: form-data; name="' + opts.name + '"; filename="' + fileName + '"\r\nContent-Type: ' + type + '\r\n\r\n'))
          parts.push(fs.readFileSync(opts.filePath))
          parts.push(Buffer.from('\r\n--' + boundary + '--\r\n'))
          const body = Buffer.concat(parts)
          const header = Object.assign({}, opts.header || {}, { 'content-type': 'multipart/form-data; boundary=' + boundary, 'content-length': body.length })
          const res = await httpCall('POST', opts.url, header, body, opts.timeout || 60000)
          record.status = res.statusCode
          const text = res.body.toString('utf8')
          try { record.response = JSON.parse(text) } catch (e) { record.response = text }
          opts.success && opts.success({ statusCode: res.statusCode, data: text, errMsg: 'uploadFile:ok' })
        } catch (err) {
          opts.fail && opts.fail({ errMsg: 'uploadFile:fail ' + err.message })
        } finally {
          opts.complete && opts.complete()
        }
      }
      track(run())
      return { abort() {}, onProgressUpdate() {} }
    },
    getStorageSync: k => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k, v) => { storage.set(k, JSON.parse(JSON.stringify(v))) },
    removeStorageSync: k => { storage.delete(k) },
    clearStorageSync: () => storage.clear(),
    login(opts) { setTimeout(() => opts.success && opts.success({ code: b.loginCode, errMsg: 'login:ok' }), 0) },
    getLocation(opts) { setTimeout(() => opts.success && opts.success(Object.assign({ errMsg: 'getLocation:ok' }, b.location)), 0) },
    requestSubscribeMessage(opts) {
      b.subscribeCalls.push(opts.tmplIds)
      const res = { errMsg: 'requestSubscribeMessage:ok' }
      opts.tmplIds.forEach(id => { res[id] = b.subscribeAnswer })
      setTimeout(() => { opts.success && opts.success(res); opts.complete && opts.complete(res) }, 0)
    },
    // The WeChat Pay sheet: records what the page passed; with payAnswer 'confirm' the user pays (the fake WeChat Pay
    // server marks the prepay paid), with 'cancel' the user closes the sheet.
    requestPayment(opts) {
      b.paymentCalls.push({ timeStamp: opts.timeStamp, nonceStr: opts.nonceStr, package: opts.package, signType: opts.signType, paySign: opts.paySign })
      const done = (ok, errMsg) => setTimeout(() => {
        if (ok) opts.success && opts.success({ errMsg })
        else opts.fail && opts.fail({ errMsg })
        opts.complete && opts.complete({ errMsg })
      }, 0)
      if (b.payAnswer !== 'confirm') return done(false, 'requestPayment:fail cancel')
      const prepayId = String(opts.package || '').replace(/^prepay_id=/, '')
      const body = JSON.stringify({ prepayId, paySign: opts.paySign })
      track(httpCall('POST', process.env.ORDERHUB_TEST_PAY_URL + '/__phone/pay', { 'content-type': 'application/json' }, body, 5000))
        .then(r => done(r.statusCode === 200, r.statusCode === 200 ? 'requestPayment:ok' : 'requestPayment:fail'))
        .catch(() => done(false, 'requestPayment:fail network'))
    },
    openDocument(opts) { b.documents.push(opts); setTimeout(() => opts.success && opts.success({}), 0) },
    showToast(opts) { b.toasts.push(opts.title) },
    showLoading() {}, hideLoading() {},
    showModal(opts) { setTimeout(() => opts.success && opts.success({ confirm: b.modalConfirm, cancel: !b.modalConfirm, content: b.modalContent || '' }), 0) },
    navigateTo(opts) { b.navigations.push({ kind: 'navigateTo', url: opts.url }) },
    redirectTo(opts) { b.navigations.push({ kind: 'redirectTo', url: opts.url }) },
    reLaunch(opts) { b.navigations.push({ kind: 'reLaunch', url: opts.url }) },
    switchTab(opts) { b.navigations.push({ kind: 'switchTab', url: opts.url }) },
    navigateBack() { b.navigations.push({ kind: 'navigateBack' }) },
    setNavigationBarTitle() {},
    stopPullDownRefresh() {},
    makePhoneCall() {},
    previewImage() {},
    setClipboardData(opts) { b.clipboard = opts.data; opts.success && opts.success({}) },
    showShareMenu() {},
    scanCode(opts) { setTimeout(() => opts.success && opts.success({ result: b.scanResult || '', path: b.scanPath || '' }), 0) },
    getNetworkType(opts) { opts.success && opts.success({ networkType: b.offline ? 'none' : 'wifi' }) },
    onNetworkStatusChange() {},
    getSystemInfoSync: () => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2, platform: 'devtools', SDKVersion: '3.3.4' }),
    getWindowInfo: () => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2 }),
    nextTick: fn => setTimeout(fn, 0),
    // <canvas type="2d"> nodes for chart pages: a 2d context that records what is drawn (jsdom has no canvas).
    createSelectorQuery() {
      const fields = []
      const q = {
        in() { return q },
        select(sel) { return { fields(opts) { fields.push(sel); return q }, boundingClientRect() { fields.push(sel); return q } } },
        exec(cb) { setTimeout(() => cb(fields.map(sel => { const node = b.canvas(sel); return { node, width: 345, height: 220 } })), 0) }
      }
      return q
    }
  }

  b.drawn = {}   // selector → [{ op, args }]
  b.canvas = sel => {
    const ops = (b.drawn[sel] = b.drawn[sel] || [])
    const state = {}
    const ctx = new Proxy(state, {
      get(t, prop) {
        if (prop in t) return t[prop]
        if (prop === 'measureText') return text => ({ width: String(text).length * 12 })
        if (prop === 'createLinearGradient' || prop === 'createRadialGradient') return () => ({ addColorStop() {} })
        if (typeof prop !== 'string') return undefined
        return (...args) => { ops.push({ op: prop, args }) }
      },
      set(t, prop, v) { t[prop] = v; return true }
    })
    return { width: 0, height: 0, getContext: () => ctx, createImage: () => ({}) }
  }

  // Waits until no request is in flight and the pages' promise chains have run.
  b.idle = async function idle() {
    for (let i = 0; i < 400; i++) {
      await new Promise(r => setTimeout(r, 5))
      if (b.pending === 0) {
        await new Promise(r => setTimeout(r, 20))
        if (b.pending === 0) return
      }
    }
    throw new Error('requests still pending after 2 s+')
  }
  b.lastNavigation = () => b.navigations[b.navigations.length - 1]
  b.wx = wx
  return b
}

module.exports = { createBridge }

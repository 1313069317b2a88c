// A small fake of WeChat Pay API v3 for the mini-program tests, from the published protocol: it generates the merchant key
// (as the certificate tool would) and a platform key; requests must carry a WECHATPAY2-SHA256-RSA2048 Authorization that
// verifies with the merchant public key (401 SIGN_ERROR otherwise); answers are signed with the platform key
// (Wechatpay-Serial/Timestamp/Nonce/Signature over "timestamp\nnonce\nbody\n"). JSAPI prepay and the query by
// out_trade_no only; the phone "pays" through pay(prepayId), which the test bridge's wx.requestPayment calls.
const crypto = require('crypto')
const http = require('http')

const MCH_ID = '1900000109'
const SERIAL = 'FAKEMERCHANTSERIAL0001'
const PUB_KEY_ID = 'PUB_KEY_ID_0119000001092024111900000000001'
const APP_ID = 'wx-test-appid'

function startFakeWeChatPay(port) {
  const merchant = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const platform = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const orders = new Map()  // out_trade_no → { total, openid, prepayId, state, transactionId, successTime }
  let seq = 0

  function signed(res, status, obj) {
    const body = JSON.stringify(obj)
    const ts = String(Math.floor(Date.now() / 1000))
    const nonce = crypto.randomBytes(16).toString('hex')
    const sig = crypto.sign('sha256', Buffer.from(ts + '\n' + nonce + '\n' + body + '\n'), platform.privateKey).toString('base64')
    res.writeHead(status, { 'content-type': 'application/json', 'Wechatpay-Timestamp': ts, 'Wechatpay-Nonce': nonce, 'Wechatpay-Signature': sig, 'Wechatpay-Serial': PUB_KEY_ID })
    res.end(body)
  }

  function verify(req, body) {
    const auth = req.headers.authorization || ''
    if (!auth.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return false
    const parts = {}
    for (const p of auth.slice('WECHATPAY2-SHA256-RSA2048 '.length).split(',')) {
      const i = p.indexOf('=')
      parts[p.slice(0, i).trim()] = p.slice(i + 1).trim().replace(/^"|"$/g, '')
    }
    if (parts.mchid !== MCH_ID || parts.serial_no !== SERIAL) return false
    const msg = req.method + '\n' + req.url + '\n' + parts.timestamp + '\n' + parts.nonce_str + '\n' + body + '\n'
    return crypto.verify('sha256', Buffer.from(msg), merchant.publicKey, Buffer.from(parts.signature || '', 'base64'))
  }

  // the user confirms the payment for this prepay: the order becomes SUCCESS with a transaction id
  function pay(prepayId) {
    for (const o of orders.values()) if (o.prepayId === prepayId && o.state === 'NOTPAY') {
      o.state = 'SUCCESS'
      o.transactionId = '4200' + String(++seq).padStart(24, '0')
      o.successTime = new Date().toISOString().replace(/\.\d+Z$/, '+00:00')
      return true
    }
    return false
  }

  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      // the phone's side, for the test bridge's wx.requestPayment (runs in the jest worker): the user confirms a prepay
      if (req.method === 'POST' && req.url === '/__phone/pay') {
        const { prepayId, paySign } = JSON.parse(body)
        const ok = !!paySign && pay(prepayId)
        res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' })
        return res.end(JSON.stringify({ ok }))
      }
      if (!verify(req, body)) return signed(res, 401, { code: 'SIGN_ERROR', message: '签名错误' })
      const path = req.url.split('?')[0]
      if (req.method === 'POST' && path === '/v3/pay/transactions/jsapi') {
        const j = JSON.parse(body)
        if (j.appid !== APP_ID || j.mchid !== MCH_ID || !j.payer || !j.amount) return signed(res, 400, { code: 'PARAM_ERROR', message: '参数错误' })
        let o = orders.get(j.out_trade_no)
        if (o && o.state === 'SUCCESS') return signed(res, 403, { code: 'ORDERPAID', message: '该订单已支付' })
        if (!o) { o = { total: j.amount.total, openid: j.payer.openid, prepayId: 'wx' + crypto.randomBytes(14).toString('hex'), state: 'NOTPAY' }; orders.set(j.out_trade_no, o) }
        return signed(res, 200, { prepay_id: o.prepayId })
      }
      const m = path.match(/^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/)
      if (req.method === 'GET' && m) {
        const no = decodeURIComponent(m[1])
        const o = orders.get(no)
        if (!o) return signed(res, 404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' })
        const t = { appid: APP_ID, mchid: MCH_ID, out_trade_no: no, trade_state: o.state, payer: { openid: o.openid }, amount: { total: o.total, currency: 'CNY' } }
        if (o.transactionId) Object.assign(t, { transaction_id: o.transactionId, trade_type: 'JSAPI', success_time: o.successTime, amount: { total: o.total, payer_total: o.total, currency: 'CNY' } })
        return signed(res, 200, t)
      }
      signed(res, 404, { code: 'NOT_FOUND', message: '未知接口' })
    })
  })

  return new Promise(resolve => server.listen(port, '127.0.0.1', () => resolve({
    server,
    merchantKeyPem: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    platformPublicKeyPem: platform.publicKey.export({ type: 'spki', format: 'pem' }),
    close: () => server.close(),
    pay
  })))
}

module.exports = { startFakeWeChatPay, MCH_ID, SERIAL, PUB_KEY_ID, APP_ID }

// Starts a real OrderHub server for the tests: the built API dll (built first if missing), ASPNETCORE_ENVIRONMENT=Development,
// a fresh temp data folder (so the demo distributor is seeded), a free loopback port; and a small fake of WeChat's
// servers (jscode2session, access token, subscribe send) so the wx.login → /api/wechat/login path runs for real.
const { spawn, spawnSync } = require('child_process')
const fs = require('fs')
const http = require('http')
const net = require('net')
const os = require('os')
const path = require('path')
const { startFakeWeChatPay, MCH_ID, SERIAL, PUB_KEY_ID, APP_ID } = require('./fake-wechat-pay.js')

const repo = path.resolve(__dirname, '../../../..')
const apiProject = path.join(repo, 'miniprogram-api/OrderHub.Api')
const dll = path.join(apiProject, 'bin/Debug/net10.0/OrderHub.Api.dll')

function crypto32() { return require('crypto').randomBytes(16).toString('hex') }

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)) })
    s.on('error', reject)
  })
}

// WeChat's servers as the API calls them: GET /sns/jscode2session, GET /cgi-bin/token, POST /cgi-bin/message/subscribe/send.
function fakeWeChat(port) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x')
    const send = body => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(body)) }
    if (url.pathname === '/sns/jscode2session') {
      const code = url.searchParams.get('js_code') || ''
      if (!code.startsWith('wxcode-')) return send({ errcode: 40029, errmsg: 'invalid code' })
      return send({ openid: 'openid-' + code.slice('wxcode-'.length), session_key: 'sk-' + code, unionid: null })
    }
    if (url.pathname === '/cgi-bin/token' || url.pathname === '/cgi-bin/stable_token') return send({ access_token: 'fake-access-token', expires_in: 7200 })
    // WeChat Work (qyapi): its token, and the mini-program login inside WeChat Work (qy.login → miniprogram/jscode2session).
    if (url.pathname === '/cgi-bin/gettoken') return send({ errcode: 0, errmsg: 'ok', access_token: 'fake-wecom-token', expires_in: 7200 })
    if (url.pathname === '/cgi-bin/miniprogram/jscode2session') {
      const code = url.searchParams.get('js_code') || ''
      if (!code.startsWith('qy-')) return send({ errcode: 40029, errmsg: 'invalid code' })
      // "qy-agent001" is the WeChat Work member agent001, the demo's AG001.
      return send({ errcode: 0, errmsg: 'ok', corpid: 'ww-test-corp', userid: code.slice('qy-'.length), session_key: 'sk-' + code })
    }
    if (url.pathname.startsWith('/cgi-bin/message/subscribe/send')) return send({ errcode: 0, errmsg: 'ok' })
    return send({ errcode: 0, errmsg: 'ok' })
  })
  return new Promise(resolve => server.listen(port, '127.0.0.1', () => resolve(server)))
}

async function waitForHealth(url, child, log) {
  const deadline = Date.now() + 120000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('OrderHub exited with ' + child.exitCode + ':\n' + fs.readFileSync(log, 'utf8').slice(-3000))
    const ok = await new Promise(resolve => {
      http.get(url + '/health', res => { res.resume(); resolve(res.statusCode === 200) }).on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise(r => setTimeout(r, 300))
  }
  throw new Error('OrderHub did not answer /health within 120 s:\n' + fs.readFileSync(log, 'utf8').slice(-3000))
}

module.exports = async function globalSetup() {
  if (!fs.existsSync(dll)) {
    const b = spawnSync('dotnet', ['build', apiProject, '--nologo', '-v', 'q'], { stdio: 'inherit' })
    if (b.status !== 0) throw new Error('dotnet build of OrderHub.Api failed')
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orderhub-mp-'))
  const [port, wxPort, payPort] = [await freePort(), await freePort(), await freePort()]
  const wechat = await fakeWeChat(wxPort)
  const wechatPay = await startFakeWeChatPay(payPort)
  fs.writeFileSync(path.join(dir, 'apiclient_key.pem'), wechatPay.merchantKeyPem)
  fs.writeFileSync(path.join(dir, 'pub_key.pem'), wechatPay.platformPublicKeyPem)
  const log = path.join(dir, 'server.log')
  const out = fs.openSync(log, 'a')
  const env = Object.assign({}, process.env, {
    ASPNETCORE_ENVIRONMENT: 'Development',
    DOTNET_NOLOGO: '1',
    Database__ConnectionString: 'Data Source=' + path.join(dir, 'orderhub.db'),
    Demo__Seed: 'true',
    Demo__History: 'false', // the demo without its year of orders: the tests set up the orders they read
    // Background sync jobs would move stock and statuses under the tests.
    Jobs__Enabled: 'false',
    Auth__LoginRateLimit__PermitLimit: '1000',
    WeCom__Enabled: 'true',
    WeCom__CorpId: 'ww-test-corp',
    WeCom__Secret: 'test-wecom-secret',
    WeCom__ApiBaseUrl: 'http://127.0.0.1:' + wxPort,
    WeChat__Enabled: 'true',
    WeChat__AppId: 'wx-test-appid',
    WeChat__AppSecret: 'test-secret',
    WeChat__ApiBaseUrl: 'http://127.0.0.1:' + wxPort,
    WeChat__RateLimit__PermitLimit: '1000',
    WeChat__Templates__OrderApproved__TemplateId: 'tpl-order-approved',
    WeChat__Templates__OrderRejected__TemplateId: 'tpl-order-rejected',
    WeChat__Templates__OrderShipped__TemplateId: 'tpl-order-shipped',
    WeChatPay__Enabled: 'true',
    WeChatPay__AppId: APP_ID,
    WeChatPay__MchId: MCH_ID,
    WeChatPay__MerchantSerialNo: SERIAL,
    WeChatPay__PrivateKeyPath: path.join(dir, 'apiclient_key.pem'),
    WeChatPay__ApiV3Key: crypto32(),
    WeChatPay__PlatformPublicKeyPath: path.join(dir, 'pub_key.pem'),
    WeChatPay__PlatformPublicKeyId: PUB_KEY_ID,
    WeChatPay__ApiBaseUrl: 'http://127.0.0.1:' + payPort,
    WeChatPay__NotifyUrl: 'https://orderhub.test/api/wechat/pay/notify',
    // Every answer is recorded for the contract check after the run (test/support/contract.js; Development only).
    Api__RecordResponsesTo: path.join(dir, 'responses.jsonl')
  })
  const child = spawn('dotnet', [dll, '--urls', 'http://127.0.0.1:' + port], { cwd: dir, env, stdio: ['ignore', out, out], detached: false })
  const baseUrl = 'http://127.0.0.1:' + port
  globalThis.__ORDERHUB__ = { child, wechat, wechatPay, dir }
  try {
    await waitForHealth(baseUrl, child, log)
    // The document this server serves, kept for the contract check in global-teardown.js.
    fs.writeFileSync(path.join(dir, 'openapi.json'), await new Promise((resolve, reject) => {
      http.get(baseUrl + '/openapi/v1.json', res => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', d => { text += d })
        res.on('end', () => res.statusCode === 200 ? resolve(text) : reject(new Error('GET /openapi/v1.json: ' + res.statusCode)))
      }).on('error', reject)
    }))
  } catch (e) {
    child.kill('SIGKILL'); wechat.close(); wechatPay.close()
    throw e
  }
  process.env.ORDERHUB_TEST_URL = baseUrl
  process.env.ORDERHUB_TEST_DIR = dir
  process.env.ORDERHUB_TEST_PAY_URL = 'http://127.0.0.1:' + payPort
}

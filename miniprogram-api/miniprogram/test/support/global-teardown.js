// Stops the server and the fake WeChat started by global-setup.js, and removes the temp data folder.
const fs = require('fs')
module.exports = async function globalTeardown() {
  const s = globalThis.__ORDERHUB__
  if (!s) return
  await new Promise(resolve => {
    if (s.child.exitCode !== null) return resolve()
    const timer = setTimeout(() => { try { s.child.kill('SIGKILL') } catch (e) { /* gone */ } resolve() }, 10000)
    s.child.once('exit', () => { clearTimeout(timer); resolve() })
    s.child.kill('SIGTERM')
  })
  s.wechat.closeAllConnections()
  s.wechat.close()
  if (s.wechatPay) { s.wechatPay.server.closeAllConnections(); s.wechatPay.close() }
  if (!process.env.ORDERHUB_KEEP_DATA) fs.rmSync(s.dir, { recursive: true, force: true })
}

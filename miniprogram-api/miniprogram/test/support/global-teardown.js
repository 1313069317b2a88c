// Stops the server and the fake WeChat started by global-setup.js, checks every answer the server recorded against its
// OpenAPI document (test/support/contract.js), and removes the temp data folder. A mismatch fails the run.
const fs = require('fs')
const path = require('path')
const contract = require('./contract')

// ./test.sh prints this line after the run.
const summaryFile = path.join(__dirname, '..', '.contract-summary.txt')

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
  let result
  try {
    const document = JSON.parse(fs.readFileSync(path.join(s.dir, 'openapi.json'), 'utf8'))
    result = contract.check(document, contract.readRecording(path.join(s.dir, 'responses.jsonl')))
  } finally {
    if (!process.env.ORDERHUB_KEEP_DATA) fs.rmSync(s.dir, { recursive: true, force: true })
  }
  const line = `contract (mini-program Node tests): ${result.validated} responses validated against the OpenAPI document, ${result.failures.length} mismatches, ${result.skipped} responses to non-operations skipped`
  fs.writeFileSync(summaryFile, line + '\n')
  console.log(line)
  if (result.failures.length > 0) {
    const grouped = new Map()
    for (const f of result.failures) { const k = f.slice(0, f.indexOf(' [')); grouped.set(k, (grouped.get(k) || 0) + 1) }
    throw new Error(`${result.failures.length} responses do not match the OpenAPI document; the first: ${result.failures[0]}\n` +
      [...grouped].slice(0, 80).map(([k, n]) => `${k} (×${n})`).join('\n'))
  }
}

// The test server's own SQLite file (global-setup.js: ORDERHUB_TEST_DIR/orderhub.db), for what no API can do: giving orders
// placed through the API a date in the past, so a store has an ordering history (补货提醒, 生命周期). Runs the sqlite3 CLI.
const { spawnSync } = require('child_process')
const path = require('path')

function sql(statement) {
  const db = path.join(process.env.ORDERHUB_TEST_DIR, 'orderhub.db')
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', db, statement], { encoding: 'utf8' })
  if (r.error) throw new Error('the sqlite3 command-line tool is needed to backdate test orders: ' + r.error.message)
  if (r.status !== 0) throw new Error('sqlite3 failed: ' + r.stderr)
  return r.stdout.trim()
}

// Noon in Shanghai, `days` days before today's Shanghai date, as the server stores times (Unix ms, UTC).
function shanghaiNoonDaysAgo(days) {
  const sh = new Date(Date.now() + 8 * 3600000)
  return Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth(), sh.getUTCDate() - days, 4, 0, 0)
}

// Moves an order (by its number) to `days` days ago, Shanghai noon.
function backdateOrder(orderNo, days) {
  if (!/^[A-Z0-9-]+$/.test(orderNo)) throw new Error('odd order number ' + orderNo)
  const at = shanghaiNoonDaysAgo(days)
  sql(`UPDATE orders SET created_at = ${at} WHERE order_no = '${orderNo}'; SELECT changes();`)
  const n = sql(`SELECT COUNT(*) FROM orders WHERE order_no = '${orderNo}' AND created_at = ${at};`)
  if (n !== '1') throw new Error('order ' + orderNo + ' was not backdated')
}

module.exports = { sql, backdateOrder, shanghaiNoonDaysAgo }

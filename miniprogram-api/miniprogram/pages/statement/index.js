// 对账: what the store owes, its credit limit and what is left, and the statement for a month (opening balance, lines,
// closing balance), with the XLSX opened in WeChat's document viewer. An agent (customerId) reads one of its stores'.
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

function monthRange(month) {
  const [y, m] = month.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: month + '-01', to: month + '-' + String(last).padStart(2, '0') }
}

Component({
  data: { loading: false, error: '', net: '', customerId: '', name: '', month: '', balance: null, st: null, lines: [] },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      const now = new Date(Date.now() + 8 * 3600000)
      this.setData({ customerId: o.customerId || '', name: o.name || '', month: o.month || now.toISOString().slice(0, 7) })
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    pickMonth(e) { this.setData({ month: e.detail.value }); return this.refresh() },
    async refresh() {
      const { from, to } = monthRange(this.data.month)
      const cid = this.data.customerId
      await run(this, async () => {
        const [balance, st] = await Promise.all([
          cid ? Promise.resolve(null) : api.balance(),
          cid ? api.get('/api/agent/customers/' + cid + '/statement', { from, to }) : api.statement(from, to)
        ])
        this.setData({
          balance,
          st: { from: st.from, to: st.to, opening: st.openingBalance.text, closing: st.closingBalance.text, debit: st.debitTotal.text, credit: st.creditTotal.text, name: st.customer.name },
          lines: st.lines.map(l => Object.assign({}, l, { debitText: l.debitFen ? fmt.yuan(l.debitFen) : '', creditText: l.creditFen ? fmt.yuan(l.creditFen) : '' }))
        })
      })
    },
    async download() {
      const { from, to } = monthRange(this.data.month)
      await run(this, async () => {
        const file = await api.download(api.statementUrl(from, to, 'xlsx'))
        await new Promise((resolve, reject) => wx.openDocument({ filePath: file, fileType: 'xlsx', showMenu: true, success: resolve, fail: () => reject(new api.ApiError('无法打开文件', {})) }))
      })
    }
  }
})

// 对账: what the store owes, its credit limit and what is left, and the statement for a month (opening balance, lines,
// closing balance), with the XLSX opened in WeChat's document viewer. An agent (customerId) reads one of its stores'.
// 充值: the store tops up its prepaid balance (预存款) by WeChat Pay — POST /api/prepaid/top-ups, then wx.requestPayment with
// the server-signed parameters; the balance shown is read again from the server afterwards.
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

function monthRange(month) {
  const [y, m] = month.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: month + '-01', to: month + '-' + String(last).padStart(2, '0') }
}

Component({
  data: { loading: false, error: '', net: '', customerId: '', name: '', month: '', balance: null, st: null, lines: [], prepaidText: '', topUpKey: '' },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      const now = new Date(Date.now() + 8 * 3600000)
      this.setData({ customerId: o.customerId || '', name: o.name || '', month: o.month || now.toISOString().slice(0, 7) })
      if (!o.customerId) this.loadPrepaid()
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
    async loadPrepaid() {
      const p = await run(this, () => api.prepaid(), { quiet: true })
      if (p) this.setData({ prepaidText: fmt.yuan(p.balanceFen) })
    },
    topUp() {
      wx.showModal({
        title: '预存款充值', content: '', editable: true, placeholderText: '充值金额（元）',
        success: async res => {
          if (!res.confirm) return
          const fen = Math.round(Number(res.content) * 100)
          if (!(fen > 0)) return wx.showToast({ title: '请输入充值金额', icon: 'none' })
          // one key per press (kept while retried), so a retry never starts a second top-up
          const key = this.data.topUpKey || api.newIdempotencyKey()
          this.setData({ topUpKey: key })
          const start = await run(this, () => api.topUp(fen, key))
          if (!start) return
          this.setData({ topUpKey: '' })
          const rp = start.requestPayment
          const ok = await new Promise(resolve => wx.requestPayment({
            timeStamp: rp.timeStamp, nonceStr: rp.nonceStr, package: rp.package, signType: rp.signType, paySign: rp.paySign,
            success: () => resolve(true), fail: () => resolve(false)
          }))
          if (!ok) return wx.showToast({ title: '充值未完成', icon: 'none' })
          // back from the sheet: the server asks WeChat Pay (the notification may come later) and books it once
          const p = await run(this, () => api.topUpStatus(start.weChatPayment.id), { quiet: true })
          await this.loadPrepaid()
          wx.showToast({ title: p && p.status === 'paid' ? '充值成功' : '充值处理中', icon: p && p.status === 'paid' ? 'success' : 'none' })
        }
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

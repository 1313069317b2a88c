// 退货 / 售后: my returns, newest first, each with its server status label (待审核, 待收货, 待退款, 已完成, 已驳回, 已取消), the
// order it came from, what was asked and the credit once refunded; a return still 待审核 may be withdrawn (撤回).
// mode=agent: the returns of my stores.
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', mode: '', items: [] },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      const s = api.session()
      this.setData({ mode: o.mode || (s && s.role === 'agent' ? 'agent' : '') })
    },
    onShow() { return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    onPullDownRefresh() { return this.refresh().then(() => wx.stopPullDownRefresh()) },
    async refresh() {
      const r = await run(this, () => api.returns({}, this.data.mode))
      if (!r) return
      this.setData({
        items: r.items.map(x => ({
          id: x.id, returnNo: x.returnNo, orderNo: x.orderNo, customerName: x.customerName, status: x.status, statusLabel: x.statusLabel,
          reason: x.reason, time: fmt.shortTime(x.createdAt), requestedText: fmt.yuan(x.requestedFen), creditText: x.creditText || '',
          summary: x.lines.map(l => l.name + ' ×' + l.quantity + l.unit).join('，'),
          rejectReason: x.rejectReason || '', canCancel: x.status === fmt.RETURN_PENDING_REVIEW
        }))
      })
    },
    openOrder(e) {
      wx.navigateTo({ url: '/pages/order/detail?no=' + encodeURIComponent(e.currentTarget.dataset.no) + (this.data.mode === 'agent' ? '&mode=agent' : '') })
    },
    cancel(e) {
      const id = Number(e.currentTarget.dataset.id)
      wx.showModal({
        title: '撤回退货申请', content: '确定撤回这个退货申请吗？', editable: true, placeholderText: '撤回原因（选填）',
        success: async res => {
          if (!res.confirm) return
          const d = await run(this, () => api.cancelReturn(id, res.content || '门店撤回', this.data.mode))
          if (d) { wx.showToast({ title: '已撤回', icon: 'success' }); await this.refresh() }
        }
      })
    }
  }
})

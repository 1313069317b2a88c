// One order: the flow (提交 → 业务审核 → 财务审核 → 出库 → 发货 → 收货) as a timeline in plain Chinese, its lines with the
// price paid and why, and what the store may do now: cancel while in review, confirm receipt once shipped, 再来一单,
// 申请退货 once shipped or received (pages/returns/apply).
// Subscribe messages open this page as pages/order/detail?no=<orderNo>.
// 支付: what is still open on the order is paid by WeChat Pay (wx.requestPayment with the server-signed parameters), the
// prepaid balance (预存款) first when the store has one; back from the sheet the page asks the server, which asks WeChat Pay.
// 待店主审核: a clerk's order above the store's threshold; the owner (店主) approves or rejects it here, a clerk only sees it.
// 待付款 (pay before review): the 微信支付 button is how the order reaches 业务审核.
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', no: '', mode: '', o: null, steps: [], active: 0, ended: '', canCancel: false, canReceive: false, canReorder: false, pay: null, canPay: false, payKey: '', isOwner: false, canOwnerDecide: false, canReturn: false },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      const s = api.session()
      this.setData({ no: o.no, mode: o.mode || (s && s.role === 'agent' ? 'agent' : '') })
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      if (this.data.mode !== 'agent' && this.owner === undefined) {
        const me = await run(this, () => api.storeAccount(), { quiet: true })
        this.owner = !!(me && me.isOwner)
        this.setData({ isOwner: this.owner })
      }
      const d = await run(this, () => api.order(this.data.no, this.data.mode))
      if (d) this.show(d)
      if (d && this.data.mode !== 'agent') await this.loadPayments()
    },
    async loadPayments() {
      const p = await run(this, () => api.orderPayments(this.data.no), { quiet: true })
      if (!p) return
      const ended = p.orderStatus === 'cancelled' || p.orderStatus === 'rejected' || p.orderStatus === 'pending_owner_approval'
      this.setData({
        pay: { paidText: fmt.yuan(p.paidFen), outstandingText: fmt.yuan(p.outstandingFen), paid: p.paidFen > 0, settled: p.outstandingFen === 0 && p.paidFen > 0 },
        canPay: !ended && p.outstandingFen > 0
      })
    },
    // One key per press of 支付 (kept while the press is retried), so a retried request never pays twice.
    async payNow() {
      const key = this.data.payKey || api.newIdempotencyKey()
      this.setData({ payKey: key })
      let useBalanceFen = 0
      const account = await run(this, () => api.prepaid(), { quiet: true })
      if (account && account.balanceFen > 0) useBalanceFen = account.balanceFen
      const start = await run(this, () => api.payOrder(this.data.no, useBalanceFen, key))
      if (!start) return
      this.setData({ payKey: '' })
      if (start.requestPayment) {
        const rp = start.requestPayment
        const ok = await new Promise(resolve => wx.requestPayment({
          timeStamp: rp.timeStamp, nonceStr: rp.nonceStr, package: rp.package, signType: rp.signType, paySign: rp.paySign,
          success: () => resolve(true), fail: () => resolve(false)
        }))
        if (!ok) { wx.showToast({ title: '支付未完成', icon: 'none' }); return this.loadPayments() }
      }
      await this.loadPayments()
      wx.showToast({ title: this.data.pay && this.data.pay.settled ? '支付成功' : '支付处理中', icon: this.data.pay && this.data.pay.settled ? 'success' : 'none' })
    },
    show(d) {
      const t = fmt.timeline(d)
      const status = d.summary.status
      const store = this.data.mode !== 'agent'
      this.setData({
        o: {
          orderNo: d.summary.orderNo, statusLabel: d.summary.statusLabel, customerName: d.summary.customerName,
          time: fmt.shortTime(d.summary.createdAt), totalText: d.summary.totalText, goodsText: fmt.yuan(d.goodsFen),
          discountText: d.summary.discountFen ? '-' + fmt.yuan(d.summary.discountFen) : '',
          proxy: d.summary.channel === 'proxy', contact: d.contactName + ' ' + d.contactPhone, address: d.deliveryAddress, note: d.note || '',
          lines: d.lines.map(l => Object.assign({}, l, { amountText: fmt.yuan(l.amountFen) }))
        },
        steps: t.steps, active: t.active, ended: t.ended || '',
        canCancel: ['pending_owner_approval', 'pending_payment', 'pending_sales_review', 'pending_finance_review'].indexOf(status) >= 0,
        canOwnerDecide: store && this.data.isOwner && status === 'pending_owner_approval',
        canReceive: store && status === 'shipped',
        canReturn: fmt.RETURNABLE_ORDER_STATUSES.indexOf(status) >= 0,
        canReorder: store
      })
    },
    cancel() {
      wx.showModal({
        title: '取消订单', content: '确定取消这个订单吗？', editable: true, placeholderText: '取消原因（选填）',
        success: async res => {
          if (!res.confirm) return
          const d = await run(this, () => api.cancelOrder(this.data.no, res.content || '门店取消', this.data.mode))
          if (d) { wx.showToast({ title: '已取消', icon: 'success' }); this.show(d) }
        }
      })
    },
    async ownerApprove() {
      const d = await run(this, () => api.ownerApprove(this.data.no))
      if (!d) return
      wx.showToast({ title: '已审核通过', icon: 'success' })
      this.show(d)
      await this.loadPayments()
    },
    ownerReject() {
      wx.showModal({
        title: '驳回店员订单', content: '', editable: true, placeholderText: '驳回原因（必填）',
        success: async res => {
          if (!res.confirm) return
          if (!res.content) return wx.showToast({ title: '请填写驳回原因', icon: 'none' })
          const d = await run(this, () => api.ownerReject(this.data.no, res.content))
          if (d) { wx.showToast({ title: '已驳回', icon: 'success' }); this.show(d); await this.loadPayments() }
        }
      })
    },
    async receive() {
      const d = await run(this, () => api.receiveOrder(this.data.no))
      if (d) { wx.showToast({ title: '已确认收货', icon: 'success' }); this.show(d) }
    },
    // 申请退货: the return form for this order (its lines with what may still be returned).
    applyReturn() {
      wx.navigateTo({ url: '/pages/returns/apply?no=' + encodeURIComponent(this.data.no) + (this.data.mode === 'agent' ? '&mode=agent' : '') })
    },
    async reorder() {
      const r = await run(this, () => api.reorder(this.data.no))
      if (!r) return
      const dropped = (r.dropped || []).length
      wx.showToast({ title: dropped ? dropped + ' 件商品已不可订，其余已加入购物车' : '已加入购物车', icon: 'none' })
      wx.navigateTo({ url: '/pages/cart/index' })
    }
  }
})

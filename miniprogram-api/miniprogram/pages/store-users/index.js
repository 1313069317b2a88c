// 门店成员 (我的 → 门店成员与审核), the owner's (店主) page: the store's users with their role (店主 / 店员), make one owner or
// clerk, remove one; and the amount above which a clerk's order waits for the owner's approval (待店主审核; empty or 0 = off,
// an order equal to it does not wait). A clerk sees only its own role: the server answers 403 to anything else.
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', me: null, users: [], threshold: '', thresholdText: '', saving: false },
  methods: {
    onLoad() {
      watchNetwork(this)
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      await run(this, async () => {
        const me = await api.storeAccount()
        const users = me.isOwner ? await api.storeUsers() : []
        this.setData({
          me,
          users: users.filter(u => u.active).map(u => Object.assign({}, u, { isMe: u.id === me.userId })),
          threshold: me.ownerApprovalAboveFen ? String(me.ownerApprovalAboveFen / 100) : '',
          thresholdText: me.ownerApprovalAboveFen ? fmt.yuan(me.ownerApprovalAboveFen) : '不需要审核'
        })
      })
    },
    inputThreshold(e) { this.setData({ threshold: e.detail.value }) },
    async saveThreshold() {
      const text = (this.data.threshold || '').trim()
      const yuan = text === '' ? 0 : Number(text)
      if (!(yuan >= 0) || !isFinite(yuan)) return wx.showToast({ title: '请输入金额', icon: 'none' })
      this.setData({ saving: true })
      const me = await run(this, () => api.setApprovalThreshold(Math.round(yuan * 100) || null))
      this.setData({ saving: false })
      if (!me) return
      this.setData({ me, thresholdText: me.ownerApprovalAboveFen ? fmt.yuan(me.ownerApprovalAboveFen) : '不需要审核' })
      wx.showToast({ title: '已保存', icon: 'success' })
    },
    async toggleRole(e) {
      const u = this.data.users[Number(e.currentTarget.dataset.index)]
      const r = await run(this, () => api.setStoreUserRole(u.id, u.role === 'owner' ? 'clerk' : 'owner'))
      if (r) { wx.showToast({ title: '已设为' + r.roleLabel, icon: 'success' }); await this.refresh() }
    },
    remove(e) {
      const u = this.data.users[Number(e.currentTarget.dataset.index)]
      wx.showModal({
        title: '移除成员', content: '确定移除 ' + u.name + ' 吗？移除后他不能再为门店下单，已下的订单保留。',
        success: async res => {
          if (!res.confirm) return
          const done = await run(this, async () => { await api.removeStoreUser(u.id); return true })
          if (done) { wx.showToast({ title: '已移除', icon: 'success' }); await this.refresh() }
        }
      })
    }
  }
})

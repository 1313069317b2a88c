// Entry page. Signs in and sends each person to their start page:
//  - inside WeChat Work (wx.qy present): qy.login → POST /api/wechat/work/login (agents);
//  - in WeChat: wx.login → POST /api/wechat/login; an unbound user goes to the binding page (with the QR's scene);
//  - a launch with a binding QR (scene b=<code>) or a shared product card (share=<code>) is carried through.
const api = require('../../utils/api.js')
const { run, watchNetwork } = require('../../utils/page.js')

function parseScene(options) {
  let scene = options && options.scene ? decodeURIComponent(options.scene) : ''
  if (!scene && options && options.b) scene = 'b=' + options.b
  return scene
}

Component({
  data: { loading: false, error: '', net: '', message: '', devLogin: false, customerCode: 'C00010', agentCode: 'AG001', scene: '', share: '', sku: '' },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const app = typeof getApp === 'function' ? getApp() : null
      const launch = (app && app.globalData && app.globalData.launch && app.globalData.launch.query) || {}
      const opts = Object.assign({}, launch, options || {})
      this.setData({ devLogin: !!api.config.devLogin, scene: parseScene(opts), share: opts.share || opts.shareCode || '', sku: opts.sku || '' })
      if (opts.logout) return
      const s = api.session()
      if (s && !this.data.scene) return this.enter(s)
      // The demo build shows the development sign-in and waits for a tap; a real build signs in at once.
      if (this.data.devLogin && !this.data.scene) return undefined
      return this.signIn()
    },
    async signIn() {
      const qy = typeof wx.qy === 'object' && wx.qy
      if (qy && qy.login) {
        const code = await new Promise(resolve => qy.login({ success: r => resolve(r.code), fail: () => resolve(null) }))
        if (!code) return this.setData({ message: '企业微信登录失败，请重试' })
        const s = await run(this, () => api.workLogin(code))
        if (s) this.enter(s)
        return
      }
      const code = await new Promise(resolve => wx.login({ success: r => resolve(r.code), fail: () => resolve(null) }))
      if (!code) return this.setData({ message: '微信登录失败，请重试' })
      const r = await run(this, () => api.wechatLogin(code), { quiet: this.data.devLogin })
      if (!r) return
      if (r.bound && !this.data.scene) return this.enter(r.session)
      // Not yet a user of a store, or opened from a binding QR: bind first.
      wx.redirectTo({ url: '/pages/bind/index' + api.qs({ scene: this.data.scene, message: r.message }) })
    },
    enter(s) {
      if (s.role === 'agent') return wx.redirectTo({ url: '/pages/agent/stores/index' })
      if (this.data.share && this.data.sku) return wx.redirectTo({ url: '/pages/product/index' + api.qs({ sku: this.data.sku, share: this.data.share }) })
      return wx.redirectTo({ url: '/pages/home/index' })
    },
    input(e) { this.setData({ [e.currentTarget.dataset.field]: e.detail.value }) },
    async devStore() {
      const s = await run(this, () => api.devLogin({ customerCode: this.data.customerCode }))
      if (s) this.enter(s)
    },
    async devAgent() {
      const s = await run(this, () => api.devLogin({ agentCode: this.data.agentCode }))
      if (s) this.enter(s)
    },
    retry() { this.signIn() }
  }
})

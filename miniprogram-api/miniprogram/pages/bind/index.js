// Binding (业务员绑定门店): a WeChat user not yet a store's user scans the agent's binding QR (scene b=<code>) or types
// the code; with a name and phone it becomes a user of that store and is signed in.
const api = require('../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

function codeFromScene(scene) {
  const m = /(?:^|&)b=([^&]+)/.exec(scene || '')
  return m ? m[1] : ''
}

Component({
  data: { loading: false, error: '', net: '', message: '', scene: '', code: '', name: '', phone: '' },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      const scene = o.scene ? decodeURIComponent(o.scene) : ''
      this.setData({ scene, code: codeFromScene(scene), message: o.message || '' })
    },
    onUnload() { unwatchNetwork(this) },
    input(e) { this.setData({ [e.currentTarget.dataset.field]: e.detail.value }) },
    scan() {
      wx.scanCode({
        onlyFromCamera: true,
        success: r => { const c = codeFromScene(decodeURIComponent(r.path || r.result || '').split('scene=')[1] || r.result); if (c) this.setData({ code: c }) }
      })
    },
    async bind() {
      const d = this.data
      if (!d.code) return wx.showToast({ title: '请扫描业务员的绑定码', icon: 'none' })
      const s = await run(this, () => api.bind({ scene: 'b=' + d.code, name: d.name || null, phone: d.phone || null }))
      if (!s) return
      wx.showToast({ title: '绑定成功', icon: 'success' })
      wx.reLaunch({ url: s.role === 'agent' ? '/pages/agent/stores/index' : '/pages/home/index' })
    }
  }
})

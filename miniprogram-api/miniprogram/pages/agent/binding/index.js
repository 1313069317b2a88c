// Shows a store's binding QR: a fresh binding code, its QR PNG downloaded with the agent's token (an <image> cannot send
// the Authorization header) and shown from the temp file. The store's person scans it and becomes a user of the store.
const api = require('../../../utils/api.js')
const fmt = require('../../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', id: '', name: '', code: null, image: '', expires: '' },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      this.setData({ id: options.id, name: options.name || '' })
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      await run(this, async () => {
        const code = await api.bindingCode(this.data.id)
        const image = await api.download(code.qrPngUrl)
        this.setData({ code, image, expires: fmt.shortTime(code.expiresAt) })
      })
    },
    preview() { if (this.data.image) wx.previewImage({ urls: [this.data.image] }) }
  }
})

// OrderHub mini-program: one app for stores (门店) and agents (业务员); the signed-in role decides the pages shown.
const api = require('./utils/api.js')

App({
  globalData: { launch: null },
  onLaunch(options) {
    // Keeps the launch query: a binding QR's scene (b=<code>) or a shared product card's share code.
    this.globalData.launch = options || null
    // The pages' offline banner follows the phone's network, not only failed requests.
    wx.onNetworkStatusChange(res => api.networkChanged(res.isConnected))
  }
})

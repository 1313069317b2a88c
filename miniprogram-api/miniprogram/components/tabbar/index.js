// The bottom navigation: the store's tabs or the agent's, chosen by the signed-in role.
const STORE = [
  { key: 'home', text: '首页', url: '/pages/home/index' },
  { key: 'cart', text: '购物车', url: '/pages/cart/index' },
  { key: 'orders', text: '订单', url: '/pages/orders/index' },
  { key: 'mine', text: '我的', url: '/pages/mine/index' }
]
const AGENT = [
  { key: 'stores', text: '我的门店', url: '/pages/agent/stores/index' },
  { key: 'orders', text: '订单', url: '/pages/orders/index?mode=agent' },
  { key: 'performance', text: '业绩', url: '/pages/agent/performance/index' }
]
Component({
  properties: { active: { type: String, value: '' }, mode: { type: String, value: 'store' } },
  data: { tabs: STORE },
  observers: { mode(m) { this.setData({ tabs: m === 'agent' ? AGENT : STORE }) } },
  methods: {
    go(e) {
      const tab = this.data.tabs[e.currentTarget.dataset.index]
      if (tab && tab.key !== this.data.active) wx.redirectTo({ url: tab.url })
    }
  }
})

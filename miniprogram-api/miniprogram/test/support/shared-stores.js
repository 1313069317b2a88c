// Demo stores whose figures one test file depends on, so the other files (all run against the one server) leave them be.
// A test that picks "any store of an agent" must skip these; a store here may still be touched by another file's
// read-only or cart-only steps, so each user of a store clears its cart before ordering.

// 品类空白 (insight.test.js): AG001's store C00046 and the three stores of the same customer group and region (荔湾区) in
// the demo — C00013, C00028 and C00043 are AG003's. Their revenue over the last 90 days decides whether they are "similar"
// (within 2× of each other), so an extra order placed for one of them by another test can hide the gap.
const CROSS_SELL = { target: 'C00046', peers: ['C00013', 'C00028', 'C00043'] }

// 退货 (returns.test.js): AG001's C00016 ships an order through finance approval without an override, so an order another
// test places for it first (store-pay's or insight's pick among AG001's stores) can use up its credit: approve-finance 409.
const RETURNS_STORE = 'C00016'

// 常用单 (usual-order-card.test.js): AG001's C00056 orders P and Q and expects exactly those two in its usual order, so a
// third product ordered for it by another test (insight's random pick among AG001's stores did) shows "3 种商品".
const USUAL_ORDER_STORE = 'C00056'

module.exports = { CROSS_SELL, CROSS_SELL_STORES: [CROSS_SELL.target, ...CROSS_SELL.peers], RETURNS_STORE, USUAL_ORDER_STORE }

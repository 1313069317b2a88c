// 看板: today's and this month's orders and revenue, open queues, daily trend, self-order vs proxy share, top customers (ECharts).
import { api } from '../api.js';
import { h, clear, money, loading, problemBox } from '../ui.js';

let echartsReady;
function loadECharts() {
  // Vendored ECharts 5 (Apache-2.0), loaded only when the dashboard is opened.
  echartsReady ??= new Promise((resolve, reject) => {
    if (window.echarts) return resolve(window.echarts);
    const s = document.createElement('script');
    s.src = 'vendor/echarts.min.js';
    s.onload = () => resolve(window.echarts);
    s.onerror = () => { echartsReady = null; reject(new Error('图表组件加载失败')); };
    document.head.append(s);
  });
  return echartsReady;
}

const FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
const yuanAxis = v => v >= 10000 ? `¥${(v / 10000).toFixed(1)}万` : `¥${v}`;

export async function render(main) {
  clear(main, h('div.page-head', h('h1', '看板')), loading());
  let d, echarts;
  try { [d, echarts] = await Promise.all([api.get('/api/admin/dashboard'), loadECharts()]); } catch (e) { clear(main, h('div.page-head', h('h1', '看板')), problemBox(e)); return; }

  const trend = h('div.chart#chart-trend', { role: 'img', 'aria-label': '本月每日订单与金额' });
  const share = h('div.chart#chart-channel', { role: 'img', 'aria-label': '自助订货与代客下单占比' });
  const top = h('div.chart.tall#chart-top', { role: 'img', 'aria-label': '本月客户排行' });
  clear(main,
    h('div.page-head', h('h1', '看板'), h('p.muted', `${d.today} (北京时间)`)),
    h('div.kpis',
      kpi('今日订单', `${d.todayTotals.orders} 单`, 'kpi-today-orders'),
      kpi('今日金额', money(d.todayTotals.revenue.fen), 'kpi-today-revenue'),
      kpi('本月订单', `${d.month.orders} 单`, 'kpi-month-orders'),
      kpi('本月金额', money(d.month.revenue.fen), 'kpi-month-revenue'),
      ...d.open.map(q => h('a.kpi.queue', { href: `#/orders?status=${q.status}` }, h('span.label', q.label), h('span.value', String(q.count))))),
    h('div.charts',
      h('section.panel.wide', h('h2', '本月每日订单与金额'), trend),
      h('section.panel', h('h2', '自助订货 / 代客下单 (本月)'), share),
      h('section.panel', h('h2', '本月客户排行 (金额)'), top)));

  const charts = [];
  const make = (el, option) => { const c = echarts.init(el, null, { renderer: 'canvas' }); c.setOption({ textStyle: { fontFamily: FONT }, animation: false, ...option }); charts.push(c); };
  make(trend, {
    tooltip: { trigger: 'axis', valueFormatter: v => v },
    legend: { data: ['金额 (元)', '订单数'] },
    grid: { left: 60, right: 50, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: d.days.map(x => x.date.slice(5)) },
    yAxis: [{ type: 'value', name: '金额', axisLabel: { formatter: yuanAxis } }, { type: 'value', name: '订单', minInterval: 1 }],
    series: [
      { name: '金额 (元)', type: 'bar', data: d.days.map(x => x.revenue.fen / 100), itemStyle: { color: '#2f6fde' } },
      { name: '订单数', type: 'line', yAxisIndex: 1, data: d.days.map(x => x.orders), itemStyle: { color: '#e8833a' } },
    ],
  });
  make(share, {
    tooltip: { trigger: 'item', formatter: p => `${p.name}<br>${p.value} 单 (${p.percent}%)<br>${money(p.data.fen)}` },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['40%', '70%'], label: { formatter: '{b}\n{d}%' },
      data: d.channels.map(c => ({ name: c.label, value: c.orders, fen: c.revenue.fen })) }],
  });
  const tops = [...d.topCustomers].reverse();
  make(top, {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: ps => `${ps[0].name}<br>${money(tops[ps[0].dataIndex].revenue.fen)} · ${tops[ps[0].dataIndex].orders} 单` },
    grid: { left: 140, right: 30, top: 10, bottom: 30 },
    xAxis: { type: 'value', axisLabel: { formatter: yuanAxis } },
    yAxis: { type: 'category', data: tops.map(c => c.name), axisLabel: { width: 130, overflow: 'truncate' } },
    series: [{ type: 'bar', data: tops.map(c => c.revenue.fen / 100), itemStyle: { color: '#3a9e6e' } }],
  });
  const resize = () => charts.forEach(c => c.resize());
  window.addEventListener('resize', resize);
  return () => { window.removeEventListener('resize', resize); charts.forEach(c => c.dispose()); };
}

function kpi(label, value, id) {
  return h('div.kpi', { id }, h('span.label', label), h('span.value', value));
}

// 业务员: agents and their stores; move one store to another agent; one-step hand-over (离职转移) when an agent leaves;
// 聊天分组: which welcome text the agent's stores get in WeChat Work (WeCom:Chat:WelcomeByGroup).
import { api, newIdempotencyKey } from '../api.js';
import { h, clear, money, dateTime, dialog, toast, badge, loading, problemBox, table } from '../ui.js';
import { can } from '../perms.js';
import { go } from '../app.js';

export async function render(main, { me, route }) {
  const selected = route.rest[0] ? Number(route.rest[0]) : null;
  clear(main, loading());
  let agents;
  try { agents = await api.get('/api/admin/agents'); } catch (e) { clear(main, problemBox(e)); return; }
  const active = agents.filter(a => a.active);
  const right = h('section.detail#agent-detail', h('p.muted', '选择一位业务员查看其客户'));

  clear(main,
    h('div.page-head', h('h1', '业务员')),
    h('div.master-detail.wide-detail',
      h('div.master', table([
        { label: '编码', render: a => h('span.mono', a.code) },
        { label: '姓名', render: a => h('span', a.name, a.active ? null : badge('已停用', 'muted')) },
        { label: '电话', render: a => a.phone || '—' },
        { label: '企业微信', render: a => a.wecomUserId || '—' },
        { label: '聊天分组', render: a => a.chatGroup || '默认' },
        { label: '客户数', num: true, key: 'customers' },
        { label: '在途订单', num: true, key: 'openOrders' },
      ], agents, {
        onRowClick: a => go(`agents/${a.id}`),
        rowAttrs: a => ({ class: a.id === selected ? 'selected' : null }),
      })),
      right));

  if (!selected) return;
  const agent = agents.find(a => a.id === selected);
  if (!agent) { clear(right, problemBox(new Error('业务员不存在'))); return; }
  clear(right, loading());
  let customers;
  try { customers = await api.get(`/api/admin/agents/${selected}/customers`); } catch (e) { clear(right, problemBox(e)); return; }
  const others = active.filter(a => a.id !== agent.id);
  const resultBox = h('div#handover-result');

  const storeTable = h('div');
  clear(right,
    h('div.detail-head', h('h2', `${agent.name} 的客户`), h('p.muted', `${customers.length} 家门店`)),
    can.reassign(me.role) ? h('div.actions',
      h('button.btn#chat-group', { type: 'button', on: { click: setChatGroup } }, `聊天分组：${agent.chatGroup || '默认'}`),
      h('button.btn.danger#hand-over', { type: 'button', disabled: others.length === 0, on: { click: handOver } }, '离职转移 (全部客户转给…)')) : null,
    resultBox,
    storeTable);
  clear(storeTable, table([
      { label: '编码', render: c => h('span.mono', c.code) },
      { label: '名称', render: c => h('a', { href: `#/customers/${c.id}` }, c.name) },
      { label: '等级', render: c => c.groupName || '—' },
      { label: '区域', render: c => c.region || '—' },
      { label: '应收余额', num: true, render: c => money(c.balance.fen) },
      { label: '最近下单', render: c => dateTime(c.lastOrderAt) },
      ...(can.reassign(me.role) ? [{ label: '', render: c => h('button.btn.small', { type: 'button', on: { click: () => reassign(c) } }, '转给…') }] : []),
    ], customers, { empty: '该业务员暂无客户' }));

  const agentOptions = () => others.map(a => ({ value: a.id, label: `${a.name} (${a.code})` }));

  async function reassign(c) {
    const v = await dialog({ title: `转移客户 ${c.name}`, okText: '确认转移',
      fields: [{ name: 'agentId', label: '新的业务员', type: 'select', options: agentOptions() }] });
    if (!v) return;
    try {
      await api.put(`/api/admin/customers/${c.id}/agent`, { agentId: Number(v.agentId) });
      toast(`${c.name} 已转给 ${others.find(a => a.id === Number(v.agentId))?.name}`);
      go(`agents/${agent.id}`);
    } catch (e) { toast(e.message, 'error'); }
  }

  async function setChatGroup() {
    const v = await dialog({ title: `聊天分组：${agent.name}`, okText: '保存',
      message: '分组决定该业务员的门店在企业微信里收到哪段欢迎语 (设置 WeCom:Chat:WelcomeByGroup)；留空为默认欢迎语。',
      fields: [{ name: 'chatGroup', label: '分组名', value: agent.chatGroup || '', placeholder: '如 烟酒' }] });
    if (!v) return;
    try {
      const r = await api.put(`/api/admin/agents/${agent.id}/chat-group`, { chatGroup: v.chatGroup || null });
      toast(`${agent.name} 的聊天分组：${r.chatGroup || '默认'}；欢迎语「${r.welcomeText}」`);
      go(`agents/${agent.id}`);
    } catch (e) { toast(e.message, 'error'); }
  }

  async function handOver() {
    const v = await dialog({ title: `离职转移：${agent.name}`, okText: '确认转移', danger: true,
      message: `将 ${agent.name} 的全部 ${customers.length} 家客户 (及企业微信客户联系人) 一次转给另一位业务员。`,
      fields: [{ name: 'toAgentId', label: '接手的业务员', type: 'select', options: agentOptions() }] });
    if (!v) return;
    const key = newIdempotencyKey();
    try {
      const r = await api.post(`/api/admin/agents/${agent.id}/hand-over`, { toAgentId: Number(v.toAgentId) }, { 'Idempotency-Key': key });
      const contacts = Array.isArray(r?.contacts) ? r.contacts : [];
      clear(resultBox, h('div.notice.ok#handover-done',
        h('strong', `转移完成：${r?.fromAgentName ?? agent.name} → ${r?.toAgentName ?? others.find(a => a.id === Number(v.toAgentId))?.name}`),
        h('dl.kv',
          h('dt', '转移客户'), h('dd', `${r?.customersMoved ?? '—'} 家`),
          h('dt', '代客购物车'), h('dd', `${r?.cartLinesMoved ?? 0} 行`),
          h('dt', '企业微信客户联系人'), h('dd', `${contacts.length} 个`),
          h('dt', '时间'), h('dd', dateTime(r?.createdAt))),
        contacts.length ? h('details', h('summary', '联系人转接状态'), table([
          { label: '客户', render: x => x.customerName },
          { label: '状态', render: x => badge(x.status) },
          { label: '尝试', num: true, render: x => x.attempts },
          { wrap: true, label: '错误', render: x => x.lastError || '—' },
        ], contacts)) : null,
        h('p', h('a', { href: `#/agents/${Number(v.toAgentId)}` }, '查看接手业务员的客户 →'))));
      clear(storeTable, h('p.muted', '该业务员的客户已全部转出，账号已停用。'));
      right.querySelector('#hand-over')?.setAttribute('disabled', '');
      toast('离职转移完成');
    } catch (e) {
      if (e.status === 404 && !e.problem?.messageZh) clear(resultBox, h('div.notice', '离职转移服务未启用，请逐个转移客户。'));
      else clear(resultBox, problemBox(e));
    }
  }
}

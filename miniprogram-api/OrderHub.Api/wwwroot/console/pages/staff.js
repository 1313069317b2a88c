// 员工 (admin): staff members with role and lock state; create one; set a password (also lifts a lock).
import { api } from '../api.js';
import { h, clear, dateTime, dialog, badge, loading, problemBox, table, attempt } from '../ui.js';
import { ROLE_LABELS } from '../perms.js';

export async function render(main) {
  const list = h('div');
  clear(main, h('div.page-head', h('h1', '员工'), h('button.btn.primary', { type: 'button', on: { click: create } }, '新增员工')), list);
  async function load() {
    clear(list, loading());
    try {
      const rows = await api.get('/api/admin/staff');
      clear(list, table([
        { label: '登录名', render: s => h('span.mono', s.login) },
        { label: '姓名', key: 'name' },
        { label: '角色', render: s => badge(s.roleLabel) },
        { label: '状态', render: s => !s.active ? badge('停用', 'muted') : s.lockedUntil ? badge(`锁定至 ${dateTime(s.lockedUntil)}`, 'bad') : s.hasPassword ? badge('正常', 'good') : badge('未设密码', 'warn') },
        { label: '连续失败', num: true, key: 'failedLogins' },
        { label: '创建时间', render: s => dateTime(s.createdAt) },
        { label: '', render: s => h('button.btn.small', { type: 'button', on: { click: () => setPassword(s) } }, '设置密码') },
      ], rows));
    } catch (e) { clear(list, problemBox(e)); }
  }
  async function create() {
    const v = await dialog({ title: '新增员工', okText: '创建', fields: [
      { name: 'login', label: '登录名', required: true },
      { name: 'name', label: '姓名', required: true },
      { name: 'role', label: '角色', type: 'select', options: Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label })) },
      { name: 'password', label: '初始密码 (至少 8 位)', type: 'password', required: true },
    ] });
    if (v && await attempt(() => api.post('/api/admin/staff', v), `已创建员工 ${v.name}`)) load();
  }
  async function setPassword(s) {
    const v = await dialog({ title: `设置密码：${s.name}`, okText: '保存', fields: [{ name: 'password', label: '新密码 (至少 8 位)', type: 'password', required: true }] });
    if (v && await attempt(() => api.put(`/api/admin/staff/${s.id}/password`, { password: v.password }), '密码已更新，锁定已解除')) load();
  }
  await load();
}

// What each staff role may do. The server enforces the same rules (403); the console only hides what would be refused.

export const ROLE_LABELS = { clerk: '内勤', finance: '财务', warehouse: '仓库', admin: '管理员' };

const any = () => true;
const is = (...roles) => role => roles.includes(role);

export const can = {
  approveSales: is('clerk', 'admin'),
  approveFinance: is('finance', 'admin'),
  warehouse: is('warehouse', 'admin'),
  reject: (role, status) => role === 'admin' || (role === 'clerk' && status === 'pending_sales_review') || (role === 'finance' && status === 'pending_finance_review'),
  cancel: (role, status) => ['clerk', 'admin'].includes(role) && ['pending_owner_approval', 'pending_payment', 'pending_sales_review', 'pending_finance_review', 'pending_outbound'].includes(status),
  payments: is('finance', 'admin'),
  catalogWrite: is('admin'),
  reassign: is('admin'),
  syncRun: is('admin'),
  staff: is('admin'),
};

/** Returns (退货): who takes which step (the server checks again). */
export const canReturn = {
  review: is('clerk', 'admin'),
  receive: is('warehouse', 'admin'),
  refund: is('finance', 'admin'),
};

/** The main action of an order in a status, if this role may take it: what the "a" key and the primary button do. */
export function primaryAction(role, status) {
  switch (status) {
    case 'pending_sales_review': return can.approveSales(role) ? { action: 'approve-sales', label: '业务审核通过' } : null;
    case 'pending_finance_review': return can.approveFinance(role) ? { action: 'approve-finance', label: '财务审核通过' } : null;
    case 'pending_outbound': return can.warehouse(role) ? { action: 'outbound', label: '出库' } : null;
    case 'pending_shipment': return can.warehouse(role) ? { action: 'ship', label: '发货' } : null;
    default: return null;
  }
}

export const MENU = [
  { path: 'dashboard', label: '看板', roles: any },
  { path: 'orders', label: '订单', roles: any },
  { path: 'returns', label: '退货', roles: any },
  { path: 'customers', label: '客户', roles: is('clerk', 'finance', 'admin') },
  { path: 'reports', label: '报表', roles: is('clerk', 'finance', 'admin') },
  { path: 'agents', label: '业务员', roles: is('clerk', 'admin') },
  { path: 'community', label: '经销商社区', roles: is('clerk', 'admin') },
  { path: 'catalog', label: '商品', roles: any },
  { path: 'sync', label: 'ERP 同步', roles: is('clerk', 'finance', 'admin') },
  { path: 'golive', label: '上线检查', roles: is('clerk', 'admin') },
  { path: 'staff', label: '员工', roles: is('admin') },
];

/** Where a role starts: its own queue. */
export function homeOf(role) {
  return { clerk: 'orders?status=pending_sales_review', finance: 'orders?status=pending_finance_review', warehouse: 'orders?status=pending_outbound' }[role] || 'dashboard';
}

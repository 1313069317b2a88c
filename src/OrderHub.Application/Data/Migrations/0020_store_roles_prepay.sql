-- Steps before 业务审核 (issues #16, #17): a store owner's approval of a clerk's large order, and pay before review.
-- customer_users.role (owner | clerk) exists since 0001; its one definition is OrderHub.Domain.People.StoreUserRole.

-- A clerk's order strictly above this total waits for the owner (待店主审核); NULL or 0 = off.
ALTER TABLE customers ADD COLUMN owner_approval_above_fen BIGINT NULL;

-- The order pays before review (decided at submit from Payments:Mode, its group override and the store's choice),
-- and when an unpaid one (待付款) is cancelled by the scheduled expiry.
ALTER TABLE orders ADD COLUMN pay_first BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE orders ADD COLUMN payment_due_at BIGINT NULL;
CREATE INDEX ix_orders_payment_due ON orders (status, payment_due_at);

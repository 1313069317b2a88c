-- Refunds reach the ERP (收款退款单, issue #16): a WeChat Pay refund that succeeded is pushed once through the outbox
-- (erp.push_refund) or listed for a person to post; like payments, it remembers when and as what the ERP got it, and
-- the ERP's payments feed bringing it back (a negative payment) is matched on out_refund_no, refund_id or erp_reference.
ALTER TABLE payment_refunds ADD COLUMN erp_posted_at BIGINT NULL;
ALTER TABLE payment_refunds ADD COLUMN erp_posted_by TEXT NULL;
ALTER TABLE payment_refunds ADD COLUMN erp_reference TEXT NULL;
CREATE INDEX ix_payment_refunds_erp_reference ON payment_refunds (erp_reference);
CREATE INDEX ix_payment_refunds_refund_id ON payment_refunds (refund_id);

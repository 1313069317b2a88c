-- Payments reach the ERP as receipts (收款单, issue #16): money OrderHub took itself carries one receipt number, which
-- the pushed ERP document (or a person posting it by hand) carries and the ERP's payments feed is matched on.
-- WeChat Pay: the out_trade_no; a bank transfer booked as a top-up: TR + its id. Balance payments move no money: none.
ALTER TABLE payments ADD COLUMN receipt_no TEXT NULL;
UPDATE payments SET receipt_no = out_trade_no WHERE method = 'wechat' AND out_trade_no IS NOT NULL;
UPDATE payments SET receipt_no = 'TR' || CAST(id AS TEXT) WHERE method = 'transfer';
CREATE UNIQUE INDEX ux_payments_receipt_no ON payments (receipt_no);
CREATE INDEX ix_payments_erp_reference ON payments (erp_reference);

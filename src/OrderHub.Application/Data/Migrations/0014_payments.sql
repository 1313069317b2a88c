-- Money (issue #16): WeChat Pay (JSAPI) payments of orders and top-ups, refunds, and the prepaid balance (预存款).
-- Every yuan that arrives is booked once in ledger_entries (external_ref 'wxpay:<transaction_id>' or 'topup:<payment id>',
-- unique); a refund goes back where the money came from ('wxrefund:<out_refund_no>' in the ledger, or a prepaid movement).

-- One attempt to take money: an order paid by WeChat Pay or from the balance, or a top-up by WeChat Pay or a transfer.
CREATE TABLE payments (
    id {id},
    purpose TEXT NOT NULL,                 -- order | top_up
    method TEXT NOT NULL,                  -- wechat | balance | transfer
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    order_id BIGINT NULL REFERENCES orders(id),
    amount_fen BIGINT NOT NULL,
    refunded_fen BIGINT NOT NULL DEFAULT 0, -- asked for (processing) or done
    status TEXT NOT NULL,                  -- pending | paid | closed | failed
    out_trade_no TEXT NULL UNIQUE,         -- WeChat Pay 商户订单号
    transaction_id TEXT NULL UNIQUE,       -- WeChat Pay 微信支付订单号, set when paid
    prepay_id TEXT NULL,
    payer_openid TEXT NULL,
    reference TEXT NULL,                   -- a transfer's bank reference
    expires_at BIGINT NULL,                -- WeChat Pay's time_expire
    paid_at BIGINT NULL,
    last_checked_at BIGINT NULL,           -- last query of WeChat Pay
    erp_posted_at BIGINT NULL,             -- posted in the ERP by a person, or matched when the ERP's payments feed brought it back
    erp_posted_by TEXT NULL,
    erp_reference TEXT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_payments_order ON payments (order_id);
CREATE INDEX ix_payments_customer ON payments (customer_id, created_at);
CREATE INDEX ix_payments_status ON payments (status, created_at);

CREATE TABLE payment_refunds (
    id {id},
    payment_id BIGINT NOT NULL REFERENCES payments(id),
    out_refund_no TEXT NOT NULL UNIQUE,
    refund_id TEXT NULL,                   -- WeChat Pay's
    amount_fen BIGINT NOT NULL,
    status TEXT NOT NULL,                  -- processing | succeeded | failed
    reason TEXT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_payment_refunds_status ON payment_refunds (status, created_at);

-- The prepaid balance: its value is the sum of its movements (top_up > 0, order_payment < 0, refund > 0).
CREATE TABLE prepaid_movements (
    id {id},
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,                    -- top_up | order_payment | refund
    amount_fen BIGINT NOT NULL,
    payment_id BIGINT NULL REFERENCES payments(id),
    order_id BIGINT NULL REFERENCES orders(id),
    reference TEXT NOT NULL UNIQUE,        -- what booked it, so nothing is booked twice
    note TEXT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_prepaid_customer ON prepaid_movements (customer_id, created_at, id);

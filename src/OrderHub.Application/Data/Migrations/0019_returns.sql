-- Returns and after-sales (退货 / 退款, issue #16): a store or its agent asks to return lines of a shipped order; the
-- request goes 待审核 → 待收货 → 待退款 → 已完成 (or 已驳回 / 已取消). Receiving puts stock back; the finance step credits
-- the ledger (kind 'return', external_ref 'return:<id>', unique, so once) and refunds what was paid online.

-- status: pending_review | pending_receipt | pending_refund | completed | rejected | cancelled
CREATE TABLE return_requests (
    id {id},
    return_no TEXT NOT NULL UNIQUE,        -- RT + yyyyMMdd + sequence, shown to people
    order_id BIGINT NOT NULL REFERENCES orders(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    photo_ids TEXT NOT NULL DEFAULT '[]',  -- media ids (JSON array), uploaded by the requester
    requested_by_kind TEXT NOT NULL,       -- customer_user | agent
    requested_by_id BIGINT NOT NULL,
    requested_fen BIGINT NOT NULL,         -- the asked quantities valued by the rule in ReturnValuation
    credit_fen BIGINT NULL,                -- the received quantities valued the same way: the ledger credit
    refund_fen BIGINT NULL,                -- of the credit, what went back as money (WeChat Pay or the balance)
    reject_reason TEXT NULL,
    cancel_reason TEXT NULL,
    erp_queued BOOLEAN NOT NULL DEFAULT FALSE,
    erp_return_id TEXT NULL,
    erp_status TEXT NULL,                  -- what the ERP said last (e.g. received)
    version INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    received_at BIGINT NULL,
    completed_at BIGINT NULL
);
CREATE INDEX ix_return_requests_order ON return_requests (order_id);
CREATE INDEX ix_return_requests_customer ON return_requests (customer_id, created_at);
CREATE INDEX ix_return_requests_status ON return_requests (status, created_at);

CREATE TABLE return_lines (
    id {id},
    return_id BIGINT NOT NULL REFERENCES return_requests(id),
    order_line_id BIGINT NOT NULL REFERENCES order_lines(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    quantity BIGINT NOT NULL,              -- asked for
    received_quantity BIGINT NULL          -- counted by the warehouse (≤ quantity)
);
CREATE INDEX ix_return_lines_return ON return_lines (return_id);
CREATE INDEX ix_return_lines_order_line ON return_lines (order_line_id);

-- The timeline of a return, like order_events.
CREATE TABLE return_events (
    id {id},
    return_id BIGINT NOT NULL REFERENCES return_requests(id),
    at BIGINT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id BIGINT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT NULL,
    to_status TEXT NULL,
    note TEXT NULL
);
CREATE INDEX ix_return_events_return ON return_events (return_id, id);

-- Which refunds (payment_refunds) a return started, so each is started once and can be followed.
CREATE TABLE return_refunds (
    return_id BIGINT NOT NULL REFERENCES return_requests(id),
    refund_id BIGINT NOT NULL REFERENCES payment_refunds(id),
    PRIMARY KEY (return_id, refund_id)
);

-- Issue #16, the warehouse's paper and invoice titles.
-- stock.location: the bin (库位) a product sits in at a warehouse, where known (set by hand or by an adapter that has it);
-- the pick list sorts and sums by it, and by product alone where it is empty.
ALTER TABLE stock ADD COLUMN location TEXT NULL;

-- 发票抬头: a store's invoice titles. kind: normal (普票) | special (专票; needs bank, account, address and phone).
CREATE TABLE invoice_titles (
    id {id},
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    tax_no TEXT NULL,
    bank_name TEXT NULL,
    bank_account TEXT NULL,
    address TEXT NULL,
    phone TEXT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_invoice_titles_customer ON invoice_titles (customer_id);

-- The invoice title an order was placed with, copied as it was (a later edit of the title does not change the order).
ALTER TABLE orders ADD COLUMN invoice_title_id BIGINT NULL REFERENCES invoice_titles(id);
ALTER TABLE orders ADD COLUMN invoice_kind TEXT NULL;
ALTER TABLE orders ADD COLUMN invoice_title TEXT NULL;
ALTER TABLE orders ADD COLUMN invoice_tax_no TEXT NULL;
ALTER TABLE orders ADD COLUMN invoice_bank_name TEXT NULL;
ALTER TABLE orders ADD COLUMN invoice_bank_account TEXT NULL;
ALTER TABLE orders ADD COLUMN invoice_address TEXT NULL;
ALTER TABLE orders ADD COLUMN invoice_phone TEXT NULL;

-- Batch approve / ship in the console (批量审核, 批量发货): one request, each order through the order flow on its own, a
-- result per order. The request's Idempotency-Key (idempotency_keys, scope order-batch:<staff id>) names the batch; a
-- retry answers the stored results, and an interrupted batch resumes with the orders it had not reached.
CREATE TABLE order_batches (
    id {id},
    staff_id BIGINT NOT NULL,
    action TEXT NOT NULL,                  -- approve-sales | approve-finance | outbound | ship
    order_count INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT NULL
);

CREATE TABLE order_batch_items (
    batch_id BIGINT NOT NULL REFERENCES order_batches(id),
    seq INTEGER NOT NULL,                  -- the order's place in the request
    order_id BIGINT NOT NULL,
    order_no TEXT NULL,
    ok BOOLEAN NULL,                       -- null: not reached yet
    status TEXT NULL,                      -- the order's status afterwards (or as found, when refused)
    message TEXT NULL,                     -- why it was refused, 中文 / English
    done_at BIGINT NULL,
    PRIMARY KEY (batch_id, seq)
);

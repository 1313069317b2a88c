-- Ordering: delivery addresses, carts, orders with lines and timeline, idempotency keys, notifications,
-- the customer ledger (往来账) and the outbox that carries orders to the ERP.

CREATE TABLE customer_addresses (
    id {id},
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    label TEXT NULL,
    contact_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_customer_addresses_customer ON customer_addresses (customer_id);

-- One cart per owner and store: a customer user's own cart (owner_kind 'user'), or an agent's proxy cart ('agent').
CREATE TABLE cart_items (
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    quantity BIGINT NOT NULL,
    share_agent_id BIGINT NULL REFERENCES agents(id),  -- the agent whose share link brought this item, if any
    added_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (owner_kind, owner_id, customer_id, product_id)
);

-- status: pending_sales_review | pending_finance_review | pending_outbound | pending_shipment | shipped | received | rejected | cancelled
CREATE TABLE orders (
    id {id},
    order_no TEXT NOT NULL UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    channel TEXT NOT NULL,                 -- self (自助订货) | proxy (代订货)
    placed_by_kind TEXT NOT NULL,          -- customer_user | agent
    placed_by_id BIGINT NOT NULL,
    agent_id BIGINT NULL REFERENCES agents(id), -- the agent the order is attributed to
    attribution TEXT NULL,                 -- proxy | owner | share_link
    status TEXT NOT NULL,
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
    address_id BIGINT NULL REFERENCES customer_addresses(id),
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    delivery_address TEXT NOT NULL,
    note TEXT NULL,
    goods_fen BIGINT NOT NULL,             -- sum of line amounts
    discount_fen BIGINT NOT NULL DEFAULT 0, -- order-level promotion (满减)
    total_fen BIGINT NOT NULL,             -- goods - discount: what the customer owes for this order
    discount_promotion_id BIGINT NULL REFERENCES promotions(id),
    credit_exceeded BOOLEAN NOT NULL DEFAULT FALSE,
    finance_override BOOLEAN NOT NULL DEFAULT FALSE,
    reject_reason TEXT NULL,
    cancel_reason TEXT NULL,
    erp_queued BOOLEAN NOT NULL DEFAULT FALSE,
    erp_order_id TEXT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    shipped_at BIGINT NULL,
    received_at BIGINT NULL
);
CREATE INDEX ix_orders_customer ON orders (customer_id, created_at);
CREATE INDEX ix_orders_status ON orders (status, created_at);
CREATE INDEX ix_orders_agent ON orders (agent_id, created_at);

CREATE TABLE order_lines (
    id {id},
    order_id BIGINT NOT NULL REFERENCES orders(id),
    line_no INTEGER NOT NULL,
    product_id BIGINT NOT NULL REFERENCES products(id),
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    spec TEXT NULL,
    unit TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit_price_fen BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL,
    price_source TEXT NOT NULL,
    price_reason TEXT NOT NULL,
    promotion_id BIGINT NULL REFERENCES promotions(id),
    is_gift BOOLEAN NOT NULL DEFAULT FALSE  -- free goods of a 买赠 promotion
);
CREATE INDEX ix_order_lines_order ON order_lines (order_id);
CREATE INDEX ix_order_lines_product ON order_lines (product_id);

-- The timeline: who did what, when.
CREATE TABLE order_events (
    id {id},
    order_id BIGINT NOT NULL REFERENCES orders(id),
    at BIGINT NOT NULL,
    actor_kind TEXT NOT NULL,              -- customer_user | agent | staff | erp | system
    actor_id BIGINT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT NULL,
    to_status TEXT NULL,
    note TEXT NULL
);
CREATE INDEX ix_order_events_order ON order_events (order_id, id);

-- A retried write with the same key returns the first result.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    resource_id BIGINT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);

-- Messages for a store's users (proxy order placed, approved, rejected, shipped…). WeChat delivery reads this.
CREATE TABLE notifications (
    id {id},
    customer_user_id BIGINT NOT NULL REFERENCES customer_users(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    order_id BIGINT NULL REFERENCES orders(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT NULL
);
CREATE INDEX ix_notifications_user ON notifications (customer_user_id, id);

-- One ledger per customer. amount_fen > 0 increases what the customer owes (shipped order), < 0 decreases it
-- (payment, return, credit). The balance is always the sum.
CREATE TABLE ledger_entries (
    id {id},
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,                    -- opening | order | payment | return | credit | adjustment
    amount_fen BIGINT NOT NULL,
    occurred_at BIGINT NOT NULL,
    order_id BIGINT NULL REFERENCES orders(id),
    reference TEXT NULL,                   -- order number, payment reference, ERP document number
    external_ref TEXT NULL UNIQUE,         -- set when the entry came from the ERP, so a re-sync never books it twice
    note TEXT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_ledger_customer ON ledger_entries (customer_id, occurred_at, id);

-- Transactional outbox: written in the same transaction as the business change, sent by a job with retries.
CREATE TABLE outbox (
    id {id},
    topic TEXT NOT NULL,                   -- e.g. erp.push_order
    aggregate_id BIGINT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', -- pending | sent | failed (parked: needs a person)
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT NULL,
    UNIQUE (topic, aggregate_id)
);
CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at);

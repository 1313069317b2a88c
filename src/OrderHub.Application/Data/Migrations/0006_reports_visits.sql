-- Customer insight and reports: the agents' visit and call log (巡店 / 回访), and the indexes the reports read through.
-- Reports bucket days by integer arithmetic on the UTC ms (+8 h), never with a database's date functions.

-- An agent's store visit (kind store_visit, optionally with a location) or follow-up call (kind call).
CREATE TABLE visits (
    id {id},
    agent_id BIGINT NOT NULL REFERENCES agents(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    kind TEXT NOT NULL,                   -- store_visit | call
    at BIGINT NOT NULL,                   -- when it happened (UTC ms)
    latitude DOUBLE PRECISION NULL,
    longitude DOUBLE PRECISION NULL,
    note TEXT NULL,
    photo_urls TEXT NOT NULL DEFAULT '[]', -- JSON array of http(s) URLs
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_visits_customer ON visits (customer_id, at);
CREATE INDEX ix_visits_agent ON visits (agent_id, at);
CREATE INDEX ix_visits_at ON visits (at, agent_id, kind);

-- Sales by period: orders of a date range with what the reports need, read from the index alone.
CREATE INDEX ix_orders_created ON orders (created_at, status, customer_id, total_fen, agent_id);
-- "First self-order ever" of a customer: one seek per customer.
CREATE INDEX ix_orders_customer_channel ON orders (customer_id, channel, created_at, status);
-- Lines of an order with product and amounts (category, brand, top products), read from the index alone.
CREATE INDEX ix_order_lines_order_cover ON order_lines (order_id, is_gift, product_id, amount_fen, quantity);
-- Receivables ageing (one aggregate over every ledger) and returns of a period.
CREATE INDEX ix_ledger_customer_amount ON ledger_entries (customer_id, occurred_at, amount_fen);
CREATE INDEX ix_ledger_kind ON ledger_entries (kind, occurred_at, customer_id, amount_fen);
-- Sales filtered by region.
CREATE INDEX ix_customers_region ON customers (region);

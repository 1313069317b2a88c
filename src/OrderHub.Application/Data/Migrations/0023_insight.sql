-- Insight for growth (issue #18): unit costs from the ERP and the cost of each line as shipped (gross profit), restock
-- reminders and what the store did with them, and each store's lifecycle stage with its changes.

-- The ERP's unit cost (成本价), fen per base unit; null = the ERP gives none.
ALTER TABLE products ADD COLUMN cost_fen BIGINT NULL;
-- The product's unit cost when the line shipped (copied at 发货, so later cost changes do not rewrite history).
ALTER TABLE order_lines ADD COLUMN unit_cost_fen BIGINT NULL;

-- One reminder of one product to one store (补货提醒). Its outcome (ordered / ignored) is read from the store's orders.
CREATE TABLE restock_reminders (
    id {id},
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    reminded_day BIGINT NOT NULL,          -- Shanghai day number (ReportCalendar)
    usual_interval_days DOUBLE PRECISION NOT NULL,
    usual_quantity BIGINT NOT NULL,
    days_since_last BIGINT NOT NULL,
    pushed BOOLEAN NOT NULL DEFAULT FALSE, -- sent as a subscribe message (within the notification caps)
    created_at BIGINT NOT NULL,
    UNIQUE (customer_id, product_id, reminded_day)
);
CREATE INDEX ix_restock_reminders_customer ON restock_reminders (customer_id, product_id, reminded_day);

-- Each store's current lifecycle stage (客户生命周期) and its history of changes.
CREATE TABLE customer_lifecycle (
    customer_id BIGINT NOT NULL PRIMARY KEY REFERENCES customers(id),
    stage TEXT NOT NULL,
    since_day BIGINT NOT NULL,             -- Shanghai day number the store entered the stage
    reason TEXT NOT NULL,
    computed_at BIGINT NOT NULL
);
CREATE TABLE customer_lifecycle_changes (
    id {id},
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    from_stage TEXT NULL,
    to_stage TEXT NOT NULL,
    day BIGINT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_customer_lifecycle_changes ON customer_lifecycle_changes (customer_id, day);
CREATE INDEX ix_customer_lifecycle_changes_day ON customer_lifecycle_changes (day);

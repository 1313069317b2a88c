-- Chains (连锁, issue #17): a branch store names its head office. A head office's users order for any branch, see the
-- branches' orders and get one statement; prices and credit follow Chains:PriceFrom / Chains:CreditAt. Set by the
-- customers feed where the ERP has the relation, otherwise by the back office (PUT /api/admin/customers/{id}/head-office).
ALTER TABLE customers ADD COLUMN parent_customer_id BIGINT NULL REFERENCES customers(id);
CREATE INDEX ix_customers_parent ON customers (parent_customer_id);
-- The ERP's code of the head office as the feed last brought it; resolved to parent_customer_id once both are known.
ALTER TABLE customers ADD COLUMN parent_erp_code TEXT NULL;

-- Order templates (常用单): a store's named cart, applied to the cart at today's prices.
CREATE TABLE order_templates (
    id {id},
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    name TEXT NOT NULL,
    created_by_kind TEXT NOT NULL,
    created_by_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (customer_id, name)
);

CREATE TABLE order_template_lines (
    template_id BIGINT NOT NULL REFERENCES order_templates(id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    product_id BIGINT NOT NULL REFERENCES products(id),
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit_price_fen BIGINT NOT NULL,        -- the price when saved, to report changes when applied
    PRIMARY KEY (template_id, line_no)
);

-- A recurring order (定期订货) on a template: on weekdays (bit 0 = Monday … bit 6 = Sunday) or every N days from a start
-- day, Asia/Shanghai. mode draft: the lines go into the owner's cart and the owner is told to confirm; submit: the order is
-- placed through OrderPlacement with an idempotency key of the occurrence.
CREATE TABLE order_template_schedules (
    id {id},
    template_id BIGINT NOT NULL REFERENCES order_templates(id) ON DELETE CASCADE,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    owner_user_id BIGINT NOT NULL,         -- the store user whose cart and order it is
    weekdays INTEGER NULL,
    every_days INTEGER NULL,
    start_day TEXT NOT NULL,               -- yyyy-MM-dd, Shanghai
    mode TEXT NOT NULL,                    -- draft | submit
    address_id BIGINT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_template_schedules_active ON order_template_schedules (active);

-- One row per schedule and Shanghai day: the unique key makes each occurrence happen once, whichever node runs the work.
CREATE TABLE order_template_occurrences (
    id {id},
    schedule_id BIGINT NOT NULL REFERENCES order_template_schedules(id) ON DELETE CASCADE,
    occurrence_day TEXT NOT NULL,          -- yyyy-MM-dd, Shanghai
    outcome TEXT NOT NULL,                 -- draft | submitted | failed
    order_id BIGINT NULL REFERENCES orders(id),
    message TEXT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (schedule_id, occurrence_day)
);

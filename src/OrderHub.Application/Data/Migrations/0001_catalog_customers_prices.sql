-- Foundation schema: warehouses, catalog, customers and people, assortment, prices, promotions, stock.
-- Runs on SQLite and PostgreSQL. Money: BIGINT fen. Times: BIGINT Unix milliseconds, UTC. {id} = auto-numbered key.

CREATE TABLE warehouses (
    id {id},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

-- Category tree. path = '/1/5/12/' (ids from the root), so a subtree is one prefix match.
CREATE TABLE categories (
    id {id},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id BIGINT NULL REFERENCES categories(id),
    path TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE products (
    id {id},
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    spec TEXT NULL,                       -- 规格, e.g. 550ml*24
    unit TEXT NOT NULL,                   -- base unit the customer orders in, e.g. 瓶, 箱
    pack_size INTEGER NOT NULL DEFAULT 1, -- 箱规: quantities must be multiples of this
    min_order_qty INTEGER NOT NULL DEFAULT 1, -- 起订量, in base units
    barcode TEXT NULL,
    brand TEXT NULL,
    category_id BIGINT NULL REFERENCES categories(id),
    category_path TEXT NOT NULL DEFAULT '/',
    image_urls TEXT NOT NULL DEFAULT '[]', -- JSON array of URLs
    description TEXT NULL,
    base_price_fen BIGINT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    search_text TEXT NOT NULL DEFAULT '',  -- lower-case name, sku, barcode, brand and pinyin initials
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_products_category_path ON products (category_path, sku);
CREATE INDEX ix_products_brand ON products (brand, sku);
CREATE INDEX ix_products_barcode ON products (barcode);

CREATE TABLE customer_groups (
    id {id},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE agents (
    id {id},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone TEXT NULL,
    wecom_userid TEXT NULL,
    wechat_openid TEXT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE customers (
    id {id},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    contact_name TEXT NULL,
    phone TEXT NULL,
    address TEXT NULL,
    region TEXT NULL,
    group_id BIGINT NULL REFERENCES customer_groups(id),
    agent_id BIGINT NULL REFERENCES agents(id),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id), -- the warehouse that serves this store
    credit_limit_fen BIGINT NOT NULL DEFAULT 0,
    erp_receivable_fen BIGINT NOT NULL DEFAULT 0,           -- as last reported by the ERP
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_customers_agent ON customers (agent_id);
CREATE INDEX ix_customers_group ON customers (group_id);

-- People who log in for a store (owner, clerk). One store, several users.
CREATE TABLE customer_users (
    id {id},
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    name TEXT NOT NULL,
    phone TEXT NULL,
    role TEXT NOT NULL DEFAULT 'owner',   -- owner | clerk
    wechat_openid TEXT NULL UNIQUE,
    wechat_unionid TEXT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_customer_users_customer ON customer_users (customer_id);

-- Back-office staff.
CREATE TABLE staff (
    id {id},
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,                   -- clerk | finance | warehouse | admin
    password_hash TEXT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NULL,
    created_at BIGINT NOT NULL
);

-- Who may see and buy what. A rule targets a customer group or one customer, and a product or a category subtree.
-- Customer rules beat group rules; deny beats allow at the same level; a group with allow rules sees only what they allow.
CREATE TABLE assortment_rules (
    id {id},
    customer_group_id BIGINT NULL REFERENCES customer_groups(id),
    customer_id BIGINT NULL REFERENCES customers(id),
    product_id BIGINT NULL REFERENCES products(id),
    category_path TEXT NULL,              -- copied from categories.path when the rule targets a category
    effect TEXT NOT NULL,                 -- allow | deny
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_assortment_group ON assortment_rules (customer_group_id);
CREATE INDEX ix_assortment_customer ON assortment_rules (customer_id);

-- Price lists per customer group, with quantity tiers.
CREATE TABLE price_lists (
    id {id},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    customer_group_id BIGINT NULL REFERENCES customer_groups(id),
    active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE TABLE price_list_items (
    price_list_id BIGINT NOT NULL REFERENCES price_lists(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    min_qty BIGINT NOT NULL DEFAULT 1,
    price_fen BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (price_list_id, product_id, min_qty)
);
CREATE INDEX ix_price_list_items_product ON price_list_items (product_id);

-- Customer-specific prices: 'contract' (agreed in OrderHub) and 'erp_tracking' (the ERP's 客户跟踪价).
CREATE TABLE customer_prices (
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    source TEXT NOT NULL,
    min_qty BIGINT NOT NULL DEFAULT 1,
    price_fen BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, product_id, source, min_qty)
);

-- The last price this customer actually paid for an item (from orders and the ERP).
CREATE TABLE customer_last_prices (
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    price_fen BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    paid_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, product_id)
);

-- Promotions: special_price (per item), buy_get (买N赠M), spend_save (满X减Y); a window [starts_at, ends_at).
CREATE TABLE promotions (
    id {id},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,                   -- special_price | buy_get | spend_save
    target TEXT NOT NULL DEFAULT 'all',   -- all | group | customer
    target_group_id BIGINT NULL REFERENCES customer_groups(id),
    target_customer_id BIGINT NULL REFERENCES customers(id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    buy_qty BIGINT NULL,
    free_qty BIGINT NULL,
    threshold_fen BIGINT NULL,
    discount_fen BIGINT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    description TEXT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_promotions_window ON promotions (ends_at, starts_at);
-- Items a promotion covers (for special_price, with the price). A spend_save with no items covers everything.
CREATE TABLE promotion_items (
    promotion_id BIGINT NOT NULL REFERENCES promotions(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    special_price_fen BIGINT NULL,
    PRIMARY KEY (promotion_id, product_id)
);
CREATE INDEX ix_promotion_items_product ON promotion_items (product_id);

-- Stock per warehouse: on_hand from the ERP, reserved by open orders. available = on_hand - reserved.
CREATE TABLE stock (
    product_id BIGINT NOT NULL REFERENCES products(id),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
    on_hand BIGINT NOT NULL DEFAULT 0,
    reserved BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, warehouse_id)
);

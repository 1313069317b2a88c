-- Product content that the ERP does not own (issue #17): selling points and tags (JSON arrays of short texts), a sort
-- position for the store's "推荐" order (smaller first; NULL after every positioned product), 新品 / 热销 flags, and who
-- edited them when. The description column already exists and no ERP feed writes it. ProductApplier's upsert names only
-- the ERP's columns, so a sync never erases these.
ALTER TABLE products ADD COLUMN selling_points TEXT NOT NULL DEFAULT '[]';
ALTER TABLE products ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE products ADD COLUMN sort_order INTEGER NULL;
ALTER TABLE products ADD COLUMN is_new BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE products ADD COLUMN is_hot BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE products ADD COLUMN content_updated_at BIGINT NULL;
ALTER TABLE products ADD COLUMN content_updated_by TEXT NULL;

-- A store's favourites (收藏): one row per store and product.
CREATE TABLE customer_favourites (
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, product_id)
);

-- Units of measure (issue #17). A product's base unit stays products.unit (stock, reservations, pack size and MOQ are in
-- it); larger units are rows here: 箱 = 24 瓶, with the ERP's own price for one 箱 when it has one (NULL = base price × 24)
-- and the ERP's code for the unit (orders reach the ERP in it; NULL = pushed in base units). Conversion happens only in
-- OrderHub.Domain.Catalog.UnitConversion.
CREATE TABLE product_units (
    product_id BIGINT NOT NULL REFERENCES products(id),
    unit TEXT NOT NULL,
    factor INTEGER NOT NULL CHECK (factor > 1),
    price_fen BIGINT NULL,
    erp_code TEXT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, unit)
);

-- The unit a store chose for a cart line (NULL = the base unit). cart_items.quantity stays in base units.
ALTER TABLE cart_items ADD COLUMN unit TEXT NULL;

-- The unit a 买N赠M rule counts in (NULL = the product's base unit): gifts are whole units of it.
ALTER TABLE promotions ADD COLUMN unit TEXT NULL;

-- An order line as the store ordered it: quantity and price per the chosen unit. order_lines.quantity and unit stay in
-- base units (stock, pick lists, reports); unit_price_fen of a line in a larger unit is the per-base-unit price rounded
-- half-up, for reading only — amount_fen = order_quantity × order_unit_price_fen. NULL on lines written before units.
ALTER TABLE order_lines ADD COLUMN order_unit TEXT NULL;
ALTER TABLE order_lines ADD COLUMN unit_factor INTEGER NOT NULL DEFAULT 1;
ALTER TABLE order_lines ADD COLUMN order_quantity BIGINT NULL;
ALTER TABLE order_lines ADD COLUMN order_unit_price_fen BIGINT NULL;
ALTER TABLE order_lines ADD COLUMN unit_erp_code TEXT NULL;

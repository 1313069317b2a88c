-- Sales reports from maintained daily aggregates (issue #7: every report well under a second on a year of orders).
--
-- Days are Shanghai day numbers: {shanghai_day:column} is replaced by the migrator with ReportCalendar.DaySql(column),
-- the one home of that arithmetic ((ms + 28 800 000) / 86 400 000), so this script and the C# reports cannot disagree.
-- The aggregates hold exactly what the raw report queries compute (Reports/SalesReports.cs): orders that count as revenue
-- (status not rejected or cancelled) and, for lines, non-gift lines. They have no customer dimension: reports with a
-- customer filter (agent, group, region) keep reading the raw tables through their indexes.
--
-- Maintenance (Reports/ReportAggregates.cs): every change that can move a figure writes a mark into report_dirty_days in
-- the SAME transaction, by database triggers (one set per dialect below), so no writer can forget it: order placement,
-- status changes (review, cancel, reject, the ERP's status), line changes, a product's brand or category, a category moved.
-- The refresher recomputes each marked day wholesale under a lock and deletes exactly the marks it read.

-- The dirty-day log: always inserted, never updated, so a mark written while a refresh runs is never lost.
-- tx (PostgreSQL) is the writing transaction: one mark per day and transaction is enough, since the mark commits or
-- vanishes together with the rows it covers. SQLite writers are serialised, so there one unprocessed mark per day is enough.
CREATE TABLE report_dirty_days (
    id {id},
    day BIGINT NOT NULL,
    tx BIGINT NULL
);
CREATE INDEX ix_report_dirty_days_day ON report_dirty_days (day, tx);

-- Per day: orders that count as revenue and their totals (sales by day / week / month, and every report's totals).
CREATE TABLE report_daily_orders (
    day BIGINT NOT NULL PRIMARY KEY,
    orders BIGINT NOT NULL,
    total_fen BIGINT NOT NULL
);

-- Per day and product: quantity, amount and distinct orders of non-gift lines (top products).
CREATE TABLE report_daily_products (
    day BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL,
    orders BIGINT NOT NULL,
    PRIMARY KEY (day, product_id)
);

-- Per month (the day number of its 1st) and product: the sums of the daily rows of that month, kept in step with them by
-- the refresher, so top products over a year reads ~12 rows per product instead of ~365.
CREATE TABLE report_monthly_products (
    month BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL,
    orders BIGINT NOT NULL,
    PRIMARY KEY (month, product_id)
);

-- Per day and brand (NULL: no brand): amount and distinct orders, so an order with two products of one brand counts once.
CREATE TABLE report_daily_brands (
    day BIGINT NOT NULL,
    brand TEXT NULL,
    amount_fen BIGINT NOT NULL,
    orders BIGINT NOT NULL
);
CREATE INDEX ix_report_daily_brands ON report_daily_brands (day, brand, amount_fen, orders);

-- Per day and category node: subtree = TRUE for the category and everything below it (a row for every ancestor of a
-- product's category), subtree = FALSE for products directly in it (the "(本类)" bucket of a drill-down); category_id 0
-- with subtree = FALSE is the uncategorised bucket (category_path '/'). Distinct order counts stay exact at any level.
CREATE TABLE report_daily_categories (
    day BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    subtree BOOLEAN NOT NULL,
    amount_fen BIGINT NOT NULL,
    orders BIGINT NOT NULL,
    PRIMARY KEY (day, subtree, category_id)
);

-- ---- marks, SQLite: row triggers -------------------------------------------------------------------------------------
-- @sqlite
CREATE TRIGGER tr_report_orders_insert AFTER INSERT ON orders
BEGIN
    INSERT INTO report_dirty_days (day)
    SELECT {shanghai_day:NEW.created_at}
    WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = {shanghai_day:NEW.created_at});
END;

CREATE TRIGGER tr_report_orders_update AFTER UPDATE OF status, created_at, total_fen ON orders
WHEN OLD.status IS NOT NEW.status OR OLD.created_at <> NEW.created_at OR OLD.total_fen <> NEW.total_fen
BEGIN
    INSERT INTO report_dirty_days (day)
    SELECT d.day FROM (SELECT {shanghai_day:OLD.created_at} AS day UNION SELECT {shanghai_day:NEW.created_at}) d
    WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = d.day);
END;

CREATE TRIGGER tr_report_orders_delete AFTER DELETE ON orders
BEGIN
    INSERT INTO report_dirty_days (day)
    SELECT {shanghai_day:OLD.created_at}
    WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = {shanghai_day:OLD.created_at});
END;

CREATE TRIGGER tr_report_lines_insert AFTER INSERT ON order_lines
BEGIN
    INSERT INTO report_dirty_days (day)
    SELECT {shanghai_day:o.created_at} FROM orders o
    WHERE o.id = NEW.order_id
      AND NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = {shanghai_day:o.created_at});
END;

CREATE TRIGGER tr_report_lines_update AFTER UPDATE OF order_id, product_id, quantity, amount_fen, is_gift ON order_lines
BEGIN
    INSERT INTO report_dirty_days (day)
    SELECT DISTINCT {shanghai_day:o.created_at} FROM orders o
    WHERE o.id IN (OLD.order_id, NEW.order_id)
      AND NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = {shanghai_day:o.created_at});
END;

CREATE TRIGGER tr_report_lines_delete AFTER DELETE ON order_lines
BEGIN
    INSERT INTO report_dirty_days (day)
    SELECT {shanghai_day:o.created_at} FROM orders o
    WHERE o.id = OLD.order_id
      AND NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = {shanghai_day:o.created_at});
END;

-- A product's brand or category changed (catalog sync, catalog admin): every day it sold on.
CREATE TRIGGER tr_report_products_update AFTER UPDATE OF brand, category_path ON products
WHEN OLD.brand IS NOT NEW.brand OR OLD.category_path <> NEW.category_path
BEGIN
    INSERT INTO report_dirty_days (day)
    SELECT DISTINCT {shanghai_day:o.created_at} FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE l.product_id = NEW.id
      AND NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = {shanghai_day:o.created_at});
END;

-- A category moved in the tree (its path changed; '' is the placeholder of a category being created): every day a
-- product below its old or new path sold on, since the ancestor rows of those products change.
CREATE TRIGGER tr_report_categories_update AFTER UPDATE OF path ON categories
WHEN OLD.path <> NEW.path AND OLD.path <> ''
BEGIN
    INSERT INTO report_dirty_days (day)
    SELECT DISTINCT {shanghai_day:o.created_at}
    FROM products p JOIN order_lines l ON l.product_id = p.id JOIN orders o ON o.id = l.order_id
    WHERE (p.category_path LIKE OLD.path || '%' OR p.category_path LIKE NEW.path || '%')
      AND NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = {shanghai_day:o.created_at});
END;

-- ---- marks, PostgreSQL: statement triggers over transition tables for the order tables (a bulk COPY marks each day
-- once), row triggers for the rare product and category changes ------------------------------------------------------
-- @postgres
CREATE FUNCTION report_mark_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO report_dirty_days (day, tx)
        SELECT d.day, txid_current() FROM (SELECT DISTINCT {shanghai_day:n.created_at} AS day FROM new_rows n) d
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = d.day AND m.tx = txid_current());
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO report_dirty_days (day, tx)
        SELECT d.day, txid_current() FROM (
            SELECT {shanghai_day:n.created_at} AS day FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.status IS DISTINCT FROM o.status OR n.created_at <> o.created_at OR n.total_fen <> o.total_fen
            UNION
            SELECT {shanghai_day:o.created_at} FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.status IS DISTINCT FROM o.status OR n.created_at <> o.created_at OR n.total_fen <> o.total_fen) d
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = d.day AND m.tx = txid_current());
    ELSE
        INSERT INTO report_dirty_days (day, tx)
        SELECT d.day, txid_current() FROM (SELECT DISTINCT {shanghai_day:o.created_at} AS day FROM old_rows o) d
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = d.day AND m.tx = txid_current());
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_report_orders_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_mark_orders();
CREATE TRIGGER tr_report_orders_update AFTER UPDATE ON orders REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_mark_orders();
CREATE TRIGGER tr_report_orders_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_mark_orders();

CREATE FUNCTION report_mark_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO report_dirty_days (day, tx)
        SELECT d.day, txid_current() FROM (
            SELECT DISTINCT {shanghai_day:o.created_at} AS day
            FROM (SELECT DISTINCT order_id FROM new_rows) n JOIN orders o ON o.id = n.order_id) d
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = d.day AND m.tx = txid_current());
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO report_dirty_days (day, tx)
        SELECT d.day, txid_current() FROM (
            SELECT DISTINCT {shanghai_day:o.created_at} AS day
            FROM (SELECT n.order_id FROM new_rows n JOIN old_rows p ON p.id = n.id
                  WHERE n.order_id <> p.order_id OR n.product_id <> p.product_id OR n.quantity <> p.quantity
                     OR n.amount_fen <> p.amount_fen OR n.is_gift <> p.is_gift
                  UNION
                  SELECT p.order_id FROM new_rows n JOIN old_rows p ON p.id = n.id
                  WHERE n.order_id <> p.order_id OR n.product_id <> p.product_id OR n.quantity <> p.quantity
                     OR n.amount_fen <> p.amount_fen OR n.is_gift <> p.is_gift) x
            JOIN orders o ON o.id = x.order_id) d
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = d.day AND m.tx = txid_current());
    ELSE
        INSERT INTO report_dirty_days (day, tx)
        SELECT d.day, txid_current() FROM (
            SELECT DISTINCT {shanghai_day:o.created_at} AS day
            FROM (SELECT DISTINCT order_id FROM old_rows) p JOIN orders o ON o.id = p.order_id) d
        WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = d.day AND m.tx = txid_current());
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_report_lines_insert AFTER INSERT ON order_lines REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_mark_lines();
CREATE TRIGGER tr_report_lines_update AFTER UPDATE ON order_lines REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_mark_lines();
CREATE TRIGGER tr_report_lines_delete AFTER DELETE ON order_lines REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_mark_lines();

-- A product's brand or category changed (catalog sync, catalog admin): every day it sold on.
CREATE FUNCTION report_mark_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty_days (day, tx)
    SELECT d.day, txid_current() FROM (
        SELECT DISTINCT {shanghai_day:o.created_at} AS day
        FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.product_id = NEW.id) d
    WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = d.day AND m.tx = txid_current());
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_report_products_update AFTER UPDATE OF brand, category_path ON products FOR EACH ROW
    WHEN (OLD.brand IS DISTINCT FROM NEW.brand OR OLD.category_path IS DISTINCT FROM NEW.category_path)
    EXECUTE FUNCTION report_mark_product();

-- A category moved in the tree (its path changed; '' is the placeholder of a category being created): every day a
-- product below its old or new path sold on.
CREATE FUNCTION report_mark_category() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_dirty_days (day, tx)
    SELECT d.day, txid_current() FROM (
        SELECT DISTINCT {shanghai_day:o.created_at} AS day
        FROM products p JOIN order_lines l ON l.product_id = p.id JOIN orders o ON o.id = l.order_id
        WHERE p.category_path LIKE OLD.path || '%' OR p.category_path LIKE NEW.path || '%') d
    WHERE NOT EXISTS (SELECT 1 FROM report_dirty_days m WHERE m.day = d.day AND m.tx = txid_current());
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_report_categories_update AFTER UPDATE OF path ON categories FOR EACH ROW
    WHEN (OLD.path IS DISTINCT FROM NEW.path AND OLD.path <> '')
    EXECUTE FUNCTION report_mark_category();

-- @both
-- Backfill: every day that already has orders is computed by the first refresh (the job's, or the first report's).
INSERT INTO report_dirty_days (day) SELECT DISTINCT {shanghai_day:created_at} FROM orders;

namespace OrderHub.Erp.Demo;

/// <summary>
/// The demo ERP's tables. Every row that a pull reads carries <c>seq</c>: the value of the one change counter when the row
/// last changed. Pulls read <c>seq &gt; cursor</c>; SQLite has one writer at a time and the counter is bumped inside the
/// writing transaction, so a reader never sees seq N+1 before N is committed — unlike wall time, nothing is missed.
/// Times are unix milliseconds.
/// </summary>
internal static class DemoErpSchema
{
    public const string Sql = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS change_seq (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
        INSERT OR IGNORE INTO change_seq (id, value) VALUES (1, 0);
        CREATE TABLE IF NOT EXISTS warehouses (code TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS products (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, spec TEXT, unit TEXT NOT NULL, pack_size INTEGER NOT NULL,
            min_order_qty INTEGER NOT NULL, barcode TEXT, brand TEXT, category_path TEXT NOT NULL, base_price_fen INTEGER NOT NULL,
            active INTEGER NOT NULL, changed_at INTEGER NOT NULL, seq INTEGER NOT NULL, cost_fen INTEGER NULL);
        CREATE INDEX IF NOT EXISTS products_seq ON products (seq);
        CREATE TABLE IF NOT EXISTS stock (
            product_code TEXT NOT NULL, warehouse_code TEXT NOT NULL, on_hand INTEGER NOT NULL,
            changed_at INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (product_code, warehouse_code));
        CREATE INDEX IF NOT EXISTS stock_seq ON stock (seq);
        CREATE TABLE IF NOT EXISTS prices (
            product_code TEXT NOT NULL, scope TEXT NOT NULL, scope_code TEXT NOT NULL, min_qty INTEGER NOT NULL,
            price_fen INTEGER NOT NULL, is_tracking INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
            changed_at INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (product_code, scope, scope_code, min_qty));
        CREATE INDEX IF NOT EXISTS prices_seq ON prices (seq);
        CREATE TABLE IF NOT EXISTS customers (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, contact TEXT, phone TEXT, address TEXT, group_code TEXT, warehouse_code TEXT,
            credit_limit_fen INTEGER NOT NULL, receivable_fen INTEGER NOT NULL, active INTEGER NOT NULL,
            changed_at INTEGER NOT NULL, seq INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS customers_seq ON customers (seq);
        CREATE TABLE IF NOT EXISTS payments (
            reference TEXT PRIMARY KEY, customer_code TEXT NOT NULL, amount_fen INTEGER NOT NULL, paid_at INTEGER NOT NULL,
            note TEXT, seq INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS payments_seq ON payments (seq);
        CREATE TABLE IF NOT EXISTS orders (
            id INTEGER PRIMARY KEY, erp_id TEXT NOT NULL UNIQUE, order_number TEXT NOT NULL UNIQUE, customer_code TEXT NOT NULL,
            warehouse_code TEXT NOT NULL, total_fen INTEGER NOT NULL, delivery_address TEXT, note TEXT,
            state TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS order_lines (
            order_id INTEGER NOT NULL, line_no INTEGER NOT NULL, product_code TEXT NOT NULL, quantity INTEGER NOT NULL,
            unit_price_fen INTEGER NOT NULL, PRIMARY KEY (order_id, line_no));
        CREATE TABLE IF NOT EXISTS product_units (
            product_code TEXT NOT NULL, unit TEXT NOT NULL, factor INTEGER NOT NULL, price_fen INTEGER, erp_code TEXT,
            PRIMARY KEY (product_code, unit));
        CREATE TABLE IF NOT EXISTS order_line_units (
            order_id INTEGER NOT NULL, line_no INTEGER NOT NULL, unit TEXT NOT NULL, PRIMARY KEY (order_id, line_no));
        CREATE TABLE IF NOT EXISTS order_status (
            seq INTEGER PRIMARY KEY, order_number TEXT NOT NULL, erp_id TEXT NOT NULL, state TEXT NOT NULL,
            changed_at INTEGER NOT NULL, detail TEXT);
        CREATE TABLE IF NOT EXISTS receipts (
            receipt_number TEXT PRIMARY KEY, erp_id TEXT NOT NULL UNIQUE, customer_code TEXT NOT NULL, amount_fen INTEGER NOT NULL,
            method TEXT NOT NULL, purpose TEXT NOT NULL, order_number TEXT, created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS returns (
            return_number TEXT PRIMARY KEY, erp_id TEXT NOT NULL UNIQUE, order_number TEXT NOT NULL, customer_code TEXT NOT NULL,
            lines TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS refunds (
            refund_number TEXT PRIMARY KEY, erp_id TEXT NOT NULL UNIQUE, receipt_number TEXT NOT NULL, customer_code TEXT NOT NULL,
            amount_fen INTEGER NOT NULL, order_number TEXT, return_number TEXT, created_at INTEGER NOT NULL);
        """;
}

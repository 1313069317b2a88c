using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using OrderHub.Application.Data;

namespace OrderHub.Benchmarks;

/// <summary>What <see cref="DemoOrderHistory.LoadAsync"/> wrote.</summary>
public sealed record DemoOrderHistoryResult(int Orders, int Lines, int LedgerEntries, int Cancelled, int Rejected, int Returns, TimeSpan Elapsed);

/// <summary>
/// Opt-in: a year (or <c>days</c>) of order history for the stores and products already in the database — the benchmark's
/// large set gets ~430k orders and ~4.3M lines from it. Nothing else calls it, so the demo and the tests never pay for it.
/// <para>
/// Deterministic from the seed and the database's contents (read in id order). Realistic enough for the reports: each store
/// orders on a cadence of its own (every 3–14 days, with jitter) from a repertoire of 20–60 products drawn with a skew, so
/// the classic lines sell far more than their variants; 8–12 lines per order in pack multiples at its group's price level,
/// now and then a gift line and a 满500减30 discount; about 3 % cancelled and 2 % rejected; orders of the last three days
/// still in the flow. The ledger gets a debit per shipped order, a payment about monthly (slow payers pay part), and a
/// return for about 2 % of orders. Shipped lines carry the product's unit cost (gross profit). No timeline events or stock
/// moves: the reports do not read them.
/// </para>
/// Loaded in bulk with explicit ids: SQLite through one prepared statement per table, committed in slices of whole orders,
/// PostgreSQL through binary COPY. Triggers stay on, so the report aggregates see the history as dirty days like any other change.
/// </summary>
public static class DemoOrderHistory
{
    private sealed class Store
    {
        public long Id { get; init; }
        public long? GroupId { get; init; }
        public string? GroupCode { get; init; }
        public long? AgentId { get; init; }
        public long WarehouseId { get; init; }
        public string Contact { get; init; } = "";
        public string Phone { get; init; } = "";
        public string Address { get; init; } = "";
    }

    private sealed class Item
    {
        public long Id { get; init; }
        public string Sku { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Spec { get; init; }
        public string Unit { get; init; } = "";
        public int Pack { get; init; }
        public long BaseFen { get; init; }
        public string CategoryPath { get; init; } = "";
        public long? CostFen { get; init; }
    }
    private readonly record struct Header(long At, int Store);

    public static async Task<DemoOrderHistoryResult> LoadAsync(Db db, int seed, DateTimeOffset now, int days = 365, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        var rnd = new Random(seed);
        var nowMs = now.ToUnixTimeMilliseconds();
        const long DayMs = 86_400_000;
        var startMs = nowMs - days * DayMs;

        await using var c = await db.OpenAsync(ct);
        var stores = (await c.QueryAsync<Store>("""
            SELECT c.id AS Id, c.group_id AS GroupId, g.code AS GroupCode, c.agent_id AS AgentId, c.warehouse_id AS WarehouseId,
                   COALESCE(c.contact_name, c.name) AS Contact, COALESCE(c.phone, '') AS Phone, COALESCE(c.address, '') AS Address
            FROM customers c LEFT JOIN customer_groups g ON g.id = c.group_id WHERE c.active = TRUE ORDER BY c.id
            """)).ToList();
        var items = (await c.QueryAsync<Item>("""
            SELECT id AS Id, sku AS Sku, name AS Name, spec AS Spec, unit AS Unit, pack_size AS Pack, base_price_fen AS BaseFen, category_path AS CategoryPath,
                   cost_fen AS CostFen
            FROM products WHERE active = TRUE ORDER BY id
            """)).ToList();
        var denied = (await c.QueryAsync<(long GroupId, string Path)>(
            "SELECT customer_group_id, category_path FROM assortment_rules WHERE effect = 'deny' AND customer_group_id IS NOT NULL AND category_path IS NOT NULL")).ToList();
        if (stores.Count == 0 || items.Count == 0) return new DemoOrderHistoryResult(0, 0, 0, 0, 0, 0, sw.Elapsed);
        var nextOrderId = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) + 1 FROM orders");
        var nextLineId = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) + 1 FROM order_lines");
        var nextLedgerId = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_entries");

        // Each store: its cadence and its repertoire (skewed towards the first products: the classic lines before their variants).
        var repertoire = new int[stores.Count][];
        var headers = new List<Header>(stores.Count * (days / 7 + 2));
        for (var s = 0; s < stores.Count; s++)
        {
            var size = rnd.Next(20, 61);
            var picked = new HashSet<int>();
            for (var tries = 0; picked.Count < size && tries < size * 20; tries++)
            {
                var k = (int)(items.Count * Math.Pow(rnd.NextDouble(), 3));
                if (stores[s].GroupId is { } g && denied.Any(d => d.GroupId == g && items[k].CategoryPath.StartsWith(d.Path, StringComparison.Ordinal))) continue;
                picked.Add(k);
            }
            repertoire[s] = picked.Order().ToArray();
            var interval = rnd.Next(3, 15);
            for (double t = startMs + rnd.NextDouble() * interval * DayMs; t < nowMs; t += interval * DayMs * (0.7 + 0.6 * rnd.NextDouble()))
            {
                // Business hours, Beijing time (08:00–20:00).
                var day = ((long)t + 8 * 3_600_000) / DayMs;
                var at = day * DayMs - 8 * 3_600_000 + rnd.NextInt64(8 * 3_600_000, 20 * 3_600_000);
                if (at < nowMs) headers.Add(new Header(at, s));
            }
        }
        headers.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Store.CompareTo(b.Store));

        await using var sink = await BulkSink.BeginAsync(db, c, ct);
        var orders = sink.Table("orders", "id", "order_no", "customer_id", "channel", "placed_by_kind", "placed_by_id", "agent_id", "attribution",
            "status", "warehouse_id", "contact_name", "contact_phone", "delivery_address", "goods_fen", "discount_fen", "total_fen",
            "reject_reason", "cancel_reason", "version", "created_at", "updated_at", "shipped_at", "received_at");
        var lines = sink.Table("order_lines", "id", "order_id", "line_no", "product_id", "sku", "name", "spec", "unit", "quantity",
            "unit_price_fen", "amount_fen", "price_source", "price_reason", "is_gift", "unit_cost_fen");
        var ledger = sink.Table("ledger_entries", "id", "customer_id", "kind", "amount_fen", "occurred_at", "order_id", "reference", "note", "created_by", "created_at");

        var debits = new List<(long At, long Fen)>[stores.Count];
        int lineCount = 0, ledgerCount = 0, cancelled = 0, rejected = 0, returns = 0;
        var orderId = nextOrderId;
        var lineId = nextLineId;
        var ledgerId = nextLedgerId;
        var seqOfDay = 0;
        var lastDay = -1L;
        var chosen = new HashSet<int>();
        var orderLines = new List<(Item Item, long Qty, long Unit, bool Gift)>();
        foreach (var h in headers)
        {
            var store = stores[h.Store];
            var ageDays = (nowMs - h.At) / (double)DayMs;
            var roll = rnd.Next(100);
            var status = roll < 3 ? "cancelled" : roll < 5 ? "rejected"
                : ageDays < 1 ? (rnd.Next(2) == 0 ? "pending_sales_review" : "pending_finance_review")
                : ageDays < 2 ? "pending_outbound" : ageDays < 3 ? "pending_shipment"
                : rnd.Next(10) == 0 ? "shipped" : "received";
            var (pct, source, reason) = store.GroupCode switch
            {
                "KA" => (90, "group_price_list", "价目表 A类客户价目表"),
                "CHAIN" => (95, "group_price_list", "价目表 连锁超市价目表"),
                _ => (100, "base_price", "基础价"),
            };

            var rep = repertoire[h.Store];
            var want = Math.Min(rep.Length, rnd.Next(8, 13));
            chosen.Clear();
            while (chosen.Count < want) chosen.Add(rep[rnd.Next(rep.Length)]);
            long goods = 0;
            orderLines.Clear();
            foreach (var k in chosen.Order())
            {
                var it = items[k];
                var qty = (long)it.Pack * rnd.Next(1, 6);
                var unit = Math.Max(1, (it.BaseFen * pct + 50) / 100);
                goods += qty * unit;
                orderLines.Add((it, qty, unit, false));
            }
            if (rnd.Next(20) == 0) orderLines.Add((items[rep[0]], items[rep[0]].Pack, 0, true)); // a 买赠 gift line: free goods, no amount
            var discount = goods >= 50_000 && rnd.Next(10) < 3 ? 3_000L : 0L;
            var total = goods - discount;

            var day = (h.At + 8 * 3_600_000) / DayMs;
            if (day != lastDay) { lastDay = day; seqOfDay = 0; }
            var orderNo = $"H{DateTimeOffset.FromUnixTimeMilliseconds(h.At).ToOffset(TimeSpan.FromHours(8)):yyyyMMdd}{++seqOfDay:D6}";
            var self = rnd.Next(10) < 6;
            var shippedAt = status is "shipped" or "received" ? h.At + DayMs : (long?)null;
            var receivedAt = status == "received" ? h.At + 2 * DayMs : (long?)null;
            await orders.AddAsync(orderId, orderNo, store.Id, self ? "self" : "proxy", self ? "customer_user" : "agent", self ? store.Id : store.AgentId ?? 0L,
                store.AgentId, store.AgentId is null ? null : self ? "owner" : "proxy", status, store.WarehouseId, store.Contact, store.Phone, store.Address,
                goods, discount, total, status == "rejected" ? "信用额度不足" : null, status == "cancelled" ? "门店取消" : null, 1,
                h.At, receivedAt ?? shippedAt ?? h.At, shippedAt, receivedAt);
            var lineNo = 0;
            foreach (var (it, qty, unit, gift) in orderLines)
                await lines.AddAsync(lineId++, orderId, ++lineNo, it.Id, it.Sku, it.Name, it.Spec, it.Unit, qty, unit, qty * unit,
                    gift ? "promotion" : source, gift ? "买赠赠品" : reason, gift, shippedAt is null ? null : it.CostFen);
            lineCount += lineNo;
            if (status == "cancelled") cancelled++;
            if (status == "rejected") rejected++;

            if (shippedAt is { } shipped)
            {
                await ledger.AddAsync(ledgerId++, store.Id, "order", total, shipped, orderId, orderNo, "订单发货", "demo", shipped);
                (debits[h.Store] ??= []).Add((shipped, total));
                ledgerCount++;
                if (rnd.Next(50) == 0 && shipped + 3 * DayMs < nowMs) // about 2 %: part of the order comes back
                {
                    var back = -Math.Max(100, total * rnd.Next(5, 21) / 100 / 100 * 100);
                    var at = shipped + rnd.Next(2, 9) * DayMs;
                    if (at < nowMs)
                    {
                        await ledger.AddAsync(ledgerId++, store.Id, "return", back, at, orderId, orderNo, "退货", "demo", at);
                        (debits[h.Store] ??= []).Add((at, back));
                        ledgerCount++;
                        returns++;
                    }
                }
            }
            orderId++;
            await sink.BoundaryAsync(ct);
        }

        // Payments: about monthly per store, settling what was owed three weeks earlier (one store in five pays only 70 %).
        for (var s = 0; s < stores.Count; s++)
        {
            if (debits[s] is not { Count: > 0 } owed) continue;
            var slow = rnd.Next(5) == 0;
            long paidUpTo = 0;
            var settled = 0L;
            for (var t = owed.Min(d => d.At) + rnd.Next(25, 35) * DayMs; t < nowMs; t += rnd.Next(25, 35) * DayMs)
            {
                var due = owed.Where(d => d.At > paidUpTo && d.At <= t - 21 * DayMs).Sum(d => d.Fen);
                paidUpTo = Math.Max(paidUpTo, t - 21 * DayMs);
                settled += due;
                var pay = slow ? due * 7 / 10 : due;
                if (pay <= 0) continue;
                await ledger.AddAsync(ledgerId++, stores[s].Id, "payment", -pay, t, null, $"PAY-{stores[s].Id}-{t / DayMs}", "货款", "demo", t);
                ledgerCount++;
            }
        }

        await sink.CompleteAsync(ct);
        return new DemoOrderHistoryResult((int)(orderId - nextOrderId), lineCount, ledgerCount, cancelled, rejected, returns, sw.Elapsed);
    }

    /// <summary>Rows in bulk: SQLite through prepared inserts, PostgreSQL through binary COPY per table.</summary>
    private abstract class BulkSink : IAsyncDisposable
    {
        public static async Task<BulkSink> BeginAsync(Db db, DbConnection c, CancellationToken ct) => db.Dialect == SqlDialect.Postgres
            ? new PostgresSink((NpgsqlConnection)c)
            : await SqliteSink.OpenAsync(db, ct);

        public abstract BulkTable Table(string name, params string[] columns);
        /// <summary>Between two orders: where SQLite may commit what it has so far.</summary>
        public virtual ValueTask BoundaryAsync(CancellationToken ct) => ValueTask.CompletedTask;
        public abstract Task CompleteAsync(CancellationToken ct);
        public abstract ValueTask DisposeAsync();
    }

    private abstract class BulkTable
    {
        public abstract ValueTask AddAsync(params object?[] values);
    }

    /// <summary>
    /// A connection of its own (not pooled, so its large page cache goes away with it: the random inserts into the lines'
    /// product index thrash SQLite's default 2 MB cache), committing about every <see cref="RowsPerCommit"/> rows at an
    /// order boundary so the WAL stays small and an order and its lines always commit together.
    /// </summary>
    private sealed class SqliteSink : BulkSink
    {
        private const int RowsPerCommit = 200_000;
        private readonly SqliteConnection _c;
        private SqliteTransaction _tx;
        private readonly List<SqliteCommand> _commands = [];
        private int _rows;

        private SqliteSink(SqliteConnection c, SqliteTransaction tx) { _c = c; _tx = tx; }

        public static async Task<BulkSink> OpenAsync(Db db, CancellationToken ct)
        {
            var c = new SqliteConnection(new SqliteConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ToString());
            await c.OpenAsync(ct);
            await using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;";
                await cmd.ExecuteNonQueryAsync(ct);
            }
            return new SqliteSink(c, c.BeginTransaction(deferred: false));
        }

        public override BulkTable Table(string name, params string[] columns)
        {
            var cmd = _c.CreateCommand();
            cmd.Transaction = _tx;
            cmd.CommandText = $"INSERT INTO {name} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
            for (var i = 0; i < columns.Length; i++) cmd.Parameters.Add(new SqliteParameter("$p" + i, null));
            cmd.Prepare();
            _commands.Add(cmd);
            return new PreparedInsert(this, cmd);
        }

        public override async ValueTask BoundaryAsync(CancellationToken ct)
        {
            if (_rows < RowsPerCommit) return;
            await _tx.CommitAsync(ct);
            await _tx.DisposeAsync();
            _tx = _c.BeginTransaction(deferred: false);
            foreach (var cmd in _commands) cmd.Transaction = _tx;
            _rows = 0;
        }

        public override async Task CompleteAsync(CancellationToken ct) => await _tx.CommitAsync(ct);

        public override async ValueTask DisposeAsync()
        {
            foreach (var cmd in _commands) await cmd.DisposeAsync();
            await _tx.DisposeAsync();
            await _c.DisposeAsync();
        }

        private sealed class PreparedInsert(SqliteSink sink, SqliteCommand cmd) : BulkTable
        {
            public override ValueTask AddAsync(params object?[] values)
            {
                for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
                cmd.ExecuteNonQuery();
                sink._rows++;
                return ValueTask.CompletedTask;
            }
        }
    }

    /// <summary>
    /// One binary COPY per table, all open at once on their own connections (a connection carries one COPY at a time),
    /// completed parents first so the foreign keys hold; the identity sequences are moved past the explicit ids.
    /// </summary>
    private sealed class PostgresSink(NpgsqlConnection c) : BulkSink
    {
        private readonly List<(string Name, NpgsqlConnection Connection, NpgsqlBinaryImporter Importer)> _tables = [];

        public override BulkTable Table(string name, params string[] columns)
        {
            var conn = new NpgsqlConnection(c.ConnectionString);
            conn.Open();
            var importer = conn.BeginBinaryImport($"COPY {name} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
            // Completing the lines' COPY checks millions of foreign keys and runs the report trigger over them: minutes, not 30 s.
            importer.Timeout = TimeSpan.FromMinutes(30);
            _tables.Add((name, conn, importer));
            return new Copy(importer);
        }

        public override async Task CompleteAsync(CancellationToken ct)
        {
            foreach (var (name, _, importer) in _tables)
            {
                await importer.CompleteAsync(ct);
                await importer.DisposeAsync();
                await c.ExecuteAsync($"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {name}))");
            }
        }

        public override async ValueTask DisposeAsync()
        {
            foreach (var (_, conn, importer) in _tables)
            {
                await importer.DisposeAsync();
                await conn.DisposeAsync();
            }
        }

        private sealed class Copy(NpgsqlBinaryImporter importer) : BulkTable
        {
            public override async ValueTask AddAsync(params object?[] values)
            {
                await importer.StartRowAsync();
                foreach (var v in values)
                {
                    if (v is null) await importer.WriteNullAsync();
                    else await importer.WriteAsync(v);
                }
            }
        }
    }
}

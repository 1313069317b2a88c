using Dapper;
using OrderHub.Application.Data;
using OrderHub.Demo;
using OrderHub.DemoData;

namespace OrderHub.Tests.Reports;

/// <summary>
/// A small distributor with a fixed order history around <see cref="Now"/> (2026-12-15 10:00 Beijing), every figure of
/// which is worked out by hand in the tests. All times below are Beijing time.
///
/// AG1 owns C1 (天河区, KA), C2 (越秀区, SHOP), C3 (天河区, SHOP); AG2 owns C4 (海珠区, KA), C5 (越秀区, SHOP), C6 (海珠区, SHOP).
/// Products: W-001 农夫山泉 and W-002 怡宝 in 饮料/饮用水, D-001 可口可乐 in 饮料 itself, S-001 乐事 in 零食.
///
/// C1  weekly, 100,000 fen each (W-001 60,000 + D-001 40,000): 10-29 proxy, 11-05 self, 11-12 self, 11-19 proxy, 11-26 self,
///     12-03 self via AG1's share link (+ a gift line). Return −20,000 on 12-05. Ledger: debits 10-30, 11-06, 11-13, 11-20, 11-27
///     (100,000 each), payment −150,000 on 11-15 → balance 330,000. AG1 visited it on 12-02.
/// C2  one self-order 12-10 (S-001 30,000); opening balance 50,000 on 08-01.
/// C3  no orders; AG1 visited on 11-20 and called on 12-14.
/// C4  every ~10 days (W-002): 11-05 200,000 proxy, 11-15 220,000 self, 11-25 180,000 proxy, 12-05 200,000 proxy, 12-14 50,000 proxy (a drop).
///     Ledger: debit 200,000 on 11-06, payment −250,000 on 12-01 → credit of 50,000.
/// C5  11-30 23:30 self 70,000 (15:30 UTC: still November); 12-01 00:30 self 100,000; a cancelled 12-08 and a rejected 12-09
///     (excluded). Ledger: debit 80,000 on 09-20.
/// C6  one self-order 11-20, 500,000 (W-002).
/// </summary>
public static class ReportsData
{
    public static readonly DateTimeOffset Now = new(2026, 12, 15, 10, 0, 0, TimeSpan.FromHours(8));

    public static long Bj(int month, int day, int hour = 10, int minute = 0) =>
        new DateTimeOffset(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    public static DemoDataSet Build()
    {
        var d = new DemoDataSet();
        d.Warehouses.Add(new("W1", "一号仓"));
        d.Categories.Add(new("DRINK", "饮料", null, 0));
        d.Categories.Add(new("WATER", "饮用水", "DRINK", 1));
        d.Categories.Add(new("SNACK", "零食", null, 2));
        d.Products.Add(P("W-001", "农夫山泉饮用天然水", "农夫山泉", "WATER", 600));
        d.Products.Add(P("W-002", "怡宝纯净水", "怡宝", "WATER", 1000));
        d.Products.Add(P("D-001", "可口可乐", "可口可乐", "DRINK", 800));
        d.Products.Add(P("S-001", "乐事薯片", "乐事", "SNACK", 10000));
        d.Groups.Add(new("KA", "A类", 0));
        d.Groups.Add(new("SHOP", "便利店", 1));
        d.Agents.Add(new("AG1", "业务员甲", "13800000001", "ag1"));
        d.Agents.Add(new("AG2", "业务员乙", "13800000002", "ag2"));
        d.Customers.Add(C("C1", "天河区", "KA", "AG1"));
        d.Customers.Add(C("C2", "越秀区", "SHOP", "AG1"));
        d.Customers.Add(C("C3", "天河区", "SHOP", "AG1"));
        d.Customers.Add(C("C4", "海珠区", "KA", "AG2"));
        d.Customers.Add(C("C5", "越秀区", "SHOP", "AG2"));
        d.Customers.Add(C("C6", "海珠区", "SHOP", "AG2"));
        foreach (var c in d.Customers) d.CustomerUsers.Add(new(c.Code, c.ContactName, c.Phone, "owner"));
        d.Staff.Add(new("admin", "老板", "admin"));
        d.Staff.Add(new("clerk", "内勤", "clerk"));
        d.Stock.Add(new("W-001", "W1", 1000));
        return d;
    }

    private static DemoProduct P(string sku, string name, string brand, string cat, long price) =>
        new(sku, name, "规格", "箱", 1, 1, "690" + sku, brand, cat, price, true, name, []);

    private static DemoCustomer C(string code, string region, string group, string agent) =>
        new(code, $"门店{code}", $"老板{code}", "13900000000", "广州市", region, group, agent, "W1", 10_000_000, 0);

    /// <summary>Seeds the distributor and its history into an empty, migrated database.</summary>
    public static async Task SeedAsync(Db db)
    {
        await new DemoDataSeeder(db).SeedAsync(Build(), Now.ToUnixTimeMilliseconds());
        var s = await Seed.OpenAsync(db);

        // C1: weekly, 100,000 each.
        var c1 = new (int M, int D, string Channel, string Attribution)[]
            { (10, 29, "proxy", "proxy"), (11, 5, "self", "owner"), (11, 12, "self", "owner"), (11, 19, "proxy", "proxy"), (11, 26, "self", "owner"), (12, 3, "self", "share_link") };
        foreach (var (m, day, channel, attribution) in c1)
        {
            var lines = new List<(string, long, long, bool)> { ("W-001", 10, 60_000, false), ("D-001", 5, 40_000, false) };
            if (m == 12) lines.Add(("W-001", 1, 0, true));
            await s.Order("C1", Bj(m, day), channel, attribution, "AG1", "shipped", lines.ToArray());
        }
        await s.Ledger("C1", "return", -20_000, Bj(12, 5, 11));
        foreach (var (m, day) in new[] { (10, 30), (11, 6), (11, 13), (11, 20), (11, 27) }) await s.Ledger("C1", "order", 100_000, Bj(m, day, 16));
        await s.Ledger("C1", "payment", -150_000, Bj(11, 15, 9));
        await s.Visit("AG1", "C1", "store_visit", Bj(12, 2, 9));

        // C2: one order; an old opening balance.
        await s.Order("C2", Bj(12, 10, 14), "self", "owner", "AG1", "pending_sales_review", ("S-001", 3, 30_000, false));
        await s.Ledger("C2", "opening", 50_000, Bj(8, 1, 0));

        // C3: no orders, a visit and a call.
        await s.Visit("AG1", "C3", "store_visit", Bj(11, 20, 10));
        await s.Visit("AG1", "C3", "call", Bj(12, 14, 15));

        // C4: steady, then a small order.
        foreach (var (m, day, fen, channel) in new[] { (11, 5, 200_000L, "proxy"), (11, 15, 220_000L, "self"), (11, 25, 180_000L, "proxy"), (12, 5, 200_000L, "proxy"), (12, 14, 50_000L, "proxy") })
            await s.Order("C4", Bj(m, day), channel, channel == "self" ? "owner" : "proxy", "AG2", "shipped", ("W-002", fen / 1000, fen, false));
        await s.Ledger("C4", "order", 200_000, Bj(11, 6));
        await s.Ledger("C4", "payment", -250_000, Bj(12, 1));

        // C5: the month boundary, and orders that do not count.
        await s.Order("C5", Bj(11, 30, 23, 30), "self", "owner", "AG2", "received", ("S-001", 7, 70_000, false));
        await s.Order("C5", Bj(12, 1, 0, 30), "self", "owner", "AG2", "pending_outbound", ("S-001", 10, 100_000, false));
        await s.Order("C5", Bj(12, 8), "self", "owner", "AG2", "cancelled", ("S-001", 99, 999_000, false));
        await s.Order("C5", Bj(12, 9), "proxy", "proxy", "AG2", "rejected", ("W-001", 888, 888_000, false));
        await s.Ledger("C5", "order", 80_000, Bj(9, 20));

        // C6: one big order in November.
        await s.Order("C6", Bj(11, 20), "self", "owner", "AG2", "shipped", ("W-002", 500, 500_000, false));
    }

    /// <summary>Direct inserts of orders, lines, ledger entries and visits.</summary>
    public sealed class Seed
    {
        private Db _db = null!;
        private Dictionary<string, long> _customers = null!, _agents = null!, _products = null!;
        private long _warehouse;
        private static int _n; // order numbers unique across Seed instances (tests that add orders open their own)

        public static async Task<Seed> OpenAsync(Db db)
        {
            await using var c = await db.OpenAsync();
            return new Seed
            {
                _db = db,
                _customers = (await c.QueryAsync<(string, long)>("SELECT code, id FROM customers")).ToDictionary(x => x.Item1, x => x.Item2),
                _agents = (await c.QueryAsync<(string, long)>("SELECT code, id FROM agents")).ToDictionary(x => x.Item1, x => x.Item2),
                _products = (await c.QueryAsync<(string, long)>("SELECT sku, id FROM products")).ToDictionary(x => x.Item1, x => x.Item2),
                _warehouse = await c.ExecuteScalarAsync<long>("SELECT id FROM warehouses"),
            };
        }

        public long Customer(string code) => _customers[code];
        public long Agent(string code) => _agents[code];

        public async Task<long> Order(string customer, long at, string channel, string attribution, string agent, string status,
            params (string Sku, long Qty, long AmountFen, bool Gift)[] lines)
        {
            await using var c = await _db.OpenAsync();
            var total = lines.Sum(l => l.AmountFen);
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO orders (order_no, customer_id, channel, placed_by_kind, placed_by_id, agent_id, attribution, status, warehouse_id,
                                    contact_name, contact_phone, delivery_address, goods_fen, discount_fen, total_fen, created_at, updated_at)
                VALUES (@no, @customerId, @channel, @kind, 1, @agentId, @attribution, @status, @warehouse, '联系人', '13900000000', '广州市', @total, 0, @total, @at, @at)
                RETURNING id
                """, new { no = $"SO{Interlocked.Increment(ref _n):0000}", customerId = _customers[customer], channel, kind = channel == "self" ? "customer_user" : "agent",
                    agentId = _agents[agent], attribution, status, warehouse = _warehouse, total, at });
            var lineNo = 0;
            foreach (var l in lines)
                await c.ExecuteAsync("""
                    INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit, quantity, unit_price_fen, amount_fen, price_source, price_reason, is_gift)
                    VALUES (@id, @lineNo, @productId, @Sku, @Sku, '箱', @Qty, @price, @AmountFen, 'base', '基础价', @Gift)
                    """, new { id, lineNo = ++lineNo, productId = _products[l.Sku], l.Sku, l.Qty, price = l.Qty == 0 ? 0 : l.AmountFen / l.Qty, l.AmountFen, l.Gift });
            return id;
        }

        public async Task Ledger(string customer, string kind, long amountFen, long at)
        {
            await using var c = await _db.OpenAsync();
            await c.ExecuteAsync("""
                INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, created_by, created_at)
                VALUES (@customerId, @kind, @amountFen, @at, 'test', @at)
                """, new { customerId = _customers[customer], kind, amountFen, at });
        }

        public async Task Visit(string agent, string customer, string kind, long at)
        {
            await using var c = await _db.OpenAsync();
            await c.ExecuteAsync("""
                INSERT INTO visits (agent_id, customer_id, kind, at, note, photo_urls, created_at) VALUES (@agentId, @customerId, @kind, @at, NULL, '[]', @at)
                """, new { agentId = _agents[agent], customerId = _customers[customer], kind, at });
        }
    }
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Warehouse;

/// <summary>
/// The back office on many orders at once, on both databases: batch approve / ship with a result per order and a replay
/// for a retried request; the order export (CSV with a BOM, XLSX); the pick list's sums and the delivery notes' data.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class BatchExportAndPaperApiTests(string kind)
{
    private ApiHost _host = null!;
    private HttpClient _clerk = null!, _finance = null!, _warehouse = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new ApiHost(kind);
        _clerk = await _host.StaffAsync("clerk");
        _finance = await _host.StaffAsync("finance");
        _warehouse = await _host.StaffAsync("warehouse");
    }

    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private int _nextStore = 10;

    /// <summary>A new order of the next chain store with room in its credit: 1 to 3 in-stock items, random multiples of their MOQ.</summary>
    private async Task<(long Id, string OrderNo, long CustomerId)> PlaceOrder(Random rnd)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var n = _nextStore++;
            var code = await _host.Scalar<string?>($"""
                SELECT c.code FROM customers c
                WHERE c.active = TRUE
                  AND (c.credit_limit_fen = 0 OR c.credit_limit_fen - COALESCE((SELECT SUM(e.amount_fen) FROM ledger_entries e WHERE e.customer_id = c.id), 0) > 600000)
                ORDER BY c.code LIMIT 1 OFFSET {n}
                """);
            if (code is null) break;
            var items = (await _host.Scalar<string?>("""
                SELECT STRING_AGG(x.sku || ':' || x.min_order_qty, ',') FROM (
                  SELECT p.sku, p.min_order_qty FROM customers c JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
                  WHERE c.code = @code AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 40 AND p.min_order_qty % p.pack_size = 0
                    AND p.base_price_fen * p.min_order_qty < 50000
                    AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
                    AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id OR r.product_id = p.id)
                    AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
                  ORDER BY p.sku LIMIT 6) x
                """.Replace("STRING_AGG(x.sku || ':' || x.min_order_qty, ',')", kind == TestDatabase.Sqlite ? "GROUP_CONCAT(x.sku || ':' || x.min_order_qty, ',')" : "STRING_AGG(x.sku || ':' || x.min_order_qty, ',')"),
                new { code }))?.Split(',');
            if (items is null || items.Length < 3) continue;
            var store = await _host.CustomerAsync(code);
            foreach (var item in items.OrderBy(_ => rnd.Next()).Take(rnd.Next(1, 4)))
            {
                var (sku, moq) = (item.Split(':')[0], long.Parse(item.Split(':')[1]));
                await HttpAssert.Ok(await store.PostAsJsonAsync("/api/cart/items", new { sku, quantity = moq * rnd.Next(1, 4) }));
            }
            var addressId = (await HttpAssert.Ok(await store.GetAsync("/api/addresses")))[0].GetProperty("id").GetInt64();
            var req = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(new { addressId, note = $"批量测试 {n}" }) };
            req.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            var order = await HttpAssert.Ok(await store.SendAsync(req));
            var s = order.GetProperty("summary");
            return (s.GetProperty("id").GetInt64(), s.GetProperty("orderNo").GetString()!, await _host.Scalar<long>("SELECT id FROM customers WHERE code = @code", new { code }));
        }
        Assert.Fail("no more suitable demo stores");
        return default;
    }

    private static async Task<HttpResponseMessage> Batch(HttpClient c, string action, IEnumerable<long> ids, string key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/orders/batch/{action}") { Content = JsonContent.Create(new { orderIds = ids.ToArray() }) };
        req.Headers.Add("Idempotency-Key", key);
        return await c.SendAsync(req);
    }

    private Task<long> Events(long orderId) => _host.Scalar<long>("SELECT COUNT(*) FROM order_events WHERE order_id = @orderId", new { orderId });

    [Test]
    public async Task Batch_approve_reports_each_order_and_a_retry_answers_the_same_without_acting_again()
    {
        var rnd = new Random(16);
        var a = await PlaceOrder(rnd);
        var b = await PlaceOrder(rnd);
        var rejected = await PlaceOrder(rnd);
        await HttpAssert.Ok(await _clerk.PostAsJsonAsync($"/api/admin/orders/{rejected.Id}/reject", new { reason = "客户要求改单" }));

        var ids = new[] { a.Id, b.Id, rejected.Id, 987654321L };
        var r = await HttpAssert.Ok(await Batch(_clerk, "approve-sales", ids, "batch-1"));
        Assert.That(r.GetProperty("succeeded").GetInt32(), Is.EqualTo(2));
        Assert.That(r.GetProperty("failed").GetInt32(), Is.EqualTo(2));
        Assert.That(r.GetProperty("replayed").GetBoolean(), Is.False);
        var items = r.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items.Select(i => i.GetProperty("orderId").GetInt64()), Is.EqualTo(ids), "one result per order, in the order asked");
        Assert.That(items[0].GetProperty("ok").GetBoolean() && items[1].GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(items[0].GetProperty("statusLabel").GetString(), Is.EqualTo("待财务审核"));
        Assert.That(items[2].GetProperty("ok").GetBoolean(), Is.False);
        Assert.That(items[2].GetProperty("messageZh").GetString(), Does.Contain("已驳回").And.Contain(rejected.OrderNo));
        Assert.That(items[3].GetProperty("messageZh").GetString(), Is.EqualTo("订单不存在"));

        var eventsBefore = await Events(a.Id);
        var again = await HttpAssert.Ok(await Batch(_clerk, "approve-sales", ids, "batch-1"));
        Assert.That(again.GetProperty("replayed").GetBoolean(), Is.True);
        Assert.That(again.GetProperty("items").ToString(), Is.EqualTo(r.GetProperty("items").ToString()), "the retry answers the first results");
        Assert.That(await Events(a.Id), Is.EqualTo(eventsBefore), "and does not act again");
        await HttpAssert.Problem(await Batch(_clerk, "approve-sales", [a.Id], "batch-1"), 422);

        // Roles still hold: the warehouse may not approve, and the order flow refuses a step out of turn per order.
        await HttpAssert.Problem(await Batch(_warehouse, "approve-sales", [b.Id], "batch-2"), 403);
        var early = await HttpAssert.Ok(await Batch(_warehouse, "ship", [a.Id], "batch-3"));
        Assert.That(early.GetProperty("items")[0].GetProperty("messageZh").GetString(), Does.Contain("待财务审核"));

        await HttpAssert.Ok(await Batch(_finance, "approve-finance", [a.Id, b.Id], "batch-4"));
        var shipped = await HttpAssert.Ok(await Batch(_warehouse, "ship", [a.Id, b.Id], "batch-5"));
        Assert.That(shipped.GetProperty("succeeded").GetInt32(), Is.EqualTo(2));
        Assert.That(await _host.Scalar<long>("SELECT COUNT(*) FROM ledger_entries WHERE order_id IN (@x, @y) AND kind = 'order'", new { x = a.Id, y = b.Id }), Is.EqualTo(2),
            "each shipped order is booked once");
        await HttpAssert.Problem(await Batch(_warehouse, "ship", Enumerable.Range(1, 201).Select(i => (long)i), "batch-6"), 400);
        await HttpAssert.Problem(await Batch(_warehouse, "explode", [a.Id], "batch-7"), 404);
    }

    [Test]
    public async Task The_pick_list_sums_every_line_of_the_chosen_orders_by_product_and_the_delivery_notes_carry_each_order()
    {
        var rnd = new Random(Environment.TickCount);
        var orders = new List<(long Id, string OrderNo, long CustomerId)>();
        for (var i = 0; i < 4; i++) orders.Add(await PlaceOrder(rnd));
        // A bin for one product in one warehouse: the pick list shows it and sorts by it.
        var located = await _host.Scalar<long>("SELECT MIN(product_id) FROM order_lines WHERE order_id = @Id", new { orders[0].Id });
        await _host.Exec("UPDATE stock SET location = 'A-01-03' WHERE product_id = @located AND warehouse_id = (SELECT warehouse_id FROM orders WHERE id = @Id)", new { located, orders[0].Id });
        // A 买赠 gift on one order (free goods of a product the order has, as the quoter writes them): it is picked too.
        await _host.Exec("""
            INSERT INTO order_lines (order_id, line_no, product_id, sku, name, spec, unit, quantity, unit_price_fen, amount_fen, price_source, price_reason, is_gift)
            SELECT order_id, line_no + 100, product_id, sku, name, spec, unit, 2, 0, 0, 'gift', '买赠赠品', TRUE FROM order_lines
            WHERE order_id = @Id AND line_no = 1
            """, new { orders[1].Id });
        var giftSku = await _host.Scalar<string>("SELECT sku FROM order_lines WHERE order_id = @Id AND is_gift = TRUE", new { orders[1].Id });
        var ids = orders.Select(o => o.Id).ToList();

        var pick = await HttpAssert.Ok(await _warehouse.GetAsync($"/api/admin/orders/pick-list?ids={string.Join(',', ids)}"));
        var expected = new Dictionary<(string Warehouse, string Sku), long>();
        foreach (var o in orders)
        {
            var detail = await HttpAssert.Ok(await _warehouse.GetAsync($"/api/admin/orders/{o.Id}"));
            var warehouse = await _host.Scalar<string>("SELECT w.code FROM orders o JOIN warehouses w ON w.id = o.warehouse_id WHERE o.id = @Id", new { o.Id });
            foreach (var l in detail.GetProperty("order").GetProperty("lines").EnumerateArray())
            {
                var key = (warehouse, l.GetProperty("sku").GetString()!);
                expected[key] = expected.GetValueOrDefault(key) + l.GetProperty("quantity").GetInt64();
            }
        }
        var rows = pick.GetProperty("rows").EnumerateArray().ToDictionary(r => (r.GetProperty("warehouseCode").GetString()!, r.GetProperty("sku").GetString()!), r => r.GetProperty("quantity").GetInt64());
        Assert.That(rows, Is.EquivalentTo(expected), "one row per warehouse and product, summed over the orders");
        Assert.That(pick.GetProperty("totalQuantity").GetInt64(), Is.EqualTo(expected.Values.Sum()));
        Assert.That(pick.GetProperty("giftQuantity").GetInt64(), Is.EqualTo(2));
        Assert.That(pick.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("sku").GetString() == giftSku && r.GetProperty("giftQuantity").GetInt64() > 0)
            .GetProperty("giftQuantity").GetInt64(), Is.EqualTo(2), "the gift is counted in its product's row");
        Assert.That(pick.GetProperty("rows").EnumerateArray().Any(r => r.GetProperty("location").GetString() == "A-01-03"), Is.True);

        var notes = await HttpAssert.Ok(await _warehouse.GetAsync($"/api/admin/orders/delivery-notes?ids={string.Join(',', ids)}"));
        Assert.That(notes.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("order").GetProperty("orderNo").GetString()), Is.EqualTo(orders.Select(o => o.OrderNo)));
        var giftLine = notes.GetProperty("notes")[1].GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("isGift").GetBoolean());
        Assert.That(giftLine.GetProperty("quantity").GetInt64(), Is.EqualTo(2));
        Assert.That(notes.GetProperty("notes")[1].GetProperty("giftQuantity").GetInt64(), Is.EqualTo(2));
        var first = notes.GetProperty("notes")[0];
        Assert.That(first.GetProperty("order").GetProperty("deliveryAddress").GetString(),
            Is.EqualTo(await _host.Scalar<string>("SELECT delivery_address FROM orders WHERE id = @Id", new { orders[0].Id })));

        await HttpAssert.Problem(await _warehouse.GetAsync($"/api/admin/orders/pick-list?ids={ids[0]},987654321"), 404);
        await HttpAssert.Problem(await _warehouse.GetAsync("/api/admin/orders/pick-list?ids=1,abc"), 400);
        await HttpAssert.Problem(await _warehouse.GetAsync("/api/admin/orders/delivery-notes?ids="), 400);
    }

    [Test]
    public async Task The_export_has_one_row_per_line_in_yuan_with_Chinese_headers_as_CSV_with_a_BOM_and_as_XLSX()
    {
        var rnd = new Random(7);
        var o = await PlaceOrder(rnd);
        var lines = await _host.Scalar<long>("SELECT COUNT(*) FROM order_lines WHERE order_id = @Id", new { o.Id });
        var amount = await _host.Scalar<long>("SELECT MIN(amount_fen) FROM order_lines WHERE order_id = @Id", new { o.Id });

        var res = await _clerk.GetAsync($"/api/admin/orders/download?format=csv&customerId={o.CustomerId}");
        Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(res.Content.Headers.ContentDisposition?.FileNameStar, Does.StartWith("订单明细_").And.EndWith(".csv"));
        var bytes = await res.Content.ReadAsByteArrayAsync();
        Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 BOM so Excel reads the Chinese");
        var csv = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(csv[0], Does.StartWith("订单号,下单时间,状态,渠道,客户编码,客户名称"));
        var mine = csv.Where(l => l.StartsWith(o.OrderNo + ",", StringComparison.Ordinal)).ToList();
        Assert.That(mine, Has.Count.EqualTo(lines));
        Assert.That(string.Join("\n", mine), Does.Contain($",{amount / 100}.{amount % 100:00},"), "amounts are yuan with two decimals");

        var xlsx = await _clerk.GetAsync($"/api/admin/orders/download?format=xlsx&customerId={o.CustomerId}&status=pending_sales_review");
        using var wb = new XLWorkbook(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()));
        var ws = wb.Worksheet("订单明细");
        Assert.That(ws.Cell(1, 1).GetString(), Is.EqualTo("订单号"));
        Assert.That(ws.Cell(1, 23).GetString(), Is.EqualTo("金额(元)"));
        var dataRows = ws.RowsUsed().Skip(1).Where(r => r.Cell(1).GetString() == o.OrderNo).ToList();
        Assert.That(dataRows, Has.Count.EqualTo(lines));
        var total = dataRows.Sum(r => r.Cell(23).GetValue<decimal>());
        Assert.That(total, Is.EqualTo(await _host.Scalar<long>("SELECT goods_fen FROM orders WHERE id = @Id", new { o.Id }) / 100m), "the line amounts in yuan add up to the order's goods");

        await HttpAssert.Problem(await _clerk.GetAsync("/api/admin/orders/download?format=pdf"), 400);
        var empty = await _clerk.GetAsync($"/api/admin/orders/download?format=csv&customerId={o.CustomerId}&status=received");
        Assert.That(Encoding.UTF8.GetString(await empty.Content.ReadAsByteArrayAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "only the header");
    }
}

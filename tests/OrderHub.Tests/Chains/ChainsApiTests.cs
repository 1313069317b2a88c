using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Chains;

/// <summary>
/// Chains (连锁) over HTTP on the demo distributor: a fresh head office with two branches and random contract prices per
/// store, one host pricing and holding credit per branch (the default) and one per head office.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class ChainsApiTests(string kind)
{
    private ApiHost _branchLevel = null!;
    private ApiHost _headLevel = null!;
    private static readonly Random Rng = new();

    [OneTimeSetUp]
    public void Start()
    {
        _branchLevel = new ApiHost(kind);
        _headLevel = new ApiHost(kind, settings: new() { ["Chains:PriceFrom"] = "HeadOffice", ["Chains:CreditAt"] = "HeadOffice" });
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _branchLevel.Dispose();
        _headLevel.Dispose();
    }

    /// <summary>A store of a chain: its id, code, its contract price of the chain's product and its address text.</summary>
    public sealed record Store(long Id, string Code, long PriceFen, string Address);

    public sealed record Chain(Store Head, Store Branch1, Store Branch2, string Sku, long Qty);

    /// <summary>Creates a head office and two branches (made branches through the admin API) with their own users, addresses and contract prices.</summary>
    public static async Task<Chain> CreateChainAsync(ApiHost host)
    {
        var row = await host.Scalar<string>("""
            SELECT c.group_id || '|' || c.warehouse_id || '|' || c.agent_id || '|' || p.id || '|' || p.sku || '|' || p.min_order_qty FROM customers c
            JOIN stock s ON s.warehouse_id = c.warehouse_id JOIN products p ON p.id = s.product_id
            JOIN customer_groups g ON g.id = c.group_id
            WHERE g.code = 'CHAIN' AND c.agent_id IS NOT NULL AND p.active = TRUE AND s.on_hand - s.reserved >= p.min_order_qty * 40 AND p.min_order_qty % p.pack_size = 0
              AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.product_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = c.id OR r.product_id = p.id)
              AND p.category_path NOT LIKE (SELECT path FROM categories WHERE code = 'BAIJIU') || '%'
            ORDER BY c.code, p.sku LIMIT 1
            """);
        var f = row.Split('|');
        var (groupId, warehouseId, agentId, productId, sku, qty) = (long.Parse(f[0]), long.Parse(f[1]), long.Parse(f[2]), long.Parse(f[3]), f[4], long.Parse(f[5]));
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        async Task<Store> NewStore(string suffix)
        {
            var code = $"CH{tag}{suffix}";
            var address = $"上海市{suffix}路{Rng.Next(1, 999)}号";
            var price = Rng.Next(500, 5000);
            await using var c = await host.Db.OpenAsync();
            var id = await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, """
                INSERT INTO customers (code, name, group_id, agent_id, warehouse_id, credit_limit_fen, active, created_at, updated_at)
                VALUES (@code, @name, @groupId, @agentId, @warehouseId, 0, TRUE, @now, @now) RETURNING id
                """, new { code, name = $"连锁{tag}{suffix}", groupId, agentId, warehouseId, now });
            await Dapper.SqlMapper.ExecuteAsync(c, """
                INSERT INTO customer_users (customer_id, name, role, active, created_at) VALUES (@id, @name, 'owner', TRUE, @now);
                INSERT INTO customer_addresses (customer_id, contact_name, phone, address, is_default, active, created_at) VALUES (@id, '店长', '13800000000', @address, TRUE, TRUE, @now);
                INSERT INTO customer_prices (customer_id, product_id, source, min_qty, price_fen, updated_at) VALUES (@id, @productId, 'contract', 1, @price, @now)
                """, new { id, name = $"店长{suffix}", address, productId, price, now });
            return new Store(id, code, price, address);
        }

        var head = await NewStore("总部");
        var b1 = await NewStore("一店");
        var b2 = await NewStore("二店");
        var admin = await host.StaffAsync("admin");
        foreach (var b in new[] { b1, b2 })
            Assert.That((int)(await admin.PutAsJsonAsync($"/api/admin/customers/{b.Id}/head-office", new { headOfficeId = head.Id })).StatusCode, Is.EqualTo(204));
        return new Chain(head, b1, b2, sku, qty);
    }

    public static async Task<JsonElement> SubmitAsync(HttpClient client, string url, long addressId, string key, int expect = 201)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { addressId }) };
        req.Headers.Add("Idempotency-Key", key);
        var res = await client.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        Assert.That((int)res.StatusCode, Is.EqualTo(expect), body);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <param name="beforeSubmit">Called with the cart's total (after any 满减) before the order is submitted.</param>
    private static async Task<JsonElement> OrderForBranch(ApiHost host, Chain chain, Store branch, long qty, Func<long, Task>? beforeSubmit = null)
    {
        var head = await host.CustomerAsync(chain.Head.Code);
        var cart = await HttpAssert.Ok(await head.PostAsJsonAsync($"/api/cart/items?branchId={branch.Id}", new { sku = chain.Sku, quantity = qty }));
        if (beforeSubmit is not null) await beforeSubmit(cart.GetProperty("totalFen").GetInt64());
        var address = (await HttpAssert.Ok(await head.GetAsync($"/api/addresses?branchId={branch.Id}")))[0];
        Assert.That(address.GetProperty("address").GetString(), Is.EqualTo(branch.Address), "the branch's own addresses");
        return await SubmitAsync(head, $"/api/orders?branchId={branch.Id}", address.GetProperty("id").GetInt64(), Guid.NewGuid().ToString());
    }

    [Test]
    public async Task A_head_office_orders_for_a_branch_priced_per_the_setting_and_delivered_to_the_branch()
    {
        foreach (var (host, priceFromHead) in new[] { (_branchLevel, false), (_headLevel, true) })
        {
            var chain = await CreateChainAsync(host);
            var qty = chain.Qty * 2;
            var order = await OrderForBranch(host, chain, chain.Branch1, qty);
            var expectedUnit = priceFromHead ? chain.Head.PriceFen : chain.Branch1.PriceFen;
            var summary = order.GetProperty("summary");
            Assert.That(summary.GetProperty("customerCode").GetString(), Is.EqualTo(chain.Branch1.Code), "the order is the branch's");
            Assert.That(order.GetProperty("lines")[0].GetProperty("unitPriceFen").GetInt64(), Is.EqualTo(expectedUnit));
            Assert.That(order.GetProperty("goodsFen").GetInt64(), Is.EqualTo(expectedUnit * qty));
            Assert.That(summary.GetProperty("totalFen").GetInt64(), Is.EqualTo(expectedUnit * qty - summary.GetProperty("discountFen").GetInt64()));
            Assert.That(order.GetProperty("deliveryAddress").GetString(), Is.EqualTo(chain.Branch1.Address));

            // The branch's own user sees its order; the head office's cart for itself was not touched.
            var branchUser = await host.CustomerAsync(chain.Branch1.Code);
            var branchList = await HttpAssert.Ok(await branchUser.GetAsync("/api/orders"));
            Assert.That(branchList.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderNo").GetString()), Does.Contain(summary.GetProperty("orderNo").GetString()));
        }
    }

    [Test]
    public async Task The_head_office_sees_all_branch_orders_and_filters_by_branch_while_branches_see_only_their_own()
    {
        var chain = await CreateChainAsync(_branchLevel);
        var o1 = (await OrderForBranch(_branchLevel, chain, chain.Branch1, chain.Qty)).GetProperty("summary").GetProperty("orderNo").GetString();
        var o2 = (await OrderForBranch(_branchLevel, chain, chain.Branch2, chain.Qty)).GetProperty("summary").GetProperty("orderNo").GetString();
        var head = await _branchLevel.CustomerAsync(chain.Head.Code);

        static IEnumerable<string?> Nos(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderNo").GetString());
        Assert.That(Nos(await HttpAssert.Ok(await head.GetAsync("/api/orders"))), Is.EquivalentTo(new[] { o2, o1 }));
        Assert.That(Nos(await HttpAssert.Ok(await head.GetAsync($"/api/orders?customerId={chain.Branch2.Id}"))), Is.EqualTo(new[] { o2 }));
        await HttpAssert.Ok(await head.GetAsync($"/api/orders/{o1}"));
        // The head office may cancel a branch's order still in review, as the branch may.
        await HttpAssert.Ok(await head.PostAsJsonAsync($"/api/orders/{o1}/cancel", new { reason = "总部取消" }));

        var b2 = await _branchLevel.CustomerAsync(chain.Branch2.Code);
        Assert.That(Nos(await HttpAssert.Ok(await b2.GetAsync("/api/orders"))), Is.EqualTo(new[] { o2 }));
        await HttpAssert.Problem(await b2.GetAsync($"/api/orders/{o1}"), 404);
        // A branch is not its sibling's head office.
        await HttpAssert.Problem(await b2.GetAsync($"/api/cart?branchId={chain.Branch1.Id}"), 404);
    }

    [Test]
    public async Task An_unrelated_store_stays_a_404_for_a_head_office()
    {
        var chain = await CreateChainAsync(_branchLevel);
        var other = await _branchLevel.Scalar<long>("SELECT id FROM customers WHERE parent_customer_id IS NULL AND id <> @Id ORDER BY id LIMIT 1", new { chain.Head.Id });
        var head = await _branchLevel.CustomerAsync(chain.Head.Code);
        await HttpAssert.Problem(await head.PostAsJsonAsync($"/api/cart/items?branchId={other}", new { sku = chain.Sku, quantity = chain.Qty }), 404);
        await HttpAssert.Problem(await head.GetAsync($"/api/addresses?branchId={other}"), 404);
        await HttpAssert.Problem(await head.GetAsync($"/api/orders?customerId={other}"), 404);
        await HttpAssert.Problem(await head.GetAsync($"/api/templates?branchId={other}"), 404);
        var req = new HttpRequestMessage(HttpMethod.Post, $"/api/orders?branchId={other}") { Content = JsonContent.Create(new { addressId = 1 }) };
        req.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        await HttpAssert.Problem(await head.SendAsync(req), 404);
        var otherOrders = await _branchLevel.Scalar<long>("SELECT COUNT(*) FROM cart_items WHERE customer_id = @other", new { other });
        Assert.That(otherOrders, Is.EqualTo(0));
    }

    [Test]
    public async Task The_consolidated_statement_has_a_subtotal_per_store_and_the_chains_total()
    {
        var chain = await CreateChainAsync(_branchLevel);
        // Hand-made ledgers in this month (Shanghai): figures are random, the expected sums are computed here by hand.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var headDebit = Rng.Next(1000, 90000); var b1Debit = Rng.Next(1000, 90000); var b1Credit = Rng.Next(1, 1000); var b2Debit = Rng.Next(1000, 90000);
        async Task Book(long customerId, string kindName, long amount) => await _branchLevel.Exec("""
            INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, reference, created_by, created_at) VALUES (@customerId, @kindName, @amount, @now, 'T', 'test', @now)
            """, new { customerId, kindName, amount, now });
        await Book(chain.Head.Id, "order", headDebit);
        await Book(chain.Branch1.Id, "order", b1Debit);
        await Book(chain.Branch1.Id, "payment", -b1Credit);
        await Book(chain.Branch2.Id, "order", b2Debit);

        var head = await _branchLevel.CustomerAsync(chain.Head.Code);
        var s = await HttpAssert.Ok(await head.GetAsync("/api/chain/statement"));
        var stores = s.GetProperty("stores").EnumerateArray().ToList();
        Assert.That(stores.Select(x => x.GetProperty("statement").GetProperty("customer").GetProperty("code").GetString()),
            Is.EqualTo(new[] { chain.Head.Code, chain.Branch1.Code, chain.Branch2.Code }));
        Assert.That(stores[0].GetProperty("isHeadOffice").GetBoolean(), Is.True);
        long Closing(JsonElement x) => x.GetProperty("statement").GetProperty("closingBalance").GetProperty("fen").GetInt64();
        Assert.That(Closing(stores[0]), Is.EqualTo(headDebit));
        Assert.That(Closing(stores[1]), Is.EqualTo(b1Debit - b1Credit));
        Assert.That(Closing(stores[2]), Is.EqualTo(b2Debit));
        Assert.That(s.GetProperty("debitTotalFen").GetInt64(), Is.EqualTo(headDebit + b1Debit + b2Debit));
        Assert.That(s.GetProperty("creditTotalFen").GetInt64(), Is.EqualTo(b1Credit));
        Assert.That(s.GetProperty("closingFen").GetInt64(), Is.EqualTo(headDebit + b1Debit - b1Credit + b2Debit));

        var csv = Encoding.UTF8.GetString(await (await head.GetAsync("/api/chain/statement/download?format=csv")).Content.ReadAsByteArrayAsync());
        var total = csv.Split("\r\n").Single(l => l.StartsWith("合计,"));
        Assert.That(total, Does.EndWith("," + Yuan(headDebit + b1Debit + b2Debit) + "," + Yuan(b1Credit) + "," + Yuan(headDebit + b1Debit - b1Credit + b2Debit)));
        Assert.That(csv.Split("\r\n").Count(l => l.Contains(",小计,")), Is.EqualTo(3));

        var xlsx = await head.GetAsync("/api/chain/statement/download?format=xlsx");
        using var wb = new XLWorkbook(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()));
        var sheet = wb.Worksheets.First();
        var totalRow = sheet.RowsUsed().Single(r => r.Cell(1).GetString() == "合计");
        Assert.That(totalRow.Cell(8).GetValue<decimal>(), Is.EqualTo((headDebit + b1Debit - b1Credit + b2Debit) / 100m));

        // A branch's own consolidated statement is just itself: it is nobody's head office.
        var b1 = await _branchLevel.CustomerAsync(chain.Branch1.Code);
        var own = await HttpAssert.Ok(await b1.GetAsync("/api/chain/statement"));
        Assert.That(own.GetProperty("stores").GetArrayLength(), Is.EqualTo(1));
        Assert.That(own.GetProperty("closingFen").GetInt64(), Is.EqualTo(b1Debit - b1Credit));
    }

    private static string Yuan(long fen) => (fen / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public async Task Credit_held_at_the_head_office_counts_every_branch_against_the_head_offices_limit()
    {
        foreach (var (host, atHead) in new[] { (_branchLevel, false), (_headLevel, true) })
        {
            var chain = await CreateChainAsync(host);
            var branch1Owes = Rng.Next(10000, 50000);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await host.Exec("""
                INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, reference, created_by, created_at) VALUES (@Id, 'order', @branch1Owes, @now, 'T', 'test', @now)
                """, new { chain.Branch1.Id, branch1Owes, now });
            long orderTotal = 0, limit = 0;
            var order = await OrderForBranch(host, chain, chain.Branch2, chain.Qty, async cartTotal =>
            {
                // The head office's limit leaves one fen less room than this order after branch 1's debt: exceeded only when summed.
                orderTotal = cartTotal;
                limit = branch1Owes + orderTotal - 1;
                await host.Exec("UPDATE customers SET credit_limit_fen = @limit WHERE id = @Id", new { limit, chain.Head.Id });
            });
            var id = order.GetProperty("summary").GetProperty("id").GetInt64();
            Assert.That(order.GetProperty("goodsFen").GetInt64(), Is.EqualTo((atHead ? chain.Head.PriceFen : chain.Branch2.PriceFen) * chain.Qty));
            Assert.That(order.GetProperty("summary").GetProperty("totalFen").GetInt64(), Is.EqualTo(orderTotal));
            Assert.That(order.GetProperty("summary").GetProperty("creditExceeded").GetBoolean(), Is.EqualTo(atHead));

            var clerk = await host.StaffAsync("clerk");
            var finance = await host.StaffAsync("finance");
            await HttpAssert.Ok(await clerk.PostAsync($"/api/admin/orders/{id}/approve-sales", null));
            var credit = (await HttpAssert.Ok(await finance.GetAsync($"/api/admin/orders/{id}"))).GetProperty("credit");
            if (atHead)
            {
                Assert.That(credit.GetProperty("creditLimitFen").GetInt64(), Is.EqualTo(limit));
                Assert.That(credit.GetProperty("balanceFen").GetInt64(), Is.EqualTo(branch1Owes));
                await HttpAssert.Problem(await finance.PostAsJsonAsync($"/api/admin/orders/{id}/approve-finance", new { @override = false }), 409, "信用额度");
            }
            else
            {
                Assert.That(credit.GetProperty("creditLimitFen").GetInt64(), Is.EqualTo(0), "the branch's own limit: none");
                Assert.That(credit.GetProperty("balanceFen").GetInt64(), Is.EqualTo(0), "the branch's own balance");
                await HttpAssert.Ok(await finance.PostAsJsonAsync($"/api/admin/orders/{id}/approve-finance", new { @override = false }));
            }
        }
    }

    [Test]
    public async Task Setting_a_head_office_refuses_loops_and_chains_deeper_than_one_level()
    {
        var chain = await CreateChainAsync(_branchLevel);
        var admin = await _branchLevel.StaffAsync("admin");
        await HttpAssert.Problem(await admin.PutAsJsonAsync($"/api/admin/customers/{chain.Head.Id}/head-office", new { headOfficeId = chain.Head.Id }), 400);
        await HttpAssert.Problem(await admin.PutAsJsonAsync($"/api/admin/customers/{chain.Head.Id}/head-office", new { headOfficeId = chain.Branch1.Id }), 400);
        await HttpAssert.Problem(await admin.PutAsJsonAsync($"/api/admin/customers/999999999/head-office", new { headOfficeId = chain.Head.Id }), 404);
        var branches = await HttpAssert.Ok(await (await _branchLevel.CustomerAsync(chain.Head.Code)).GetAsync("/api/chain/branches"));
        Assert.That(branches.EnumerateArray().Select(b => b.GetProperty("code").GetString()), Is.EqualTo(new[] { chain.Branch1.Code, chain.Branch2.Code }));
        // Back to a store of its own: the head office no longer acts for it.
        Assert.That((int)(await admin.PutAsJsonAsync($"/api/admin/customers/{chain.Branch2.Id}/head-office", new { headOfficeId = (long?)null })).StatusCode, Is.EqualTo(204));
        await HttpAssert.Problem(await (await _branchLevel.CustomerAsync(chain.Head.Code)).GetAsync($"/api/cart?branchId={chain.Branch2.Id}"), 404);
    }
}

using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

/// <summary>
/// Issue #22: defects a review against Kingdee's published material found, which the old fake shared with the adapter.
/// Each test here failed against the adapter as it was before the fix (see the commit history).
/// </summary>
public class Issue22Tests
{
    private static DateTime Today => DateTime.UtcNow.AddHours(8).Date;

    // ---------------------------------------------------------------- 1. price lines are FEntity, customers FEntity2

    [Test]
    public async Task Price_pull_reads_lines_from_FEntity_and_customers_from_FEntity2()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddPriceList("BASE", Harness.Past(1), [("A", 10.00m, 1m)]);
        h.Server.AddPriceList("C001-SPECIAL", Harness.Past(2), [("A", 7.77m, 1m)], customers: ["C001"]);

        var page = await h.Adapter.PullPricesAsync(null, CancellationToken.None);

        Assert.That(page.Items.Select(p => (p.Scope, p.ScopeCode, p.PriceFen, p.Deleted)), Is.EquivalentTo(new[]
        {
            (ErpPriceScope.Base, (string?)null, 1000L, false), (ErpPriceScope.Customer, (string?)"C001", 777L, false),
        }));
        var keys = h.Server.QueriedKeys.Where(q => q.FormId == "BD_SAL_PriceList").SelectMany(q => q.FieldKeys).ToList();
        Assert.That(keys, Does.Contain("FEntity_FEntryID").And.Not.Contain("FPriceListEntry_FEntryID"));
    }

    [Test]
    public async Task Product_pull_with_a_base_price_list_is_not_refused()
    {
        await using var h = await Harness.StartAsync(o => o.BasePriceListNumber = "BASE");
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        h.Server.AddPriceList("BASE", Harness.Past(1), [("A", 12.30m, 1m)]);
        var page = await h.Adapter.PullProductsAsync(null, CancellationToken.None);
        Assert.That(page.Items.Single().BasePriceFen, Is.EqualTo(1230));
    }

    // ---------------------------------------------------------------- 2. sales organisation and salesman are required

    [Test]
    public void Options_without_sales_organisation_or_default_salesman_are_refused_at_start()
    {
        var o = new KingdeeOptions { ServerUrl = "http://127.0.0.1:1/k3cloud/", AcctId = "x", Username = "u", Password = "p" };
        using var http = new HttpClient();
        var e = Assert.Throws<ArgumentException>(() => new KingdeeErpAdapter(new KingdeeWebApiClient(http, o), o));
        Assert.That(e!.Message, Does.Contain("OrgNumber").And.Contain("SalerNumber"));
    }

    [Test]
    public async Task Pushed_orders_carry_the_sales_organisation_and_a_salesman()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        var pushed = await h.Adapter.PushOrderAsync(new ErpOrder("OH-1", "C001", null, [new ErpOrderLine("A", 1, 100)], null, null), CancellationToken.None);
        var doc = h.Server.Order(pushed.ErpOrderId);
        Assert.That((doc["FSaleOrgId.FNumber"], doc["FSalerId.FNumber"]), Is.EqualTo(((object?)FakeKingdeeServer.Org, (object?)FakeKingdeeServer.Salesman)));
    }

    // ---------------------------------------------------------------- 4. validity, row audit, tax, limits

    [Test]
    public async Task Expired_future_unaudited_tax_excluded_and_salesman_only_prices_are_not_live()
    {
        await using var h = await Harness.StartAsync();
        var baseList = h.Server.AddPriceList("BASE", Harness.Past(1), [("A", 10.00m, 1m), ("B", 5.00m, 1m), ("C", 6.00m, 1m)]);
        baseList.Entity("FEntity")[1]["FEntryExpiryDate"] = Today.AddDays(-3);   // line B expired
        baseList.Entity("FEntity")[2]["FRowAuditStatus"] = "B";                   // line C not audited (行审核)
        h.Server.AddPriceList("OLD", Harness.Past(2), [("A", 9.00m, 1m)], customers: ["C001"], expiry: Today.AddDays(-1));
        h.Server.AddPriceList("NEXT", Harness.Past(2), [("A", 8.00m, 1m)], customerTypes: ["VIP"], effective: Today.AddDays(5));
        h.Server.AddPriceList("NET", Harness.Past(2), [("A", 8.50m, 1m)], customers: ["C002"], includedTax: false);
        h.Server.AddPriceList("SALES", Harness.Past(2), [("A", 7.00m, 1m)], salesmen: [FakeKingdeeServer.Salesman]);

        var page = await h.Adapter.PullPricesAsync(null, CancellationToken.None);

        Assert.That(page.Items.Where(p => !p.Deleted).Select(p => (p.ProductCode, p.Scope, p.ScopeCode, p.PriceFen)),
            Is.EquivalentTo(new[] { ("A", ErpPriceScope.Base, (string?)null, 1000L) }), "only the valid, audited, tax-inclusive, unrestricted line is live");
        Assert.That(page.Items.Where(p => p.Deleted).Select(p => (p.ProductCode, p.Scope, p.ScopeCode)), Is.SupersetOf(new[]
        {
            ("B", ErpPriceScope.Base, (string?)null), ("C", ErpPriceScope.Base, (string?)null),
            ("A", ErpPriceScope.Customer, (string?)"C001"), ("A", ErpPriceScope.CustomerGroup, (string?)"VIP"),
        }), "prices that are not live are withdrawn, so an earlier copy does not stay live");
    }

    [Test]
    public async Task A_list_that_expires_without_being_edited_is_withdrawn_by_the_next_pull()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddPriceList("C001-SPECIAL", Harness.Past(1), [("A", 7.77m, 1m)], customers: ["C001"], expiry: Today.AddDays(-1));
        // A cursor whose window opened two days ago: the list was valid then, expired at midnight, and was not edited since.
        var cursor = new SyncCursor(Today.AddDays(-2), null, null).ToString();

        var page = await h.Adapter.PullPricesAsync(cursor, CancellationToken.None);

        Assert.That(page.Items.Select(p => (p.Scope, p.ScopeCode, p.Deleted)), Is.EqualTo(new[] { (ErpPriceScope.Customer, (string?)"C001", true) }));
    }

    // ---------------------------------------------------------------- 5. submitted orders, cookies, stock keys

    [Test]
    public async Task An_order_left_submitted_but_not_audited_is_finished_by_find_before_push()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        h.Server.FailNextAuditWithHttp500 = true;
        var order = new ErpOrder("OH-7", "C001", null, [new ErpOrderLine("A", 1, 100)], null, null);

        Assert.ThrowsAsync<ErpUnavailableException>(() => h.Adapter.PushOrderAsync(order, CancellationToken.None));
        Assert.That(h.Server.OrdersWithReference("OH-7").Single()["FDocumentStatus"], Is.EqualTo("B"), "submitted, audit cut off");

        var found = await h.Adapter.FindOrderAsync("OH-7", CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        Assert.That(h.Server.OrdersWithReference("OH-7").Single()["FDocumentStatus"], Is.EqualTo("C"), "the retry finishes the audit");
        Assert.That(h.Server.SaveCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Every_cookie_the_login_sets_is_sent_back()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        var page = await h.Adapter.PullCustomersAsync(null, CancellationToken.None);
        Assert.That(page.Items, Has.Count.EqualTo(1));
        Assert.That(h.Server.LoginCount, Is.EqualTo(1), "one login, and every later call accepted");
    }

    [Test]
    public async Task A_cookie_a_later_answer_sets_is_sent_from_then_on()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        await h.Adapter.PullCustomersAsync(null, CancellationToken.None);
        h.Server.MoveNodeOnNextCall = true;
        await h.Adapter.PullCustomersAsync(null, CancellationToken.None);
        var page = await h.Adapter.PullCustomersAsync(null, CancellationToken.None);
        Assert.That(page.Items, Has.Count.EqualTo(1));
        Assert.That(h.Server.LoginCount, Is.EqualTo(1), "the re-issued balancer cookie was kept, no new login needed");
    }

    [Test]
    public async Task Stock_pull_uses_only_field_keys_the_inventory_form_has()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddStock("A", "CK01", 5m);
        var page = await h.Adapter.PullStockAsync(null, CancellationToken.None);
        Assert.That(page.Items.Select(s => (s.ProductCode, s.OnHand)), Is.EqualTo(new[] { ("A", 5L) }));
        var keys = h.Server.QueriedKeys.Where(q => q.FormId == "STK_Inventory").SelectMany(q => q.FieldKeys);
        Assert.That(keys, Has.None.EqualTo("FUpdateTime"));
    }
}

/// <summary>Issue #22, part 2: the salesman of a pushed order comes from the store's agent.</summary>
public class SalesmanTests
{
    [Test]
    public async Task The_salesman_is_the_agents_mapping_else_the_agents_code_else_the_default()
    {
        var agents = new Dictionary<string, string?> { ["OH-1"] = "AG-7", ["OH-2"] = "XSY002", ["OH-3"] = null };
        await using var h = await Harness.StartAsync(o => o.SalesmanByAgent["AG-7"] = "XSY007",
            agentOf: (order, _) => ValueTask.FromResult(agents[order.OrderNumber]));
        h.Server.Salesmen.UnionWith(["XSY007", "XSY002"]);
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));

        var salesmen = new List<object?>();
        foreach (var n in agents.Keys)
        {
            var pushed = await h.Adapter.PushOrderAsync(new ErpOrder(n, "C001", null, [new ErpOrderLine("A", 1, 100)], null, null), CancellationToken.None);
            salesmen.Add(h.Server.Order(pushed.ErpOrderId)["FSalerId.FNumber"]);
        }
        Assert.That(salesmen, Is.EqualTo(new object?[] { "XSY007", "XSY002", FakeKingdeeServer.Salesman }));
    }

    [Test]
    public async Task An_agent_unknown_to_Kingdee_is_refused_with_Kingdees_message()
    {
        await using var h = await Harness.StartAsync(agentOf: (_, _) => ValueTask.FromResult<string?>("AG-404"));
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        var e = Assert.ThrowsAsync<ErpRejectedException>(() =>
            h.Adapter.PushOrderAsync(new ErpOrder("OH-1", "C001", null, [new ErpOrderLine("A", 1, 100)], null, null), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("FSalerId").And.Contain("AG-404"));
    }
}

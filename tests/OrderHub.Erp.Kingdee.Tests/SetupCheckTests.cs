using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

/// <summary>What OrderHub checks at start and at go-live: the settings (Validate) and the data centre's metadata (VerifySchemaAsync).</summary>
public class SetupCheckTests
{
    [Test]
    public void Validate_names_every_missing_setting_in_words()
    {
        var problems = new KingdeeOptions().Validate();
        Assert.That(problems, Has.Some.Contains("ServerUrl"));
        Assert.That(problems, Has.Some.Contains("AcctId"));
        Assert.That(problems, Has.Some.Contains("AppId + AppSecret").Or.Some.Contains("Password"));
        Assert.That(problems, Has.Some.Contains("OrgNumber").And.Some.Contains("FSaleOrgId"));
        Assert.That(problems, Has.Some.Contains("SalerNumber").And.Some.Contains("FSalerId"));
    }

    [Test]
    public void Validate_is_empty_for_usable_settings()
    {
        var o = new KingdeeOptions
        {
            ServerUrl = "http://erp.example.cn/k3cloud/", AcctId = "65f0", Username = "orderhub", AppId = "a", AppSecret = "s",
            OrgNumber = "100", SalerNumber = "XSY001",
        };
        Assert.That(o.Validate(), Is.Empty);
    }

    [Test]
    public async Task Schema_check_finds_nothing_on_a_standard_data_centre()
    {
        await using var h = await Harness.StartAsync(o => { o.CustomerCreditLimitField = "F_ORH_CreditLimit"; o.BasePriceListNumber = "BASE"; });
        h.Server.AddPriceList("BASE", Harness.Past(1), [("A", 1m, 1m)]);
        var problems = await h.Adapter.VerifySchemaAsync(CancellationToken.None);
        Assert.That(problems, Is.Empty);
        Assert.That(h.Server.BusinessInfoAsked, Is.SupersetOf(new[]
            { "BD_MATERIAL", "STK_Inventory", "BD_SAL_PriceList", "BD_Customer", "AR_RECEIVEBILL", "SAL_SaleOrder", "SAL_OUTSTOCK", "SAL_DELIVERYNOTICE" }));
    }

    [Test]
    public async Task The_go_live_connection_check_reports_what_the_schema_check_finds()
    {
        await using var h = await Harness.StartAsync(o => o.CustomerCreditLimitField = "F_XYZ_Credit");
        var report = await ((IErpConnectionCheck)h.Adapter).CheckConnectionAsync(CancellationToken.None);
        Assert.That(report.Ok, Is.False);
        Assert.That(report.Problems, Has.Some.Contains("F_XYZ_Credit"));
    }

    [Test]
    public async Task Schema_check_names_each_key_a_variant_data_centre_lacks_and_what_uses_it()
    {
        await using var h = await Harness.StartAsync(o => o.CustomerCreditLimitField = "F_XYZ_Credit");
        h.Server.PriceLists.Forget("FRowAuditStatus");
        h.Server.OutStocks.Forget("FSoorDerno");
        h.Server.SaleOrders.Forget("FSOStockId");

        var problems = await h.Adapter.VerifySchemaAsync(CancellationToken.None);

        Assert.That(problems, Has.Count.EqualTo(4));
        Assert.That(problems, Has.One.Contains("BD_SAL_PriceList").And.Contains("FRowAuditStatus").And.Contains("price pull"));
        Assert.That(problems, Has.One.Contains("SAL_OUTSTOCK").And.Contains("FSoorDerno"));
        Assert.That(problems, Has.One.Contains("SAL_SaleOrder").And.Contains("FSOStockId").And.Contains("OrderLineWarehouseField"));
        Assert.That(problems, Has.One.Contains("BD_Customer").And.Contains("F_XYZ_Credit").And.Contains("CustomerCreditLimitField"));
    }

    [Test]
    public async Task Schema_check_reports_a_missing_base_price_list()
    {
        await using var h = await Harness.StartAsync(o => o.BasePriceListNumber = "XSJMB404");
        var problems = await h.Adapter.VerifySchemaAsync(CancellationToken.None);
        Assert.That(problems.Single(), Does.Contain("XSJMB404").And.Contain("does not exist"));
    }

    [Test]
    public async Task Schema_check_reports_a_refused_login_instead_of_throwing()
    {
        await using var h = await Harness.StartAsync(o => o.AppSecret = "wrong");
        var problems = await h.Adapter.VerifySchemaAsync(CancellationToken.None);
        Assert.That(problems.Single(), Does.Contain("refused the login"));
    }

    [Test]
    public async Task Schema_check_covers_every_key_the_adapter_really_sends()
    {
        // Exercise every feature against the fake, then compare the keys the fake saw with the keys the check verifies.
        await using var h = await Harness.StartAsync(o => { o.BasePriceListNumber = "BASE"; o.CustomerCreditLimitField = "F_ORH_CreditLimit"; });
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        h.Server.AddStock("A", "CK01", 3m);
        h.Server.AddPriceList("BASE", Harness.Past(1), [("A", 1m, 1m)]);
        var list = h.Server.AddPriceList("VIP", Harness.Past(1), [("A", 0.9m, 1m)], customers: ["C001"]);
        h.Server.AddReceiveBill("SKD1", "C001", 1m, Harness.Past(1), Harness.Past(1));
        var pushed = await h.Adapter.PushOrderAsync(new ErpOrder("OH-1", "C001", "CK01", [new ErpOrderLine("A", 1, 100)], "addr", "note"), CancellationToken.None);
        h.Server.OutStock(pushed.ErpOrderId, 1m);
        h.Server.DeliveryNotice(pushed.ErpOrderId, 1m);
        await h.Adapter.FindOrderAsync("OH-1", CancellationToken.None);
        await h.Adapter.PullProductsAsync(null, CancellationToken.None);
        await h.Adapter.PullStockAsync(null, CancellationToken.None);
        var prices = await h.Adapter.PullPricesAsync(null, CancellationToken.None);
        list["FExpiryDate"] = DateTime.Today.AddDays(-5); list["FModifyDate"] = await h.LaterAsync(); // a removal checks other lists
        await h.Adapter.PullPricesAsync(prices.NextCursor, CancellationToken.None);
        await h.Adapter.PullCustomersAsync(null, CancellationToken.None);
        await h.Adapter.PullPaymentsAsync(null, CancellationToken.None);
        string? cursor = null;
        do { var p = await h.Adapter.PullOrderStatusAsync(cursor, CancellationToken.None); cursor = p.NextCursor; if (!p.HasMore) break; } while (true);

        var checkedKeys = h.Adapter.KeysInUse().Select(u => (u.FormId.ToUpperInvariant(), u.Key.ToUpperInvariant())).ToHashSet();
        var sent = h.Server.QueriedKeys.SelectMany(q => q.FieldKeys.Select(k => (q.FormId.ToUpperInvariant(), k.ToUpperInvariant()))).Distinct().ToList();
        Assert.That(sent.Select(s => s.Item1).Distinct().ToList(), Has.Count.EqualTo(8), "every form was queried");
        Assert.That(sent.Where(s => !checkedKeys.Contains(s)), Is.Empty, "keys sent but not verified at start");
    }

    [Test]
    public async Task Kingdee_refuses_a_sales_order_without_organisation_or_salesman()
    {
        // The fake's rule itself, through the client: Save without FSaleOrgId / FSalerId is refused as Kingdee refuses it.
        await using var h = await Harness.StartAsync();
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        var model = new System.Text.Json.Nodes.JsonObject
        {
            ["FBillTypeID"] = new System.Text.Json.Nodes.JsonObject { ["FNUMBER"] = "XSDD01_SYS" },
            ["FCustId"] = new System.Text.Json.Nodes.JsonObject { ["FNumber"] = "C001" },
            ["FSaleOrderEntry"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                { ["FMaterialId"] = new System.Text.Json.Nodes.JsonObject { ["FNumber"] = "A" }, ["FQty"] = 1 }),
        };
        var e = Assert.ThrowsAsync<ErpRejectedException>(() => h.Client.SaveAsync("SAL_SaleOrder", model, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("FSaleOrgId").And.Contain("FSalerId"));
        Assert.That(h.Server.SaleOrders.Docs, Is.Empty);
    }
}

using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

public class PullTests
{
    [Test]
    public async Task Products_full_pull_maps_fields_and_base_prices_exactly()
    {
        await using var h = await Harness.StartAsync(o => o.BasePriceListNumber = "XSJMB0001");
        h.Server.AddMaterial("1.01.001", "不锈钢保温杯", "Pcs", Harness.Past(1), spec: "500ml", group: "杯壶");
        h.Server.AddMaterial("1.01.002", "玻璃水杯", "Pcs", Harness.Past(2));
        h.Server.AddMaterial("1.01.003", "停产杯", "Pcs", Harness.Past(3), forbid: "B");
        h.Server.AddMaterial("9.99.001", "其他组织物料", "Pcs", Harness.Past(3), org: "200");
        h.Server.AddPriceList("XSJMB0001", Harness.Past(1), [("1.01.001", 19.99m, 1m), ("1.01.001", 18.500000m, 100m), ("1.01.002", 0.070000m, 1m)]);

        var page = await h.Adapter.PullProductsAsync(null, CancellationToken.None);

        Assert.That(page.HasMore, Is.False);
        Assert.That(page.Items.Select(p => p.Code), Is.EqualTo(new[] { "1.01.001", "1.01.002", "1.01.003" }));
        var cup = page.Items[0];
        Assert.Multiple(() =>
        {
            Assert.That(cup.Name, Is.EqualTo("不锈钢保温杯"));
            Assert.That(cup.Spec, Is.EqualTo("500ml"));
            Assert.That(cup.Unit, Is.EqualTo("Pcs"));
            Assert.That(cup.CategoryPath, Is.EqualTo(new[] { "杯壶" }));
            Assert.That(cup.BasePriceFen, Is.EqualTo(1999)); // lowest tier, 19.99 → 1999 fen exactly
            Assert.That(cup.Currency, Is.EqualTo("CNY"));
            Assert.That(cup.Active, Is.True);
            Assert.That(cup.ChangedAt, Is.EqualTo(new DateTimeOffset(Harness.Past(1), TimeSpan.FromHours(8))));
            Assert.That(page.Items[1].BasePriceFen, Is.EqualTo(7));
            Assert.That(page.Items[2].Active, Is.False);
        });
    }

    [Test]
    public async Task Products_incremental_pull_returns_only_changes_after_the_cursor()
    {
        await using var h = await Harness.StartAsync();
        var a = h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        h.Server.AddMaterial("B", "B", "Pcs", Harness.Past(2));

        var first = await h.Adapter.PullProductsAsync(null, CancellationToken.None);
        Assert.That(first.Items, Has.Count.EqualTo(2));

        var empty = await h.Adapter.PullProductsAsync(first.NextCursor, CancellationToken.None);
        Assert.That(empty.Items, Is.Empty);

        a["FName"] = "A renamed";
        a["FModifyDate"] = await h.LaterAsync();
        h.Server.AddMaterial("C", "C", "Pcs", h.Server.Now());

        var second = await h.Adapter.PullProductsAsync(empty.NextCursor, CancellationToken.None);
        Assert.That(second.Items.Select(p => (p.Code, p.Name)), Is.EquivalentTo(new[] { ("A", "A renamed"), ("C", "C") }));
        Assert.That(h.Server.Queries.Last(q => q.FormId == "BD_MATERIAL").Filter, Does.Contain("FModifyDate >"));
    }

    [Test]
    public async Task Paging_over_several_pages_reads_every_row_once_even_when_rows_change_meanwhile()
    {
        await using var h = await Harness.StartAsync(o => o.PageSize = 2);
        var docs = Enumerable.Range(1, 5).Select(i => h.Server.AddMaterial($"M{i}", $"M{i}", "Pcs", Harness.Past(i))).ToList();

        var seen = new List<string>();
        var p1 = await h.Adapter.PullProductsAsync(null, CancellationToken.None);
        seen.AddRange(p1.Items.Select(p => p.Code));
        Assert.That(p1.HasMore, Is.True);

        // An already-read row is edited while we page: it must not make us skip anything.
        docs[0]["FModifyDate"] = await h.LaterAsync();

        string? cursor = p1.NextCursor;
        var pages = 1;
        while (true)
        {
            var p = await h.Adapter.PullProductsAsync(cursor, CancellationToken.None);
            pages++;
            seen.AddRange(p.Items.Select(x => x.Code));
            cursor = p.NextCursor;
            if (!p.HasMore) break;
        }
        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Is.EqualTo(new[] { "M1", "M2", "M3", "M4", "M5" }));

        var next = await h.Adapter.PullProductsAsync(cursor, CancellationToken.None);
        Assert.That(next.Items.Select(p => p.Code), Is.EqualTo(new[] { "M1" }), "the edited row comes again in the next window");
        Assert.That(h.Server.Queries.Where(q => q.FormId == "BD_MATERIAL").Select(q => q.Limit).Distinct(), Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public async Task Stock_sums_lots_per_material_and_warehouse()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddStock("A", "CK01", 10.5m);
        var lot2 = h.Server.AddStock("A", "CK01", 4m);
        h.Server.AddStock("A", "CK02", 7m);
        h.Server.AddStock("B", "CK01", 3m);
        h.Server.AddStock("Z", "CK01", 99m, org: "200");

        var full = await h.Adapter.PullStockAsync(null, CancellationToken.None);
        Assert.That(full.Items.Select(s => (s.ProductCode, s.WarehouseCode, s.OnHand)),
            Is.EquivalentTo(new[] { ("A", "CK01", 14L), ("A", "CK02", 7L), ("B", "CK01", 3L) }));

        lot2["FBaseQty"] = 1m; // STK_Inventory rows carry no change date: the next sweep reads the new total
        var again = await h.Adapter.PullStockAsync(null, CancellationToken.None);
        Assert.That(again.Items.Select(s => (s.ProductCode, s.WarehouseCode, s.OnHand)),
            Is.EquivalentTo(new[] { ("A", "CK01", 11L), ("A", "CK02", 7L), ("B", "CK01", 3L) }));
    }

    [Test]
    public async Task Prices_map_base_group_and_customer_scopes_tiers_and_removals()
    {
        await using var h = await Harness.StartAsync(o => o.BasePriceListNumber = "BASE");
        h.Server.AddPriceList("BASE", Harness.Past(1), [("A", 10.00m, 1m), ("A", 9.50m, 50m)]);
        h.Server.AddPriceList("VIP", Harness.Past(2), [("A", 8.88m, 1m)], customerTypes: ["KHLB001"]);
        var special = h.Server.AddPriceList("C001-SPECIAL", Harness.Past(3), [("A", 7.77m, 1m)], customers: ["C001"]);

        var full = await h.Adapter.PullPricesAsync(null, CancellationToken.None);
        Assert.That(full.Items.Select(p => (p.ProductCode, p.Scope, p.ScopeCode, p.MinQty, p.PriceFen, p.Deleted)), Is.EquivalentTo(new[]
        {
            ("A", ErpPriceScope.Base, (string?)null, 1L, 1000L, false),
            ("A", ErpPriceScope.Base, (string?)null, 50L, 950L, false),
            ("A", ErpPriceScope.CustomerGroup, (string?)"KHLB001", 1L, 888L, false),
            ("A", ErpPriceScope.Customer, (string?)"C001", 1L, 777L, false),
        }));
        Assert.That(full.Items.All(p => p.Currency == "CNY" && !p.IsTrackingPrice));

        special["FForbidStatus"] = "B";
        special["FModifyDate"] = await h.LaterAsync();
        var inc = await h.Adapter.PullPricesAsync(full.NextCursor, CancellationToken.None);
        Assert.That(inc.Items.Select(p => (p.Scope, p.ScopeCode, p.Deleted)), Is.EqualTo(new[] { (ErpPriceScope.Customer, (string?)"C001", true) }));
    }

    [Test]
    public async Task Customers_map_contact_data_group_and_credit_fields()
    {
        await using var h = await Harness.StartAsync(o =>
        {
            o.CustomerCreditLimitField = "F_ORH_CreditLimit";
            o.CustomerReceivableField = "F_ORH_Receivable";
        });
        h.Server.AddCustomer("C001", "杭州某某贸易有限公司", Harness.Past(1), type: "KHLB001", phone: "0571-88888888",
            address: "杭州市西湖区文三路 1 号", creditLimit: 50000.00m, receivable: 12345.67m);
        h.Server.AddCustomer("C002", "停用客户", Harness.Past(2), forbid: "B");

        var page = await h.Adapter.PullCustomersAsync(null, CancellationToken.None);
        Assert.That(page.Items, Has.Count.EqualTo(2));
        var c = page.Items[0];
        Assert.Multiple(() =>
        {
            Assert.That(c.Code, Is.EqualTo("C001"));
            Assert.That(c.GroupCode, Is.EqualTo("KHLB001"));
            Assert.That(c.Phone, Is.EqualTo("0571-88888888"));
            Assert.That(c.Address, Is.EqualTo("杭州市西湖区文三路 1 号"));
            Assert.That(c.CreditLimitFen, Is.EqualTo(5_000_000));
            Assert.That(c.ReceivableFen, Is.EqualTo(1_234_567));
            Assert.That(c.Active, Is.True);
            Assert.That(page.Items[1].Active, Is.False);
        });
    }

    [Test]
    public async Task Payments_come_from_audited_customer_receive_bills_once_audited()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddReceiveBill("SKD0001", "C001", 1000.50m, Harness.Past(1), approved: Harness.Past(1, 10), remark: "货款");
        h.Server.AddReceiveBill("SKD0002", "S001", 99m, Harness.Past(1), approved: Harness.Past(1, 10), contactType: "BD_Supplier");
        var pending = h.Server.AddReceiveBill("SKD0003", "C001", 200m, Harness.Past(2), approved: null);

        var full = await h.Adapter.PullPaymentsAsync(null, CancellationToken.None);
        Assert.That(full.Items.Select(p => (p.Reference, p.CustomerCode, p.AmountFen, p.Note)),
            Is.EqualTo(new[] { ("SKD0001", "C001", 100050L, (string?)"货款") }));
        Assert.That(full.Items[0].PaidAt, Is.EqualTo(new DateTimeOffset(Harness.Past(1), TimeSpan.FromHours(8))));

        pending["FDocumentStatus"] = "C";
        pending["FApproveDate"] = await h.LaterAsync();
        var inc = await h.Adapter.PullPaymentsAsync(full.NextCursor, CancellationToken.None);
        Assert.That(inc.Items.Select(p => p.Reference), Is.EqualTo(new[] { "SKD0003" }));
    }

    [Test]
    public async Task Stock_sweeps_again_only_after_the_sweep_interval()
    {
        await using var h = await Harness.StartAsync(o => { o.StockSweepInterval = TimeSpan.FromMinutes(10); o.PageSize = 2; });
        for (var i = 1; i <= 5; i++) h.Server.AddStock($"M{i}", "CK01", i);
        h.Server.AddStock("M1", "CK02", 4m); // a second row of M1, likely on another page
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        while (true)
        {
            var p = await h.Adapter.PullStockAsync(cursor, CancellationToken.None);
            pages++;
            seen.AddRange(p.Items.Select(s => $"{s.ProductCode}@{s.WarehouseCode}"));
            cursor = p.NextCursor;
            if (!p.HasMore) break;
        }
        Assert.That(seen, Is.EquivalentTo(new[] { "M1@CK01", "M1@CK02", "M2@CK01", "M3@CK01", "M4@CK01", "M5@CK01" }),
            "each material/warehouse once per sweep");
        Assert.That(pages, Is.EqualTo(4), "6 rows, 2 a page: the third page is full, so an empty fourth ends the sweep");
        var soon = await h.Adapter.PullStockAsync(cursor, CancellationToken.None);
        Assert.That(soon.Items, Is.Empty, "the last sweep just ended");
        Assert.That(soon.NextCursor, Is.EqualTo(cursor));
    }
}

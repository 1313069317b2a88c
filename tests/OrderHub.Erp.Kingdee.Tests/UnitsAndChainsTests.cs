using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

/// <summary>
/// Units and chains (issue #17) against the fake Kingdee (no Kingdee server can run here; the fake follows the published
/// shapes, BD_UNITCONVERTRATE and FSaleUnitId are [assumed] keys): a material sold in a case unit comes with it and its
/// conversion factor and is ordered in it; a configured BD_Customer field names the head office.
/// </summary>
public class UnitsAndChainsTests
{
    [Test]
    public async Task A_material_sold_in_cases_comes_with_its_case_unit_and_is_ordered_in_cases()
    {
        var rng = new Random(TestContext.CurrentContext.Random.Next());
        var factor = rng.Next(2, 49);
        var issues = new IssueList();
        await using var h = await Harness.StartAsync(issues: issues);
        h.Server.AddCustomer("C001", "杭州某某贸易有限公司", Harness.Past(1));
        var cola = h.Server.AddMaterial("1.02.001", "可乐 330ml", "Pcs", Harness.Past(1));
        h.Server.SetSaleUnit(cola, "Xiang", factor);
        var odd = h.Server.AddMaterial("1.02.002", "散装糖", "Pcs", Harness.Past(1));
        h.Server.SetSaleUnit(odd, "Bao", 5, 2);                       // 1 包 = 2.5 Pcs: not a whole number
        var loose = h.Server.AddMaterial("1.02.003", "单卖", "Pcs", Harness.Past(1));
        h.Server.SetSaleUnit(loose, "Box", 12);
        loose["FSaleUnitId.FNumber"] = "Pcs";                         // sold in its base unit

        var products = (await h.Adapter.PullProductsAsync(null, default)).Items.ToDictionary(p => p.Code);
        Assert.Multiple(() =>
        {
            Assert.That(products["1.02.001"].Units, Is.EqualTo(new[] { new ErpProductUnit("Xiang", factor, null, "Xiang") }));
            Assert.That(products["1.02.002"].Units, Is.Empty);
            Assert.That(products["1.02.003"].Units, Is.Empty);
            Assert.That(issues.All.Select(i => i.Key), Is.EqualTo(new[] { "1.02.002" }), "the 2.5-piece bag is reported");
        });

        await h.Adapter.PushOrderAsync(new ErpOrder("OH-UNIT-1", "C001", null,
            [new ErpOrderLine("1.02.001", 2, 4704, "Xiang"), new ErpOrderLine("1.02.001", 5, 196)], null, null), default);
        var lines = h.Server.OrdersWithReference("OH-UNIT-1").Single().Entity("FSaleOrderEntry");
        Assert.That(lines.Select(l => (l["FUnitID.FNumber"], l["FQty"], l["FBaseUnitQty"])),
            Is.EqualTo(new (object?, object?, object?)[] { ("Xiang", 2m, 2m * factor), ("Pcs", 5m, 5m) }));
    }

    [Test]
    public async Task A_configured_customer_field_names_the_head_office()
    {
        await using var h = await Harness.StartAsync(o => o.CustomerHeadOfficeField = "F_ORH_HeadOffice");
        h.Server.AddCustomer("HQ01", "连锁总部", Harness.Past(1));
        h.Server.AddCustomer("HQ01-1", "一号店", Harness.Past(1))["F_ORH_HeadOffice"] = "HQ01";
        h.Server.AddCustomer("HQ01-2", "二号店", Harness.Past(1))["F_ORH_HeadOffice"] = " HQ01 ";
        var customers = (await h.Adapter.PullCustomersAsync(null, default)).Items.ToDictionary(c => c.Code, c => c.HeadOfficeCode);
        Assert.That(customers, Is.EquivalentTo(new Dictionary<string, string?> { ["HQ01"] = "", ["HQ01-1"] = "HQ01", ["HQ01-2"] = "HQ01" }));

        await using var plain = await Harness.StartAsync();
        plain.Server.AddCustomer("HQ01-1", "一号店", Harness.Past(1))["F_ORH_HeadOffice"] = "HQ01";
        Assert.That((await plain.Adapter.PullCustomersAsync(null, default)).Items.Single().HeadOfficeCode, Is.Null, "not configured: no chain information");
    }
}

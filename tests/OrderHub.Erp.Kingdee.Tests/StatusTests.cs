using System.Text.Json;

namespace OrderHub.Erp.Kingdee.Tests;

public class StatusTests
{
    [Test]
    public async Task Status_pull_maps_audit_outbound_close_and_void()
    {
        await using var h = await Harness.StartAsync();
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        var refs = new List<ErpOrderRef>();
        for (var i = 1; i <= 4; i++)
            refs.Add(await h.Adapter.PushOrderAsync(new ErpOrder($"OH-{i}", "C001", null, [new ErpOrderLine("A", 10, 500)], null, null), CancellationToken.None));
        h.Server.AddMaterial("B", "B", "Pcs", Harness.Past(1)); // unrelated noise
        await Task.Delay(20);

        var first = await h.Adapter.PullOrderStatusAsync(null, CancellationToken.None);
        Assert.That(first.Items.Select(s => (s.OrderNumber, s.State)), Is.EquivalentTo(
            refs.Select(r => (r.OrderNumber, ErpOrderState.Confirmed))));

        await Task.Delay(20);
        h.Server.OutStock(refs[0].ErpOrderId, 10m);   // fully out-stocked → Kingdee closes it
        h.Server.Void(refs[1].ErpOrderId);
        h.Server.Close(refs[2].ErpOrderId);           // closed by hand, nothing delivered
        h.Server.OutStock(refs[3].ErpOrderId, 4m);    // partial: does not touch the order's dates

        var second = await h.Adapter.PullOrderStatusAsync(first.NextCursor, CancellationToken.None);
        Assert.That(second.Items.Select(s => (s.OrderNumber, s.ErpOrderId, s.State)), Is.EquivalentTo(new[]
        {
            ("OH-1", refs[0].ErpOrderId, ErpOrderState.Shipped),
            ("OH-2", refs[1].ErpOrderId, ErpOrderState.Cancelled),
            ("OH-3", refs[2].ErpOrderId, ErpOrderState.Cancelled),
        }));
        Assert.That(second.Items.Single(s => s.OrderNumber == "OH-1").ChangedAt.Offset, Is.EqualTo(TimeSpan.FromHours(8)));

        var third = await h.Adapter.PullOrderStatusAsync(second.NextCursor, CancellationToken.None);
        Assert.That(third.Items, Is.Empty);
    }

    [Test]
    public async Task Orders_without_an_OrderHub_number_are_ignored()
    {
        await using var h = await Harness.StartAsync();
        var doc = new Fake.FakeDoc
        {
            ["FID"] = h.Server.NewId(), ["FBillNo"] = "XSDD900001", ["FDocumentStatus"] = "C", ["FCloseStatus"] = "A",
            ["FCancelStatus"] = "A", ["FModifyDate"] = Harness.Past(1), ["FSaleOrgId.FNumber"] = "100",
        };
        h.Server.SaleOrders.Docs.Add(doc);
        var page = await h.Adapter.PullOrderStatusAsync(null, CancellationToken.None);
        Assert.That(page.Items, Is.Empty);
    }

    private static KingdeeRow Row(params (string Key, object? Value)[] values)
    {
        var index = values.Select((v, i) => (v.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.OrdinalIgnoreCase);
        var elements = values.Select(v => JsonSerializer.SerializeToElement(v.Value)).ToArray();
        return new KingdeeRow(index, elements);
    }

    private static KingdeeRow Header(string doc, string close = "A", string cancel = "A") =>
        Row(("FDocumentStatus", doc), ("FCloseStatus", close), ("FCancelStatus", cancel));

    private static KingdeeRow Line(decimal qty, decimal notified, decimal outQty) =>
        Row(("FBaseUnitQty", qty), ("FBaseDeliQty", notified), ("FBaseStockOutQty", outQty));

    [TestCase("B", "A", "A", 0, 0, null)]
    [TestCase("C", "A", "A", 0, 0, ErpOrderState.Confirmed)]
    [TestCase("C", "A", "A", 5, 0, ErpOrderState.Picked)]
    [TestCase("C", "A", "A", 10, 4, ErpOrderState.Picked)]
    [TestCase("C", "A", "A", 10, 10, ErpOrderState.Shipped)]
    [TestCase("C", "B", "A", 10, 4, ErpOrderState.Shipped)]
    [TestCase("C", "B", "A", 0, 0, ErpOrderState.Cancelled)]
    [TestCase("C", "A", "B", 0, 0, ErpOrderState.Cancelled)]
    [TestCase("A", "A", "B", 0, 0, ErpOrderState.Cancelled)]
    public void State_mapping(string doc, string close, string cancel, int notified, int outQty, ErpOrderState? expected)
    {
        var mapped = KingdeeErpAdapter.MapState(Header(doc, close, cancel), [Line(10, notified, outQty)]);
        Assert.That(mapped?.State, Is.EqualTo(expected));
    }
}

using System.Text.Json;

namespace OrderHub.Erp.Kingdee.Tests;

public class StatusTests
{
    private static async Task<(Harness H, List<ErpOrderRef> Refs)> FourOrdersAsync()
    {
        var h = await Harness.StartAsync();
        h.Server.AddCustomer("C001", "客户", Harness.Past(1));
        h.Server.AddMaterial("A", "A", "Pcs", Harness.Past(1));
        h.Server.AddMaterial("B", "B", "Pcs", Harness.Past(1));
        var refs = new List<ErpOrderRef>();
        for (var i = 1; i <= 4; i++)
            refs.Add(await h.Adapter.PushOrderAsync(new ErpOrder($"OH-{i}", "C001", null,
                [new ErpOrderLine("A", 10, 500), new ErpOrderLine("B", 2, 100)], null, null), CancellationToken.None));
        await Task.Delay(20);
        return (h, refs);
    }

    private static async Task<List<ErpOrderStatusChange>> DrainAsync(Harness h, string? cursor, Action<string?>? next = null)
    {
        var all = new List<ErpOrderStatusChange>();
        while (true)
        {
            var page = await h.Adapter.PullOrderStatusAsync(cursor, CancellationToken.None);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
            if (!page.HasMore) break;
        }
        next?.Invoke(cursor);
        return all;
    }

    [Test]
    public async Task Shipments_are_read_from_audited_outbound_documents_by_their_own_approve_date()
    {
        var (h, refs) = await FourOrdersAsync();
        await using var _ = h;
        string? cursor = null;
        var first = await DrainAsync(h, cursor, c => cursor = c);
        Assert.That(first.Select(s => (s.OrderNumber, s.State)), Is.EquivalentTo(refs.Select(r => (r.OrderNumber, ErpOrderState.Confirmed))));

        await Task.Delay(20);
        h.Server.OutStock(refs[0].ErpOrderId, 10m, 2m);   // everything out: the order itself is not touched
        h.Server.OutStock(refs[1].ErpOrderId, 4m, 0m);    // partial
        h.Server.DeliveryNotice(refs[2].ErpOrderId, 10m, 2m);
        h.Server.OutStock(refs[3].ErpOrderId, [10m, 2m], audited: false); // saved, not audited: not a shipment yet
        await Task.Delay(20);

        var second = await DrainAsync(h, cursor, c => cursor = c);
        Assert.That(second.Select(s => (s.OrderNumber, s.ErpOrderId, s.State)), Is.EquivalentTo(new[]
        {
            ("OH-1", refs[0].ErpOrderId, ErpOrderState.Shipped),
            ("OH-2", refs[1].ErpOrderId, ErpOrderState.Picked),
            ("OH-3", refs[2].ErpOrderId, ErpOrderState.Picked),
        }));
        Assert.That(second.Single(s => s.OrderNumber == "OH-1").ChangedAt.Offset, Is.EqualTo(TimeSpan.FromHours(8)));

        Assert.That(await DrainAsync(h, cursor, c => cursor = c), Is.Empty, "nothing new");

        // The second outbound of OH-2 and the audit of OH-4's outbound come in by their own approve dates.
        await Task.Delay(20);
        h.Server.OutStock(refs[1].ErpOrderId, 6m, 2m);
        h.Server.AuditOutStock(h.Server.OutStocks.Docs.Last(d => d["FDocumentStatus"] as string == "A"));
        await Task.Delay(20);
        var third = await DrainAsync(h, cursor, c => cursor = c);
        Assert.That(third.Select(s => (s.OrderNumber, s.State)), Is.EquivalentTo(new[]
        {
            ("OH-2", ErpOrderState.Shipped), ("OH-4", ErpOrderState.Shipped),
        }));
    }

    [Test]
    public async Task Close_and_void_map_to_shipped_or_cancelled()
    {
        var (h, refs) = await FourOrdersAsync();
        await using var _ = h;
        string? cursor = null;
        await DrainAsync(h, cursor, c => cursor = c);

        await Task.Delay(20);
        h.Server.Void(refs[0].ErpOrderId);
        h.Server.Close(refs[1].ErpOrderId);              // closed by hand, nothing delivered
        h.Server.OutStock(refs[2].ErpOrderId, 3m, 0m);
        h.Server.Close(refs[2].ErpOrderId);              // closed after a partial outbound
        await Task.Delay(20);

        var changes = await DrainAsync(h, cursor);
        Assert.That(changes.Select(s => (s.OrderNumber, s.State)).Distinct(), Is.EquivalentTo(new[]
        {
            ("OH-1", ErpOrderState.Cancelled), ("OH-2", ErpOrderState.Cancelled), ("OH-3", ErpOrderState.Shipped),
        }));
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

    [TestCase("B", "A", "A", 0, 0, null)]
    [TestCase("D", "A", "A", 0, 0, null)]
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
        var header = Row(("FDocumentStatus", doc), ("FCloseStatus", close), ("FCancelStatus", cancel));
        var mapped = KingdeeErpAdapter.MapState(header, [new KingdeeErpAdapter.OrderLineProgress(10, outQty, notified)]);
        Assert.That(mapped?.State, Is.EqualTo(expected));
    }

    [Test]
    public void Shipped_needs_every_line_out_not_just_the_total()
    {
        var header = Row(("FDocumentStatus", "C"), ("FCloseStatus", "A"), ("FCancelStatus", "A"));
        var mapped = KingdeeErpAdapter.MapState(header,
            [new KingdeeErpAdapter.OrderLineProgress(10, 12, 0), new KingdeeErpAdapter.OrderLineProgress(2, 0, 0)]);
        Assert.That(mapped?.State, Is.EqualTo(ErpOrderState.Picked));
    }
}

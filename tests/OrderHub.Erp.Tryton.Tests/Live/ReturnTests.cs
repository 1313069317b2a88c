using OrderHub.Erp.Tryton.Rpc;
using OrderHub.Erp.Tryton.Tests.Support;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;
using static OrderHub.Erp.Tryton.Tests.Support.SeededTryton;

namespace OrderHub.Erp.Tryton.Tests.Live;

/// <summary>
/// Returns (退货) in real Tryton 6.0: a sale with negative quantities referencing the return number makes a customer
/// return shipment (stock.shipment.out.return); receiving it in Tryton comes back on the order-status feed as Shipped
/// (which OrderHub applies to the return as "received").
/// </summary>
public sealed class ReturnTests
{
    private TrytonErpAdapter _adapter = null!;
    private TrytonJsonRpcClient _rpc = null!;

    [SetUp]
    public void Create()
    {
        _adapter = NewAdapter();
        _rpc = new TrytonJsonRpcClient(Server.AdminOptions());
    }

    [TearDown]
    public void Dispose()
    {
        _adapter.Dispose();
        _rpc.Dispose();
    }

    [Test]
    public async Task A_return_of_a_shipped_order_makes_one_customer_return_shipment_and_its_receipt_comes_back()
    {
        var (_, cursor) = await DrainAsync(_adapter.PullOrderStatusAsync, null);
        var order = new ErpOrder("OH-" + Guid.NewGuid().ToString("N")[..10], "C001", TrytonSeed.WarehouseCode,
            [new ErpOrderLine("TEA-001", 12, 7850), new ErpOrderLine("CUP-001", 2, 1080)], "上海市静安区南京西路 100 号", null);
        var sold = await _adapter.PushOrderAsync(order, default);
        await Seed.ShipSaleAsync(int.Parse(sold.ErpOrderId));

        var returnNo = "RT" + Guid.NewGuid().ToString("N")[..10];
        var ret = new ErpReturn(returnNo, order.OrderNumber, sold.ErpOrderId, "C001", TrytonSeed.WarehouseCode,
            [new ErpReturnLine("TEA-001", 3, 7850)], "外箱破损");
        Assert.That(await _adapter.FindReturnAsync(returnNo, default), Is.Null);
        // what the push job does: find first, push only when absent — twice, and a blind retry, still one document
        var first = await _adapter.FindReturnAsync(returnNo, default) ?? await _adapter.PushReturnAsync(ret, default);
        var second = await _adapter.FindReturnAsync(returnNo, default) ?? await _adapter.PushReturnAsync(ret, default);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(await _rpc.SearchAsync("sale.sale", [D("reference", "=", returnNo)], default), Has.Count.EqualTo(1));

        var sale = (await _rpc.ReadAsync("sale.sale", [int.Parse(first.ErpReturnId)], ["state", "shipments", "shipment_returns", "lines"], default)).Single();
        Assert.That(sale.String("state"), Is.EqualTo("processing"));
        Assert.That(sale.Ids("shipments"), Is.Empty, "nothing is delivered for a return");
        var shipments = sale.Ids("shipment_returns");
        Assert.That(shipments, Has.Count.EqualTo(1), "one customer return shipment");
        var lines = await _rpc.ReadAsync("sale.line", sale.Ids("lines"), ["product", "quantity", "unit_price"], default);
        Assert.That(lines.Select(l => (l.Int("product"), l.Double("quantity"), l.DecimalOrNull("unit_price"))),
            Is.EqualTo(new[] { (Seed.ProductIds["TEA-001"], -3.0, (decimal?)78.50m) }));
        var shipment = (await _rpc.ReadAsync("stock.shipment.out.return", shipments, ["state", "incoming_moves"], default)).Single();
        Assert.That(shipment.String("state"), Is.EqualTo("draft"));
        var moves = await _rpc.ReadAsync("stock.move", shipment.Ids("incoming_moves"), ["product", "quantity"], default);
        Assert.That(moves.Select(m => (m.Int("product"), m.Double("quantity"))), Is.EqualTo(new[] { (Seed.ProductIds["TEA-001"], 3.0) }));

        var (before, cursor2) = await DrainAsync(_adapter.PullOrderStatusAsync, cursor);
        Assert.That(before.Where(c => c.OrderNumber == returnNo).Select(c => c.State), Is.EqualTo(new[] { ErpOrderState.Confirmed }));

        // the ERP's warehouse receives the goods
        await _rpc.ButtonAsync("stock.shipment.out.return", "receive", shipments, default);
        await _rpc.ButtonAsync("stock.shipment.out.return", "done", shipments, default);
        var (after, _) = await DrainAsync(_adapter.PullOrderStatusAsync, cursor2);
        Assert.That(after.Where(c => c.OrderNumber == returnNo).Select(c => c.State), Is.EqualTo(new[] { ErpOrderState.Shipped }));
    }
}

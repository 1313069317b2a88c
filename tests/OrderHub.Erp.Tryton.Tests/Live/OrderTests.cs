using OrderHub.Erp.Tryton.Rpc;
using OrderHub.Erp.Tryton.Tests.Support;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;
using static OrderHub.Erp.Tryton.Tests.Support.SeededTryton;

namespace OrderHub.Erp.Tryton.Tests.Live;

/// <summary>Pushing orders into Tryton as sales and following their state.</summary>
public sealed class OrderTests
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
    public async Task Push_creates_one_confirmed_sale_with_the_order_lines_and_prices()
    {
        var order = NewOrder();

        var pushed = await _adapter.PushOrderAsync(order, default);

        var sales = await SalesWithReferenceAsync(order.OrderNumber);
        Assert.That(sales, Has.Count.EqualTo(1));
        var sale = sales[0];
        Assert.That(pushed, Is.EqualTo(new ErpOrderRef(sale.Id.ToString(), order.OrderNumber)));
        Assert.That(sale.String("state"), Is.EqualTo("processing"), "confirmed, and with no queue worker processed at once");
        Assert.That(sale.Int("party"), Is.EqualTo(Seed.PartyIds["C001"]));
        var lines = await _rpc.ReadAsync("sale.line", sale.Ids("lines"), ["product", "quantity", "unit_price", "unit"], default);
        Assert.That(lines.Select(l => (l.Int("product"), l.Double("quantity"), l.DecimalOrNull("unit_price"))), Is.EquivalentTo(new[]
        {
            (Seed.ProductIds["TEA-001"], 12.0, (decimal?)78.50m),
            (Seed.ProductIds["CUP-001"], 2.0, (decimal?)10.80m),
        }));
        Assert.That(lines.All(l => l.IntOrNull("unit") is not null), "on_change filled the unit");
    }

    [Test]
    public async Task The_invoice_title_goes_into_the_sales_comment_since_Tryton_60_has_no_invoice_title_fields()
    {
        var account = Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString();
        var order = NewOrder() with
        {
            Invoice = new ErpInvoiceTitle(ErpInvoiceTitle.Special, "杭州某某贸易有限公司", "91330106MA2KXXXX1Q", "工商银行杭州文三路支行", account, "杭州市西湖区文三路 1 号", "0571-88886666"),
        };
        await _adapter.PushOrderAsync(order, default);

        var sale = (await SalesWithReferenceAsync(order.OrderNumber)).Single();
        var comment = (await _rpc.ReadAsync("sale.sale", [sale.Id], ["comment"], default)).Single().String("comment");
        Assert.That(comment, Does.Contain($"发票：专票 杭州某某贸易有限公司 税号 91330106MA2KXXXX1Q 开户行 工商银行杭州文三路支行 账号 {account} 地址 杭州市西湖区文三路 1 号 电话 0571-88886666"));
    }

    [Test]
    public async Task Find_returns_the_pushed_sale_and_the_job_path_never_creates_a_second_one()
    {
        var order = NewOrder();
        Assert.That(await _adapter.FindOrderAsync(order.OrderNumber, default), Is.Null);

        // What a push job does on every attempt: look the order up first, push only when absent.
        var first = await _adapter.FindOrderAsync(order.OrderNumber, default) ?? await _adapter.PushOrderAsync(order, default);
        var found = await _adapter.FindOrderAsync(order.OrderNumber, default);
        var second = found ?? await _adapter.PushOrderAsync(order, default);
        var pushedAgain = await _adapter.PushOrderAsync(order, default); // even a blind retry finds it

        Assert.That(found, Is.EqualTo(first));
        Assert.That(second, Is.EqualTo(first));
        Assert.That(pushedAgain, Is.EqualTo(first));
        Assert.That(await SalesWithReferenceAsync(order.OrderNumber), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Shipping_the_sale_in_Tryton_is_reported_as_Shipped()
    {
        var (_, cursor) = await DrainAsync(_adapter.PullOrderStatusAsync, null);
        var order = NewOrder();
        var pushed = await _adapter.PushOrderAsync(order, default);

        var (confirmed, cursor2) = await DrainAsync(_adapter.PullOrderStatusAsync, cursor);
        Assert.That(confirmed.Select(c => (c.OrderNumber, c.ErpOrderId, c.State)),
            Is.EqualTo(new[] { (order.OrderNumber, pushed.ErpOrderId, ErpOrderState.Confirmed) }));

        await Seed.ShipSaleAsync(int.Parse(pushed.ErpOrderId));
        var (shipped, cursor3) = await DrainAsync(_adapter.PullOrderStatusAsync, cursor2);

        Assert.That(shipped.Select(c => (c.OrderNumber, c.State)), Is.EqualTo(new[] { (order.OrderNumber, ErpOrderState.Shipped) }));
        Assert.That((await _adapter.PullOrderStatusAsync(cursor3, default)).Items, Is.Empty);
    }

    [Test]
    public async Task Cancelling_a_quotation_in_Tryton_is_reported_as_Cancelled()
    {
        var (_, cursor) = await DrainAsync(_adapter.PullOrderStatusAsync, null);
        var reference = "OH-" + Guid.NewGuid().ToString("N")[..10];
        var saleId = await Seed.CreateQuotationAsync(reference, "C002", "POT-001");

        var (quoted, cursor2) = await DrainAsync(_adapter.PullOrderStatusAsync, cursor);
        Assert.That(quoted, Is.Empty, "quotations are not reported");

        await Seed.CancelSaleAsync(saleId);
        var (cancelled, _) = await DrainAsync(_adapter.PullOrderStatusAsync, cursor2);
        Assert.That(cancelled.Select(c => (c.OrderNumber, c.State)), Is.EqualTo(new[] { (reference, ErpOrderState.Cancelled) }));
    }

    [Test]
    public async Task An_order_over_the_credit_limit_stays_a_quotation_and_the_push_is_incomplete_with_Tryton_s_message()
    {
        // Tryton's sale_credit_limit raises a warning when confirming a sale over the party's limit.
        var order = NewOrder() with { CustomerCode = TrytonSeed.SmallCreditCustomer, Lines = [new ErpOrderLine("POT-001", 10, 16_800)] };

        var incomplete = Assert.ThrowsAsync<ErpOrderIncompleteException>(() => _adapter.PushOrderAsync(order, default));
        Assert.That(incomplete!.Message, Does.Contain("credit limit"), "Tryton's own words");
        Assert.That(incomplete.ErpState, Is.EqualTo("quotation"));
        var sale = (await SalesWithReferenceAsync(order.OrderNumber)).Single();
        Assert.That(sale.String("state"), Is.EqualTo("quotation"));
        Assert.That(incomplete.ErpOrderId, Is.EqualTo(sale.Id.ToString()));
        Assert.ThrowsAsync<ErpOrderIncompleteException>(() => _adapter.FindOrderAsync(order.OrderNumber, default),
            "find-before-push does not take a quotation for a sent order");

        // Once a person accepts the warning (here: the setting), the next find resumes the same sale to confirmed.
        using var accepting = new TrytonErpAdapter(Server.AdminOptions() with { AcceptConfirmWarnings = true });
        var found = await accepting.FindOrderAsync(order.OrderNumber, default);
        Assert.That(found?.ErpOrderId, Is.EqualTo(sale.Id.ToString()));
        Assert.That((await SalesWithReferenceAsync(order.OrderNumber)).Single().String("state"), Is.EqualTo("processing"));
        var other = NewOrder() with { CustomerCode = TrytonSeed.SmallCreditCustomer, Lines = [new ErpOrderLine("POT-001", 10, 16_800)] };
        await accepting.PushOrderAsync(other, default);
        Assert.That((await SalesWithReferenceAsync(other.OrderNumber)).Single().String("state"), Is.EqualTo("processing"));
    }

    [Test]
    public async Task An_unknown_customer_is_rejected_and_leaves_no_sale()
    {
        var order = NewOrder() with { CustomerCode = "NOPE" };

        Assert.ThrowsAsync<ErpRejectedException>(() => _adapter.PushOrderAsync(order, default));
        Assert.That(await SalesWithReferenceAsync(order.OrderNumber), Is.Empty);
    }

    [Test]
    public async Task An_unknown_product_is_rejected_and_leaves_no_sale()
    {
        var order = NewOrder() with { Lines = [new ErpOrderLine("NOPE-1", 1, 100)] };

        Assert.ThrowsAsync<ErpRejectedException>(() => _adapter.PushOrderAsync(order, default));
        Assert.That(await SalesWithReferenceAsync(order.OrderNumber), Is.Empty);
    }

    private static ErpOrder NewOrder() => new(
        OrderNumber: "OH-" + Guid.NewGuid().ToString("N")[..10],
        CustomerCode: "C001",
        WarehouseCode: TrytonSeed.WarehouseCode,
        Lines: [new ErpOrderLine("TEA-001", 12, 7850), new ErpOrderLine("CUP-001", 2, 1080)],
        DeliveryAddress: "上海市静安区南京西路 100 号 3 楼",
        Note: "请周五前送达");

    private Task<List<TrytonRecord>> SalesWithReferenceAsync(string reference) =>
        _rpc.SearchReadAsync("sale.sale", [D("reference", "=", reference)], ["state", "party", "lines"], default);
}

using OrderHub.Erp.SqlDatabase.Tests.Support;

namespace OrderHub.Erp.SqlDatabase.Tests;

public class OrderTests
{
    [Test]
    public async Task Push_writes_header_and_lines_with_the_order_number_as_external_reference()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());

        var pushed = await adapter.PushOrderAsync(SampleOrders.Sample("OH-2001"), CancellationToken.None);

        Assert.That(pushed.OrderNumber, Is.EqualTo("OH-2001"));
        Assert.That(pushed.ErpOrderId, Does.StartWith("SO"));
        Assert.That(await erp.ScalarAsync<string>("SELECT cexternalcode FROM so_main WHERE csocode = @id", new { id = pushed.ErpOrderId }), Is.EqualTo("OH-2001"));
        Assert.That(await erp.ScalarAsync<decimal>("SELECT isum FROM so_main WHERE csocode = @id", new { id = pushed.ErpOrderId }), Is.EqualTo(141.60m));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM so_details"), Is.EqualTo(2));
        Assert.That(await erp.ScalarAsync<decimal>("SELECT iunitprice FROM so_details WHERE cinvcode = 'P001'"), Is.EqualTo(1.80m));
        Assert.That(await adapter.FindOrderAsync("OH-2001", CancellationToken.None), Is.EqualTo(pushed));
        Assert.That(await adapter.FindOrderAsync("OH-9999", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_retry_after_find_makes_no_second_order()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());
        var first = await adapter.PushOrderAsync(SampleOrders.Sample("OH-2002"), CancellationToken.None);

        // The sync job retries (e.g. the first answer was lost): it finds the order and does not push again…
        var found = await adapter.FindOrderAsync("OH-2002", CancellationToken.None);
        // …and even a blind second push returns the first order.
        var again = await adapter.PushOrderAsync(SampleOrders.Sample("OH-2002"), CancellationToken.None);

        Assert.That(found, Is.EqualTo(first));
        Assert.That(again, Is.EqualTo(first));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM so_main"), Is.EqualTo(1));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM so_details"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_line_the_erp_refuses_rolls_back_the_whole_order()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options());

        Assert.ThrowsAsync<ErpRejectedException>(() => adapter.PushOrderAsync(SampleOrders.Sample("OH-2003", product2: "NO-SUCH"), CancellationToken.None));
        Assert.ThrowsAsync<ErpRejectedException>(() => adapter.PushOrderAsync(SampleOrders.Sample("OH-2004", customer: "C999"), CancellationToken.None));

        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM so_main"), Is.Zero);
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM so_details"), Is.Zero);
        Assert.That(await adapter.FindOrderAsync("OH-2003", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Push_through_a_stored_procedure_call()
    {
        var erp = await SampleErpDatabase.CreateAsync();
        var adapter = new SqlDatabaseErpAdapter(erp.Options(o => o.PushOrder = new SqlPushOrderCommands
        {
            StoredProcedureCall = "SELECT orderhub_create_so(@orderNumber, @customerCode, @warehouseCode, @deliveryAddress, @note, @orderedAt, CAST(@linesJson AS jsonb))",
        }));

        var pushed = await adapter.PushOrderAsync(SampleOrders.Sample("OH-2005"), CancellationToken.None);
        var again = await adapter.PushOrderAsync(SampleOrders.Sample("OH-2005"), CancellationToken.None);

        Assert.That(again, Is.EqualTo(pushed));
        Assert.That(await erp.ScalarAsync<decimal>("SELECT isum FROM so_main WHERE csocode = @id", new { id = pushed.ErpOrderId }), Is.EqualTo(141.60m));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM so_details"), Is.EqualTo(2));
        Assert.ThrowsAsync<ErpRejectedException>(() => adapter.PushOrderAsync(SampleOrders.Sample("OH-2006", product2: "NO-SUCH"), CancellationToken.None));
        Assert.That(await erp.ScalarAsync<long>("SELECT count(*) FROM so_main"), Is.EqualTo(1));
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OrderHub.Application.Data;
using OrderHub.DemoData;
using OrderHub.Erp.Demo;

namespace OrderHub.Demo;

/// <summary>
/// The in-process demo ERP of the one-command run: its own SQLite file beside OrderHub's database (<c>Erp:Demo:FilePath</c>,
/// default "&lt;main db name&gt;-demo-erp.db"), seeded on first use from the same generated distributor as OrderHub's demo
/// data (<c>Demo:Size</c>, <c>Demo:RandomSeed</c>), so product, customer and warehouse codes match. A file that is already
/// seeded is used as it is: the data set is not generated again, and what changed in the ERP since stays.
/// </summary>
public sealed class DemoErpHost
{
    private readonly DemoOptions _demo;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly Lazy<Task> _seeded;

    public DemoErpHost(DemoErpOptions options, DemoOptions demo, Db db, TimeProvider clock, ILogger<DemoErpHost> log)
    {
        _demo = demo;
        _clock = clock;
        _log = log;
        if (string.IsNullOrWhiteSpace(options.FilePath)) options.FilePath = DefaultFile(db.ConnectionString);
        Erp = new DemoErp(options, clock);
        Simulator = new DemoErpSimulator(Erp);
        _seeded = new Lazy<Task>(SeedAsync);
    }

    public DemoErp Erp { get; }
    public DemoErpSimulator Simulator { get; }

    public Task EnsureSeededAsync(CancellationToken ct = default) => _seeded.Value.WaitAsync(ct);

    private async Task SeedAsync()
    {
        var size = DemoDataSize.Parse(_demo.Size);
        var seed = _demo.RandomSeed;
        // The data set is built only when the file is still empty: not at every start over a seeded file.
        var seeded = await Erp.SeedIfEmptyAsync(() => DemoDataGenerator.Generate(size, seed, _clock.GetUtcNow()));
        _log.LogInformation("Demo ERP at {File} {What}", Erp.Options.FilePath, seeded ? "seeded from the demo data set" : "ready");
    }

    /// <summary>"data/orderhub.db" → "data/orderhub-demo-erp.db"; for PostgreSQL "data/demo-erp-&lt;database&gt;.db".</summary>
    public static string DefaultFile(string connectionString)
    {
        if (Db.DetectDialect(connectionString) == SqlDialect.Postgres)
        {
            var database = connectionString.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0].Trim().Equals("Database", StringComparison.OrdinalIgnoreCase))?[1].Trim();
            return Path.Combine("data", $"demo-erp-{(string.IsNullOrEmpty(database) ? "orderhub" : database)}.db");
        }
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || file.StartsWith("file:", StringComparison.Ordinal)) return Path.Combine("data", "demo-erp.db");
        return Path.Combine(Path.GetDirectoryName(file) ?? "", Path.GetFileNameWithoutExtension(file) + "-demo-erp.db");
    }
}

/// <summary>The demo adapter, seeding the demo ERP before its first call.</summary>
public sealed class SeededDemoErpAdapter(DemoErpHost host) : OrderHub.Erp.IErpAdapter
{
    private readonly DemoErpAdapter _inner = new(host.Erp);

    public string Name => _inner.Name;

    public async Task<OrderHub.Erp.ErpPage<OrderHub.Erp.ErpProduct>> PullProductsAsync(string? cursor, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.PullProductsAsync(cursor, ct); }
    public async Task<OrderHub.Erp.ErpPage<OrderHub.Erp.ErpStockLevel>> PullStockAsync(string? cursor, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.PullStockAsync(cursor, ct); }
    public async Task<OrderHub.Erp.ErpPage<OrderHub.Erp.ErpPrice>> PullPricesAsync(string? cursor, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.PullPricesAsync(cursor, ct); }
    public async Task<OrderHub.Erp.ErpPage<OrderHub.Erp.ErpCustomer>> PullCustomersAsync(string? cursor, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.PullCustomersAsync(cursor, ct); }
    public async Task<OrderHub.Erp.ErpPage<OrderHub.Erp.ErpPayment>> PullPaymentsAsync(string? cursor, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.PullPaymentsAsync(cursor, ct); }
    public async Task<OrderHub.Erp.ErpOrderRef?> FindOrderAsync(string orderNumber, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.FindOrderAsync(orderNumber, ct); }
    public async Task<OrderHub.Erp.ErpOrderRef> PushOrderAsync(OrderHub.Erp.ErpOrder order, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.PushOrderAsync(order, ct); }
    public async Task<OrderHub.Erp.ErpReturnRef?> FindReturnAsync(string returnNumber, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.FindReturnAsync(returnNumber, ct); }
    public async Task<OrderHub.Erp.ErpReturnRef> PushReturnAsync(OrderHub.Erp.ErpReturn r, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.PushReturnAsync(r, ct); }
    public async Task<OrderHub.Erp.ErpReceiptRef?> FindReceiptAsync(string receiptNumber, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.FindReceiptAsync(receiptNumber, ct); }
    public async Task<OrderHub.Erp.ErpReceiptRef> PushReceiptAsync(OrderHub.Erp.ErpReceipt receipt, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.PushReceiptAsync(receipt, ct); }
    public async Task<OrderHub.Erp.ErpRefundRef?> FindRefundAsync(string refundNumber, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.FindRefundAsync(refundNumber, ct); }
    public async Task<OrderHub.Erp.ErpRefundRef> PushRefundAsync(OrderHub.Erp.ErpRefund refund, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.PushRefundAsync(refund, ct); }
    public async Task<OrderHub.Erp.ErpPage<OrderHub.Erp.ErpOrderStatusChange>> PullOrderStatusAsync(string? cursor, CancellationToken ct) { await host.EnsureSeededAsync(ct); return await _inner.PullOrderStatusAsync(cursor, ct); }
}

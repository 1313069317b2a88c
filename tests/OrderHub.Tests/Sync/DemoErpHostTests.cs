using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Application.Data;
using OrderHub.Demo;
using OrderHub.Erp.Demo;

namespace OrderHub.Tests.Sync;

public class DemoErpHostTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 3, 9, 0, 0, TimeSpan.FromHours(8));
    private string _file = null!;

    [SetUp]
    public void NewFile() => _file = Path.Combine(Path.GetTempPath(), $"demo-erp-host-{Guid.NewGuid():N}.db");

    [TearDown]
    public void DeleteFile()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
    }

    [Test]
    public async Task A_restart_over_a_seeded_file_keeps_the_ERP_as_it_is_and_generates_nothing()
    {
        var first = Host(new CountingClock(Start));
        await first.EnsureSeededAsync();
        var desk = new DemoErpDesk(_file);
        var products = await desk.ScalarAsync<long>("SELECT COUNT(*) FROM products");
        var seq = await desk.ScalarAsync<long>("SELECT value FROM change_seq");
        var sku = await desk.ScalarAsync<string>("SELECT MIN(code) FROM products");
        var customer = await desk.ScalarAsync<string>("SELECT MIN(code) FROM customers");
        Assert.That(products, Is.EqualTo(300));

        // Work done in the ERP between the two starts.
        await desk.SetStockAsync(sku, "WH-BY", 4321, Start.ToUnixTimeMilliseconds());
        await desk.AddPaymentAsync("PAY-RESTART", customer, 10_000, Start.ToUnixTimeMilliseconds());
        SqliteConnection.ClearAllPools();

        // A different seed would give other data: a restart that reseeded or regenerated would show it.
        var clock = new CountingClock(Start.AddDays(1));
        var second = Host(clock, seed: "42");
        await second.EnsureSeededAsync();

        // Generating places the data around "now" and seeding stamps the rows with it: neither happened.
        Assert.That(clock.Reads, Is.Zero, "the data set was generated again");
        Assert.That(await desk.ScalarAsync<long>("SELECT COUNT(*) FROM products"), Is.EqualTo(products));
        Assert.That(await desk.ScalarAsync<long>("SELECT value FROM change_seq"), Is.EqualTo(seq + 2));
        Assert.That(await desk.ScalarAsync<long>("SELECT on_hand FROM stock WHERE product_code = @sku AND warehouse_code = 'WH-BY'", new { sku }), Is.EqualTo(4321));
        Assert.That(await desk.ScalarAsync<long>("SELECT COUNT(*) FROM payments WHERE reference = 'PAY-RESTART'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_fresh_start_seeds_the_demo_data_set()
    {
        var clock = new CountingClock(Start);
        await Host(clock).EnsureSeededAsync();
        var desk = new DemoErpDesk(_file);
        Assert.That(clock.Reads, Is.GreaterThan(0));
        Assert.That(await desk.ScalarAsync<long>("SELECT COUNT(*) FROM customers"), Is.EqualTo(60));
        Assert.That(await desk.ScalarAsync<long>("SELECT MIN(changed_at) FROM products"), Is.EqualTo(Start.ToUnixTimeMilliseconds()));
    }

    private DemoErpHost Host(TimeProvider clock, string seed = "20261125")
    {
        return new DemoErpHost(new DemoErpOptions { FilePath = _file }, new DemoOptions { Size = "demo", RandomSeed = int.Parse(seed) },
            new Db($"Data Source={_file}.main.db"), clock, NullLogger<DemoErpHost>.Instance);
    }

    private sealed class CountingClock(DateTimeOffset now) : TimeProvider
    {
        public int Reads;
        public override DateTimeOffset GetUtcNow() { Interlocked.Increment(ref Reads); return now; }
    }
}

using Microsoft.Data.Sqlite;
using OrderHub.DemoData;
using OrderHub.Testing;

namespace OrderHub.Erp.Demo.Tests;

/// <summary>A demo ERP in a temp file, seeded from the small demo set, on a manual clock.</summary>
public abstract class DemoErpFixture
{
    protected static readonly DateTimeOffset Start = new(2025, 3, 3, 9, 0, 0, TimeSpan.FromHours(8));
    private readonly List<string> _files = [];

    protected ManualClock Clock = null!;
    protected DemoDataSet Data = null!;

    [SetUp]
    public void NewClock()
    {
        Clock = new ManualClock(Start);
        Data = DemoDataGenerator.Generate(DemoDataSize.Demo, seed: 1, Start);
    }

    [TearDown]
    public void DeleteFiles()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in _files)
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(f + suffix);
    }

    protected string NewFile()
    {
        var f = Path.Combine(Path.GetTempPath(), $"demo-erp-{Guid.NewGuid():N}.db");
        _files.Add(f);
        return f;
    }

    protected async Task<(DemoErp Erp, DemoErpAdapter Adapter, DemoErpSimulator Simulator)> SeededAsync(Action<DemoErpOptions>? change = null)
    {
        var options = new DemoErpOptions { FilePath = NewFile(), PageSize = 100 };
        change?.Invoke(options);
        var erp = new DemoErp(options, Clock);
        Assert.That(await erp.SeedIfEmptyAsync(Data), Is.True);
        return (erp, new DemoErpAdapter(erp), new DemoErpSimulator(erp));
    }

    protected static async Task<(List<T> Items, string? Cursor)> ReadAllAsync<T>(Func<string?, CancellationToken, Task<ErpPage<T>>> pull, string? cursor = null)
    {
        var items = new List<T>();
        for (var calls = 0; calls < 1000; calls++)
        {
            var page = await pull(cursor, CancellationToken.None);
            items.AddRange(page.Items);
            cursor = page.NextCursor;
            if (!page.HasMore) return (items, cursor);
        }
        throw new InvalidOperationException("paging does not end");
    }

    protected static ErpOrder Order(string number, string customer, params (string Sku, long Qty)[] lines) =>
        new(number, customer, null, lines.Select(l => new ErpOrderLine(l.Sku, l.Qty, 100)).ToList(), "广州市天河区", null);
}

using OrderHub.Erp.Tryton.Rpc;
using OrderHub.Erp.Tryton.Tests.Support;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Tests.Randomised;

/// <summary>
/// A Tryton of its own for the tests in this namespace: the base seed plus a <see cref="TrytonRandomWorld"/> from a seed
/// printed in the test output (replay with ORDERHUB_TRYTON_SEED=&lt;seed&gt;).
/// </summary>
[SetUpFixture]
public sealed class RandomisedTryton
{
    public static TrytonServer Server { get; private set; } = null!;
    public static TrytonSeed Seed { get; private set; } = null!;
    public static TrytonRandomWorld World { get; private set; } = null!;
    public static TrytonJsonRpcClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var started = DateTime.UtcNow;
        Server = await TrytonServer.StartAsync();
        Client = new TrytonJsonRpcClient(Server.AdminOptions());
        Seed = new TrytonSeed(Client);
        await Seed.BuildAsync();
        var seed = TrytonRandomWorld.NextSeed();
        TestContext.Progress.WriteLine($"Randomised Tryton world: seed {seed} (replay with ORDERHUB_TRYTON_SEED={seed})");
        World = new TrytonRandomWorld(Client, Seed, seed);
        await World.BuildAsync();
        TestContext.Progress.WriteLine(
            $"  {World.Products.Count} products ({World.Products.Count(p => p.Code is null)} without code), {World.Stores.Count} stores " +
            $"({World.StoresWithList.Count()} on {World.PriceListNames.Count} price lists), {World.OtherParties.Count} other parties, " +
            $"warehouses WH + {string.Join(", ", World.WarehouseCodes)}; built in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Client?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }

    public static TrytonErpAdapter NewAdapter(Func<TrytonOptions, TrytonOptions>? configure = null, IErpDataIssues? issues = null) =>
        new((configure ?? (o => o))(Server.AdminOptions()), issues: issues);

    /// <summary>
    /// What Tryton charges <paramref name="party"/> for <paramref name="quantity"/> of <paramref name="product"/>: a sale line's
    /// unit price after its product on_change, the way the Tryton client fills it.
    /// </summary>
    public static async Task<decimal> SaleLinePriceAsync(int party, int priceList, int product, long quantity)
    {
        var currency = (await Client.ReadAsync("company.company", [Seed.CompanyId], ["currency"], default)).Single().Int("currency");
        var values = new Dictionary<string, object?>
        {
            ["product"] = product, ["quantity"] = (double)quantity, ["company"] = Seed.CompanyId,
            ["_parent_sale.party"] = party, ["_parent_sale.price_list"] = priceList, ["_parent_sale.currency"] = currency,
            ["_parent_sale.company"] = Seed.CompanyId, ["_parent_sale.sale_date"] = null,
        };
        var changes = await Client.OnChangeAsync("sale.line", "product", values, default);
        return (decimal)changes["unit_price"]!;
    }

    public static async Task<List<TrytonRecord>> SalesWithReferenceAsync(string reference) =>
        await Client.SearchReadAsync("sale.sale", [D("reference", "=", reference)], ["state", "party", "lines", "warehouse"], default);

    /// <summary>Pulls until HasMore is false.</summary>
    public static Task<(List<T> Items, string? Cursor)> DrainAsync<T>(Func<string?, CancellationToken, Task<ErpPage<T>>> pull, string? cursor = null) =>
        SeededTryton.DrainAsync(pull, cursor);
}

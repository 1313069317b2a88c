using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Tests.Support;

public sealed record RandomProduct(int Id, string? Code, string Name, decimal ListPrice, int Category);

public sealed record RandomStore(int PartyId, string Code, int? PriceList);

/// <summary>
/// A distributor's Tryton as someone else set it up, generated from a seed (printed by the test, so a failure can be
/// replayed with <c>ORDERHUB_TRYTON_SEED=&lt;seed&gt;</c>): a random number of products with 4-decimal list prices in
/// nested categories (some without a code), extra warehouses, stores in party category 门店 (with a customer payment term),
/// suppliers in category 供应商 and carriers/contacts that Tryton numbers like everyone else, and sale price lists with
/// lines of every kind — product, category, all products, fixed prices and formulas, quantity tiers — in random order,
/// some shared by several stores. Built on top of <see cref="TrytonSeed"/>.
/// </summary>
public sealed class TrytonRandomWorld(TrytonJsonRpcClient rpc, TrytonSeed seed, int randomSeed)
{
    public const string StoreCategory = "门店";
    public const string SupplierCategory = "供应商";
    private readonly Random _rng = new(randomSeed);

    public int Seed => randomSeed;
    public List<RandomProduct> Products { get; } = [];
    public List<RandomStore> Stores { get; } = [];
    public List<int> OtherParties { get; } = [];
    public List<string> WarehouseCodes { get; } = [];
    public Dictionary<int, string> PriceListNames { get; } = [];

    /// <summary>The seed to use: ORDERHUB_TRYTON_SEED when set (replaying a failure), else a fresh one.</summary>
    public static int NextSeed() =>
        int.TryParse(Environment.GetEnvironmentVariable("ORDERHUB_TRYTON_SEED"), out var s) ? s : Random.Shared.Next(1, 1_000_000);

    public async Task BuildAsync(CancellationToken ct = default)
    {
        var categories = await CategoriesAsync(ct);
        var productCount = _rng.Next(8, 19);
        for (var i = 0; i < productCount; i++)
        {
            // At least one product without a code (the fourth), more by chance.
            var withCode = i != 3 && (i < 3 || _rng.NextDouble() > 0.15);
            var code = withCode ? $"R{randomSeed % 1000:000}-{i:000}" : null;
            // 4 decimals, as a Tryton list price may have: e.g. 37.4567.
            var listPrice = _rng.Next(100, 40_000) / 100m + _rng.Next(0, 100) / 10_000m;
            var category = categories[_rng.Next(categories.Count)];
            var name = $"随机商品 {randomSeed}-{i}";
            var template = await rpc.CreateOneAsync("product.template", new()
            {
                ["name"] = name, ["code"] = code, ["type"] = "goods", ["default_uom"] = seed.UnitId, ["sale_uom"] = seed.UnitId,
                ["salable"] = true, ["list_price"] = listPrice, ["account_category"] = seed.AccountingCategoryId,
                ["categories"] = new object?[] { new object?[] { "add", new[] { category } } },
                ["products"] = Create(new Dictionary<string, object?>()),
            }, ct);
            var id = (await rpc.SearchAsync("product.product", [D("template", "=", template)], ct)).Single();
            Products.Add(new RandomProduct(id, code, name, listPrice, category));
        }

        var warehouses = _rng.Next(1, 3);
        for (var i = 0; i < warehouses; i++) WarehouseCodes.Add(await WarehouseAsync($"W{randomSeed % 1000}{i}", ct));

        var storeCategory = await rpc.CreateOneAsync("party.category", new() { ["name"] = StoreCategory }, ct);
        var supplierCategory = await rpc.CreateOneAsync("party.category", new() { ["name"] = SupplierCategory }, ct);
        var lists = new List<int>();
        var listCount = _rng.Next(2, 4);
        for (var i = 0; i < listCount; i++) lists.Add(await PriceListAsync(i, categories, ct));

        var storeCount = _rng.Next(3, 7);
        for (var i = 0; i < storeCount; i++)
        {
            // The first stores take each list once (so at least two stores have lists); then lists are shared or absent.
            int? list = i < lists.Count ? lists[i] : _rng.NextDouble() < 0.6 ? lists[_rng.Next(lists.Count)] : null;
            var code = $"S{randomSeed % 1000:000}-{i}";
            var party = await rpc.CreateOneAsync("party.party", new()
            {
                ["name"] = $"随机门店 {i}", ["code"] = code, ["customer_payment_term"] = seed.PaymentTermId,
                ["categories"] = new object?[] { new object?[] { "add", new[] { storeCategory } } },
                ["addresses"] = Create(new Dictionary<string, object?> { ["street"] = $"测试路 {i} 号", ["city"] = "苏州" }),
            }, ct);
            if (list is not null)
                await rpc.WriteAsync("party.party", [party], new() { ["sale_price_list"] = list }, ct);
            Stores.Add(new RandomStore(party, code, list));
        }
        // Suppliers, a carrier, employees' contacts: Tryton numbers them from its party sequence like any party.
        var others = _rng.Next(3, 7);
        for (var i = 0; i < others; i++)
        {
            var supplier = i % 2 == 0;
            OtherParties.Add(await rpc.CreateOneAsync("party.party", new()
            {
                ["name"] = supplier ? $"随机供应商 {i}" : $"随机联系人 {i}",
                ["categories"] = supplier ? new object?[] { new object?[] { "add", new[] { supplierCategory } } } : null,
                ["supplier_payment_term"] = supplier ? seed.PaymentTermId : null,
                ["addresses"] = Create(new Dictionary<string, object?> { ["city"] = "宁波" }),
            }, ct));
        }
    }

    public IEnumerable<RandomProduct> CodedProducts => Products.Where(p => p.Code is not null);
    public IEnumerable<RandomStore> StoresWithList => Stores.Where(s => s.PriceList is not null);

    private async Task<List<int>> CategoriesAsync(CancellationToken ct)
    {
        var result = new List<int>();
        foreach (var name in new[] { "饮料", "零食", "器具" }.Take(_rng.Next(2, 4)))
        {
            var parent = await rpc.CreateOneAsync("product.category", new() { ["name"] = $"{name} {randomSeed}" }, ct);
            var child = await rpc.CreateOneAsync("product.category", new() { ["name"] = $"{name}-子类", ["parent"] = parent }, ct);
            result.Add(parent);
            result.Add(child);
        }
        return result;
    }

    /// <summary>A price list with random lines of every kind, in random order.</summary>
    private async Task<int> PriceListAsync(int index, List<int> categories, CancellationToken ct)
    {
        var coded = CodedProducts.ToList();
        var lines = new List<Dictionary<string, object?>>();
        string Factor() => $"{0.7m + _rng.Next(0, 3000) / 10_000m}";           // 0.7000 .. 0.9999
        string Fixed() => $"{_rng.Next(100, 20_000) / 100m + _rng.Next(0, 100) / 10_000m}";
        double? Quantity() => _rng.NextDouble() < 0.5 ? null : _rng.Next(2, 25) + (_rng.NextDouble() < 0.2 ? 0.5 : 0);
        for (var i = _rng.Next(2, 6); i > 0; i--)
            lines.Add(new() { ["product"] = coded[_rng.Next(coded.Count)].Id, ["quantity"] = Quantity(), ["formula"] = _rng.NextDouble() < 0.5 ? Fixed() : $"unit_price * {Factor()}" });
        for (var i = _rng.Next(1, 3); i > 0; i--)
            lines.Add(new() { ["category"] = categories[_rng.Next(categories.Count)], ["quantity"] = Quantity(), ["formula"] = $"unit_price * {Factor()}" });
        if (_rng.NextDouble() < 0.7)
            lines.Add(new() { ["quantity"] = Quantity(), ["formula"] = $"list_price * {Factor()}" });
        var shuffled = lines.OrderBy(_ => _rng.Next()).ToList();
        for (var i = 0; i < shuffled.Count; i++) shuffled[i]["sequence"] = (i + 1) * 10;
        var name = $"随机价目表 {randomSeed}-{index}";
        var id = await rpc.CreateOneAsync("product.price_list", new()
        {
            ["name"] = name, ["company"] = seed.CompanyId, ["lines"] = Create([.. shuffled]),
        }, ct);
        PriceListNames[id] = name;
        return id;
    }

    private async Task<string> WarehouseAsync(string code, CancellationToken ct)
    {
        async Task<int> Zone(string name) => await rpc.CreateOneAsync("stock.location", new() { ["name"] = $"{code} {name}", ["type"] = "storage" }, ct);
        await rpc.CreateOneAsync("stock.location", new()
        {
            ["name"] = $"随机仓库 {code}", ["code"] = code, ["type"] = "warehouse",
            ["input_location"] = await Zone("收货区"), ["output_location"] = await Zone("发货区"), ["storage_location"] = await Zone("库存区"),
        }, ct);
        return code;
    }

    private static object?[] Create(params Dictionary<string, object?>[] records) => [new object?[] { "create", records }];
}

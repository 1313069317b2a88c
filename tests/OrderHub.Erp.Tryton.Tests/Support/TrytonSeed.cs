using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Tests.Support;

public sealed record SeedProduct(string Code, string Name, decimal ListPrice, bool IsGoods = true, int InitialStock = 0);

public sealed record SeedCustomer(string Code, string Name, string City, string Street, string Mobile, decimal? CreditLimit);

/// <summary>
/// Builds a small Chinese distributor's books in a fresh Tryton database over JSON-RPC (the way an ERP consultant
/// would click it together), and plays the ERP users' side in tests: stock counts, price changes, shipping, cancelling.
/// </summary>
public sealed class TrytonSeed(TrytonJsonRpcClient rpc)
{
    public const string WarehouseCode = "WH";
    public const string TieredCustomer = "C001";
    /// <summary>A customer with a 1 000 yuan credit limit, for orders over the limit.</summary>
    public const string SmallCreditCustomer = "C004";
    public static readonly string[] CategoryPath = ["食品", "茶叶"];

    public static readonly SeedProduct[] Products =
    [
        new("TEA-001", "铁观音 500g", 85.00m, InitialStock: 100),
        new("TEA-002", "龙井 250g", 60.50m, InitialStock: 50),
        new("CUP-001", "白瓷茶杯", 12.00m, InitialStock: 200),
        new("POT-001", "紫砂壶", 168.00m, InitialStock: 10),
        new("SVC-001", "上门安装", 50.00m, IsGoods: false),
    ];

    public static readonly SeedCustomer[] Customers =
    [
        new(TieredCustomer, "上海茶行有限公司", "上海", "南京西路 100 号", "+86 138 0000 0001", 100_000m),
        new("C002", "北京茶庄", "北京", "王府井大街 8 号", "+86 138 0000 0002", 50_000m),
        new("C003", "广州茶叶批发部", "广州", "芳村大道 1 号", "+86 138 0000 0003", null),
        new(SmallCreditCustomer, "深圳小额客户", "深圳", "华强北路 5 号", "+86 138 0000 0004", 1_000m),
    ];

    /// <summary>C001's price list: TEA-001 82.00, from 10 pieces 78.50; CUP-001 at 90 % of its list price (10.80).</summary>
    public static readonly (string Product, double? Quantity, string Formula)[] TieredPriceLines =
    [
        ("TEA-001", 10, "78.50"),
        ("TEA-001", null, "82.00"),
        ("CUP-001", null, "unit_price * 0.9"),
    ];

    public int CompanyId { get; private set; }
    public int WarehouseId { get; private set; }
    public int StorageLocationId { get; private set; }
    public int PriceListId { get; private set; }
    public Dictionary<string, int> ProductIds { get; } = [];
    public Dictionary<string, int> TemplateIds { get; } = [];
    public Dictionary<string, int> PartyIds { get; } = [];

    private int _receivableAccount, _cashAccount, _paymentTerm;
    public int PaymentTermId => _paymentTerm;
    public int AccountingCategoryId { get; private set; }
    public int UnitId { get; private set; }

    public async Task BuildAsync(CancellationToken ct = default)
    {
        await rpc.LoginAsync(ct);
        await CreateCompanyAsync(ct);
        await CreateChartOfAccountsAsync(ct);
        await CreateFiscalYearAsync(ct);
        _paymentTerm = await rpc.CreateOneAsync("account.invoice.payment_term", new()
        {
            ["name"] = "现结",
            ["lines"] = Create(new Dictionary<string, object?> { ["type"] = "remainder" }),
        }, ct);
        await CreateProductsAsync(ct);
        await CreateCustomersAsync(ct);
        await CreatePriceListAsync(ct);
        await LocateWarehouseAsync(ct);
        foreach (var product in Products.Where(p => p.InitialStock > 0))
            await SetStockAsync(product.Code, product.InitialStock, ct);
    }

    // ---- The ERP side in tests ----

    /// <summary>Counts <paramref name="productCode"/> in the warehouse as <paramref name="quantity"/> (an inventory).</summary>
    public async Task SetStockAsync(string productCode, decimal quantity, CancellationToken ct = default)
    {
        var inventory = await rpc.CreateOneAsync("stock.inventory", new()
        {
            ["location"] = StorageLocationId,
            ["lines"] = Create(new Dictionary<string, object?>
            {
                ["product"] = ProductIds[productCode], ["quantity"] = (double)quantity,
            }),
        }, ct);
        await rpc.ButtonAsync("stock.inventory", "confirm", [inventory], ct);
    }

    public Task SetListPriceAsync(string productCode, decimal listPrice, CancellationToken ct = default) =>
        rpc.WriteAsync("product.template", [TemplateIds[productCode]], new() { ["list_price"] = listPrice }, ct);

    public Task SetCreditLimitAsync(string customerCode, decimal? limit, CancellationToken ct = default) =>
        rpc.WriteAsync("party.party", [PartyIds[customerCode]], new() { ["credit_limit_amount"] = limit }, ct);

    /// <summary>Changes the formula of the tiered customer's price-list line for (product, quantity).</summary>
    public async Task SetPriceListLineAsync(string productCode, double? quantity, string formula, CancellationToken ct = default)
    {
        var lines = await rpc.SearchReadAsync("product.price_list.line",
            [D("price_list", "=", PriceListId), D("product", "=", ProductIds[productCode])], ["quantity"], ct);
        var line = lines.Single(l => l.Raw("quantity") is null ? quantity is null : l.Double("quantity") == quantity);
        await rpc.WriteAsync("product.price_list.line", [line.Id], new() { ["formula"] = formula }, ct);
    }

    /// <summary>Assigns (forcing), picks, packs and ships every customer shipment of the sale.</summary>
    public async Task ShipSaleAsync(int saleId, CancellationToken ct = default)
    {
        var sale = (await rpc.ReadAsync("sale.sale", [saleId], ["shipments"], ct)).Single();
        var shipments = sale.Ids("shipments");
        if (shipments.Count == 0) throw new InvalidOperationException($"Sale {saleId} has no shipment (is it confirmed?).");
        foreach (var button in new[] { "assign_force", "pick", "pack", "done" })
            await rpc.ButtonAsync("stock.shipment.out", button, shipments, ct);
    }

    /// <summary>
    /// Creates a quotation with an OrderHub reference straight in Tryton. Tryton 6.0 only cancels sales in draft or
    /// quotation (a confirmed sale is stopped by cancelling its shipment instead), so this is how a test gets a
    /// cancellable sale that came from OrderHub.
    /// </summary>
    public async Task<int> CreateQuotationAsync(string reference, string customerCode, string productCode, CancellationToken ct = default)
    {
        var party = (await rpc.ReadAsync("party.party", [PartyIds[customerCode]], ["addresses"], ct)).Single();
        var address = party.Ids("addresses")[0];
        var sale = await rpc.CreateOneAsync("sale.sale", new()
        {
            ["company"] = CompanyId,
            ["party"] = PartyIds[customerCode],
            ["invoice_address"] = address,
            ["shipment_address"] = address,
            ["payment_term"] = _paymentTerm,
            ["reference"] = reference,
            ["lines"] = Create(new Dictionary<string, object?>
            {
                ["product"] = ProductIds[productCode],
                ["quantity"] = 1.0,
                ["unit"] = await rpc.ModelDataIdAsync("product", "uom_unit", ct),
                ["unit_price"] = Products.Single(p => p.Code == productCode).ListPrice,
            }),
        }, ct);
        await rpc.ButtonAsync("sale.sale", "quote", [sale], ct);
        return sale;
    }

    public Task CancelSaleAsync(int saleId, CancellationToken ct = default) =>
        rpc.ButtonAsync("sale.sale", "cancel", [saleId], ct);

    /// <summary>Books a posted cash receipt from the customer (debit cash, credit the customer's receivable).</summary>
    public async Task<int> RecordPaymentAsync(string customerCode, decimal amount, CancellationToken ct = default)
    {
        var journal = await rpc.ModelDataIdAsync("account", "journal_cash", ct);
        var move = await rpc.CreateOneAsync("account.move", new()
        {
            ["journal"] = journal,
            ["date"] = DateOnly.FromDateTime(DateTime.Today),
            ["description"] = $"收款 {customerCode}",
            ["lines"] = Create(
                new Dictionary<string, object?> { ["account"] = _cashAccount, ["debit"] = amount, ["credit"] = 0m },
                new Dictionary<string, object?>
                {
                    ["account"] = _receivableAccount, ["party"] = PartyIds[customerCode], ["debit"] = 0m, ["credit"] = amount,
                }),
        }, ct);
        await rpc.ButtonAsync("account.move", "post", [move], ct);
        return move;
    }

    // ---- Building the books ----

    private async Task CreateCompanyAsync(CancellationToken ct)
    {
        // Tryton 6.0 ships no currencies.
        var cny = await rpc.CreateOneAsync("currency.currency", new()
        {
            ["name"] = "人民币", ["code"] = "CNY", ["symbol"] = "¥", ["rounding"] = 0.01m, ["digits"] = 2,
        }, ct);
        var party = await rpc.CreateOneAsync("party.party", new()
        {
            ["name"] = "OrderHub 测试贸易有限公司",
            ["addresses"] = Create(new Dictionary<string, object?> { ["city"] = "杭州" }),
        }, ct);
        CompanyId = await rpc.CreateOneAsync("company.company", new() { ["party"] = party, ["currency"] = cny }, ct);
        await rpc.WriteAsync("res.user", [rpc.UserId], new()
        {
            ["companies"] = new object?[] { new object?[] { "add", new[] { CompanyId } } },
            ["company"] = CompanyId,
        }, ct);
        await rpc.RefreshContextAsync(ct); // company-dependent fields need "company" in the context
    }

    private async Task CreateChartOfAccountsAsync(CancellationToken ct)
    {
        var template = await rpc.ModelDataIdAsync("account", "account_template_root_en", ct);
        var wizard = (List<object?>)(await rpc.CallAsync("wizard.account.create_chart.create", [], null, ct))!;
        var session = wizard[0];
        await rpc.CallAsync("wizard.account.create_chart.execute", [session,
            new Dictionary<string, object?>
            {
                ["account"] = new Dictionary<string, object?> { ["account_template"] = template, ["company"] = CompanyId },
            }, "create_account"], null, ct);
        _receivableAccount = await AccountAsync("type.receivable", ct);
        var payable = await AccountAsync("type.payable", ct);
        await rpc.CallAsync("wizard.account.create_chart.execute", [session,
            new Dictionary<string, object?>
            {
                ["properties"] = new Dictionary<string, object?>
                {
                    ["company"] = CompanyId, ["account_receivable"] = _receivableAccount, ["account_payable"] = payable,
                },
            }, "create_properties"], null, ct);
        await rpc.CallAsync("wizard.account.create_chart.delete", [session], null, ct);
        _cashAccount = (await rpc.SearchAsync("account.account",
            [D("company", "=", CompanyId), D("name", "=", "Main Cash")], ct, limit: 1)).Single();
    }

    private async Task CreateFiscalYearAsync(CancellationToken ct)
    {
        var year = DateTime.Today.Year;
        var moveSequence = await rpc.CreateOneAsync("ir.sequence", new()
        {
            ["name"] = $"{year} 凭证", ["company"] = CompanyId,
            ["sequence_type"] = await rpc.ModelDataIdAsync("account", "sequence_type_account_move", ct),
        }, ct);
        var invoiceSequence = await rpc.CreateOneAsync("ir.sequence.strict", new()
        {
            ["name"] = $"{year} 发票", ["company"] = CompanyId,
            ["sequence_type"] = await rpc.ModelDataIdAsync("account_invoice", "sequence_type_account_invoice", ct),
        }, ct);
        var fiscalYear = await rpc.CreateOneAsync("account.fiscalyear", new()
        {
            ["name"] = year.ToString(),
            ["start_date"] = new DateOnly(year, 1, 1),
            ["end_date"] = new DateOnly(year, 12, 31),
            ["company"] = CompanyId,
            ["post_move_sequence"] = moveSequence,
            ["invoice_sequences"] = Create(new Dictionary<string, object?>
            {
                ["company"] = CompanyId,
                ["out_invoice_sequence"] = invoiceSequence, ["in_invoice_sequence"] = invoiceSequence,
                ["out_credit_note_sequence"] = invoiceSequence, ["in_credit_note_sequence"] = invoiceSequence,
            }),
        }, ct);
        await rpc.ButtonAsync("account.fiscalyear", "create_period", [fiscalYear], ct);
    }

    private async Task CreateProductsAsync(CancellationToken ct)
    {
        var accounting = await rpc.CreateOneAsync("product.category", new()
        {
            ["name"] = "商品科目",
            ["accounting"] = true,
            ["account_revenue"] = await AccountAsync("type.revenue", ct),
            ["account_expense"] = await AccountAsync("type.expense", ct),
        }, ct);
        var food = await rpc.CreateOneAsync("product.category", new()
        {
            ["name"] = CategoryPath[0],
            ["childs"] = Create(new Dictionary<string, object?> { ["name"] = CategoryPath[1] }),
        }, ct);
        var tea = (await rpc.SearchAsync("product.category", [D("parent", "=", food)], ct)).Single();
        var unit = UnitId = await rpc.ModelDataIdAsync("product", "uom_unit", ct);
        AccountingCategoryId = accounting;

        foreach (var p in Products)
        {
            var template = await rpc.CreateOneAsync("product.template", new()
            {
                ["name"] = p.Name,
                ["code"] = p.Code,
                ["type"] = p.IsGoods ? "goods" : "service",
                ["default_uom"] = unit,
                ["sale_uom"] = unit,
                ["salable"] = true,
                ["list_price"] = p.ListPrice,
                ["account_category"] = accounting,
                ["categories"] = new object?[] { new object?[] { "add", new[] { tea } } },
                ["products"] = Create(new Dictionary<string, object?>()),
            }, ct);
            TemplateIds[p.Code] = template;
            ProductIds[p.Code] = (await rpc.SearchAsync("product.product", [D("template", "=", template)], ct)).Single();
        }
    }

    /// <summary>A uom in the category of the base 'Unit' (uom_unit): <paramref name="factor"/> units each (箱 = 24).</summary>
    public async Task<int> CreateUnitUomAsync(string name, double factor, CancellationToken ct = default)
    {
        var category = (await rpc.ReadAsync("product.uom", [UnitId], ["category"], ct)).Single().Int("category");
        return await rpc.CreateOneAsync("product.uom", new()
        {
            ["name"] = name, ["symbol"] = name, ["category"] = category,
            ["factor"] = factor, ["rate"] = Math.Round(1.0 / factor, 12), ["rounding"] = 1.0, ["digits"] = 0,
        }, ct);
    }

    /// <summary>A salable goods product in base 'Unit', sold in <paramref name="saleUom"/>; returns the product.product id.</summary>
    public async Task<int> CreateProductAsync(string code, string name, decimal listPrice, int saleUom, CancellationToken ct = default)
    {
        var tea = (await rpc.SearchAsync("product.category", [D("name", "=", CategoryPath[1])], ct)).First();
        var template = await rpc.CreateOneAsync("product.template", new()
        {
            ["name"] = name, ["code"] = code, ["type"] = "goods", ["default_uom"] = UnitId, ["sale_uom"] = saleUom, ["salable"] = true,
            ["list_price"] = listPrice, ["account_category"] = AccountingCategoryId,
            ["categories"] = new object?[] { new object?[] { "add", new[] { tea } } },
            ["products"] = Create(new Dictionary<string, object?>()),
        }, ct);
        TemplateIds[code] = template;
        return ProductIds[code] = (await rpc.SearchAsync("product.product", [D("template", "=", template)], ct)).Single();
    }

    /// <summary>A customer party (payment term, address) in the given party categories.</summary>
    public async Task<int> CreateStorePartyAsync(string code, string name, IReadOnlyList<int> categories, CancellationToken ct = default) =>
        PartyIds[code] = await rpc.CreateOneAsync("party.party", new()
        {
            ["name"] = name, ["code"] = code, ["customer_payment_term"] = _paymentTerm,
            ["addresses"] = Create(new Dictionary<string, object?> { ["street"] = "中山路 1 号", ["city"] = "上海", ["postal_code"] = "200000" }),
            ["categories"] = new object?[] { new object?[] { "add", categories.ToArray() } },
        }, ct);

    private async Task CreateCustomersAsync(CancellationToken ct)
    {
        foreach (var c in Customers)
        {
            PartyIds[c.Code] = await rpc.CreateOneAsync("party.party", new()
            {
                ["name"] = c.Name,
                ["code"] = c.Code,
                ["customer_payment_term"] = _paymentTerm,
                ["credit_limit_amount"] = c.CreditLimit,
                // Quoting a sale needs an invoice and a shipment address.
                ["addresses"] = Create(new Dictionary<string, object?>
                {
                    ["street"] = c.Street, ["city"] = c.City, ["postal_code"] = "200000",
                }),
                ["contact_mechanisms"] = Create(new Dictionary<string, object?> { ["type"] = "mobile", ["value"] = c.Mobile }),
            }, ct);
        }
    }

    private async Task CreatePriceListAsync(CancellationToken ct)
    {
        var sequence = 10;
        PriceListId = await rpc.CreateOneAsync("product.price_list", new()
        {
            ["name"] = $"{TieredCustomer} 协议价",
            ["company"] = CompanyId,
            // Lines match in sequence order, so the quantity tier must come before the plain line.
            ["lines"] = Create(TieredPriceLines.Select(l => new Dictionary<string, object?>
            {
                ["sequence"] = sequence += 10,
                ["product"] = ProductIds[l.Product],
                ["quantity"] = l.Quantity,
                ["formula"] = l.Formula,
            }).ToArray()),
        }, ct);
        await rpc.WriteAsync("party.party", [PartyIds[TieredCustomer]], new() { ["sale_price_list"] = PriceListId }, ct);
    }

    private async Task LocateWarehouseAsync(CancellationToken ct)
    {
        var warehouse = (await rpc.SearchReadAsync("stock.location",
            [D("type", "=", "warehouse"), D("code", "=", WarehouseCode)], ["storage_location"], ct)).Single();
        WarehouseId = warehouse.Id;
        StorageLocationId = warehouse.Int("storage_location");
    }

    private async Task<int> AccountAsync(string typeFlag, CancellationToken ct) =>
        (await rpc.SearchAsync("account.account", [D(typeFlag, "=", true), D("company", "=", CompanyId)], ct, limit: 1)).Single();

    private static object?[] Create(params Dictionary<string, object?>[] records) => [new object?[] { "create", records }];
}

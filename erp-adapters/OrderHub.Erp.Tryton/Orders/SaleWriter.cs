using System.Collections.Concurrent;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Orders;

/// <summary>How far a push goes; tests stop earlier to play an interrupted push.</summary>
internal enum SaleStep { Created, Quoted, Confirmed }

/// <summary>
/// Creates <c>sale.sale</c> documents for OrderHub orders; the order number goes into the sale's <c>reference</c>.
/// </summary>
/// <remarks>
/// Create, quote and confirm are separate Tryton transactions, so a push can be interrupted between them. A push is done
/// only when the sale is confirmed (or further: processing, done); <see cref="FindAsync"/> finds a sale in any state and
/// RESUMES it from there (draft → quote → confirm), so a crash or timeout never leaves a quotation marked as sent and
/// never makes a second sale. A sale Tryton refuses to quote is deleted again (<see cref="ErpRejectedException"/>); a sale
/// that cannot be confirmed (a warning not accepted by <see cref="TrytonOptions.AcceptConfirmWarnings"/>, a Tryton error)
/// stays a quotation and the push throws <see cref="ErpOrderIncompleteException"/> with Tryton's message.
/// Prices: each line's unit price is the one Tryton computes (price list, quantity); when OrderHub's differs, the
/// <see cref="TrytonOptions.PriceMismatch"/> setting decides, and the difference is returned as a warning.
/// </remarks>
internal sealed class SaleWriter(TrytonJsonRpcClient rpc, TrytonMasterData masterData, TrytonOptions options)
{
    private const string Sale = "sale.sale", SaleLine = "sale.line";
    private static readonly HashSet<string> Done = ["confirmed", "processing", "done", "cancelled"];
    private readonly ConcurrentDictionary<string, HashSet<string>> _writableFields = new();

    /// <summary>
    /// The sale carrying <paramref name="orderNumber"/> as reference, brought to confirmed when an earlier push stopped
    /// in draft or quotation. Null when Tryton has none.
    /// </summary>
    public async Task<ErpOrderRef?> FindAsync(string orderNumber, CancellationToken ct)
    {
        var sales = await rpc.SearchReadAsync(Sale, [D("reference", "=", orderNumber)], ["state"], ct);
        if (sales.Count == 0) return null;
        // A live sale wins over a cancelled one (a Tryton user may have cancelled an earlier attempt).
        var sale = sales.OrderBy(s => s.String("state") == "cancelled").ThenBy(s => s.Id).First();
        await ResumeAsync(sale.Id, sale.String("state") ?? "draft", orderNumber, SaleStep.Confirmed, ct);
        return new ErpOrderRef(sale.Id.ToString(), orderNumber);
    }

    public Task<ErpOrderRef> PushAsync(ErpOrder order, CancellationToken ct)
    {
        if (order.Lines.FirstOrDefault(l => l.Quantity <= 0) is { } bad) throw new ErpRejectedException($"Quantity {bad.Quantity} of {bad.ProductCode} is not positive.");
        return PushAsync(order, SaleStep.Confirmed, ct);
    }

    /// <summary>
    /// A customer return (退货): a sale whose lines have negative quantities; confirming it makes Tryton's customer return
    /// shipment (<c>stock.shipment.out.return</c>) for the warehouse to receive. The return number is its reference, so
    /// <see cref="FindAsync"/> finds it like an order and the order-status feed reports it (Shipped once received).
    /// </summary>
    public Task<ErpOrderRef> PushReturnAsync(ErpOrder returned, CancellationToken ct)
    {
        if (returned.Lines.FirstOrDefault(l => l.Quantity >= 0) is { } bad) throw new ErpRejectedException($"Return quantity {bad.Quantity} of {bad.ProductCode} is not negative.");
        return PushAsync(returned, SaleStep.Confirmed, ct);
    }

    /// <summary>Pushes up to <paramref name="until"/> (tests stop earlier to play an interruption).</summary>
    internal async Task<ErpOrderRef> PushAsync(ErpOrder order, SaleStep until, CancellationToken ct)
    {
        if (order.Lines.Count == 0) throw new ErpRejectedException($"Order {order.OrderNumber} has no lines.");
        var existing = await FindAsync(order.OrderNumber, ct);
        if (existing is not null) return existing;

        var warnings = new List<string>();
        var saleId = await CreateDraftAsync(order, warnings, ct);
        await ResumeAsync(saleId, "draft", order.OrderNumber, until, ct);
        return new ErpOrderRef(saleId.ToString(), order.OrderNumber, warnings.Count == 0 ? null : warnings);
    }

    /// <summary>Takes the sale from <paramref name="state"/> through quote and confirm, stopping after <paramref name="until"/>.</summary>
    private async Task ResumeAsync(int saleId, string state, string orderNumber, SaleStep until, CancellationToken ct)
    {
        if (Done.Contains(state)) return;
        if (state == "draft" && until >= SaleStep.Quoted)
        {
            await QuoteAsync(saleId, orderNumber, ct);
            state = "quotation";
        }
        if (state == "quotation" && until >= SaleStep.Confirmed) await ConfirmAsync(saleId, orderNumber, ct);
    }

    private async Task<int> CreateDraftAsync(ErpOrder order, List<string> warnings, CancellationToken ct)
    {
        var party = await SingleIdAsync("party.party", order.CustomerCode, "customer", ct);
        var sale = new Dictionary<string, object?>
        {
            ["company"] = await rpc.CompanyIdAsync(ct),
            ["party"] = party,
            ["reference"] = order.OrderNumber,
            ["description"] = order.OrderNumber,
            ["comment"] = Comment(order),
        };
        if (order.WarehouseCode is { } warehouseCode)
        {
            var warehouse = (await masterData.WarehousesAsync(ct)).FirstOrDefault(w => w.Code == warehouseCode)
                ?? throw new ErpRejectedException($"Tryton has no warehouse '{warehouseCode}'.");
            sale["warehouse"] = warehouse.Id;
        }
        // Plain create runs no on_change: the party's addresses, payment term and price list come from on_change_party.
        foreach (var (field, value) in await WritableChangesAsync(Sale, "party", sale, ct))
            sale.TryAdd(field, value);
        if (sale.GetValueOrDefault("currency") is null) sale["currency"] = await CompanyCurrencyIdAsync(ct);

        var lines = new List<Dictionary<string, object?>>();
        var sequence = 1;
        foreach (var line in order.Lines)
            lines.Add(await LineAsync(sale, order.OrderNumber, line, sequence++, warnings, ct));
        sale["lines"] = new object?[] { new object?[] { "create", lines } };
        return await rpc.CreateOneAsync(Sale, sale, ct);
    }

    private async Task<Dictionary<string, object?>> LineAsync(Dictionary<string, object?> sale, string orderNumber,
        ErpOrderLine line, int sequence, List<string> warnings, CancellationToken ct)
    {
        if (line.Quantity == 0) throw new ErpRejectedException($"Quantity 0 of {line.ProductCode}.");
        var product = await SingleIdAsync("product.product", line.ProductCode, "product", ct);
        var values = new Dictionary<string, object?>
        {
            ["type"] = "line",
            ["sequence"] = sequence,
            ["product"] = product,
            ["quantity"] = (double)line.Quantity,
            // The line's uom, given before the on_change so Tryton prices it in that uom and keeps it: the uom the product feed
            // named (2 箱 go as quantity 2 in 箱), else the product's default uom (base units). Left to itself the on_change
            // would take the product's sale uom and read a base quantity as cases.
            ["unit"] = await LineUomAsync(product, line, ct),
        };
        // The line's on_change reads the sale header through "_parent_sale.<field>" values.
        // Without the (computed) line company, company-dependent values such as the list price behind a
        // "unit_price * 0.9" formula are empty and the on_change fails.
        var context = new Dictionary<string, object?>(values) { ["company"] = sale["company"] };
        foreach (var (field, value) in sale) context[$"_parent_sale.{field}"] = value;
        foreach (var (field, value) in await WritableChangesAsync(SaleLine, "product", context, ct))
        {
            if (field == "taxes" && value is List<object?> taxes) values["taxes"] = new object?[] { new object?[] { "add", taxes } };
            else values.TryAdd(field, value);
        }
        values["unit_price"] = UnitPrice(orderNumber, line, values.GetValueOrDefault("unit_price") as decimal?, warnings);
        return values;
    }

    /// <summary>The line's price: Tryton's own (from its price list) or OrderHub's, as <see cref="TrytonOptions.PriceMismatch"/> says.</summary>
    private decimal UnitPrice(string orderNumber, ErpOrderLine line, decimal? trytonPrice, List<string> warnings)
    {
        var orderPrice = ErpMoney.ToYuan(line.UnitPriceFen);
        // A line at 0 is a gift of an OrderHub promotion (买赠): Tryton has no such rule, so it is no mismatch.
        if (line.UnitPriceFen == 0) return 0m;
        if (trytonPrice is not { } erp || ErpMoney.ToFen(erp, SubFenPolicy.Round, out _) == line.UnitPriceFen) return orderPrice;
        var what = $"{line.ProductCode} x {line.Quantity}: OrderHub 单价 {orderPrice:0.00} 元，Tryton 价目表单价 {erp:0.####} 元 / " +
                   $"OrderHub unit price {orderPrice:0.00}, Tryton's price {erp:0.####}";
        switch (options.PriceMismatch)
        {
            case TrytonPriceMismatch.Refuse:
                throw new ErpRejectedException($"Order {orderNumber}: price differs from Tryton's, refused (Erp:Tryton:PriceMismatch = Refuse). {what}");
            case TrytonPriceMismatch.UseTrytonPrice:
                warnings.Add($"价格不一致，已按 Tryton 价格下单 / price mismatch, the sale uses Tryton's price: {what}");
                return erp;
            default:
                warnings.Add($"价格不一致，已按 OrderHub 价格下单 / price mismatch, the sale keeps OrderHub's price: {what}");
                return orderPrice;
        }
    }

    private async Task QuoteAsync(int saleId, string orderNumber, CancellationToken ct)
    {
        try
        {
            await rpc.ButtonAsync(Sale, "quote", [saleId], ct);
        }
        catch (Exception e) when (e is ErpRejectedException or TrytonUserWarningException)
        {
            await rpc.DeleteAsync(Sale, [saleId], ct);
            throw new ErpRejectedException($"Tryton refused to quote order {orderNumber}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Confirms; a warning (e.g. the customer's credit limit exceeded) is accepted when <see cref="TrytonOptions.AcceptConfirmWarnings"/>
    /// says so, else the sale stays a quotation and the push is incomplete. ERP down: <see cref="ErpUnavailableException"/> (retry).
    /// </summary>
    private async Task ConfirmAsync(int saleId, string orderNumber, CancellationToken ct)
    {
        try
        {
            // Each accepted warning lets the next check speak; a handful is plenty (credit limit, stock…).
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await rpc.ButtonAsync(Sale, "confirm", [saleId], ct);
                    return;
                }
                catch (TrytonUserWarningException warning) when (options.AcceptConfirmWarnings && attempt < 5)
                {
                    await rpc.AcceptWarningAsync(warning.WarningName, ct);
                }
            }
        }
        catch (TrytonUserWarningException warning)
        {
            throw new ErpOrderIncompleteException(
                $"Tryton 确认销售单时警告，单据保留为报价单，请在 Tryton 中确认 / Tryton warned on confirming sale {saleId} of order {orderNumber} " +
                $"and it stays a quotation (Erp:Tryton:AcceptConfirmWarnings = false): {warning.Message}", saleId.ToString(), "quotation", warning);
        }
        catch (Exception e) when (e is ErpRejectedException or TrytonRpcException)
        {
            throw new ErpOrderIncompleteException(
                $"Tryton 无法确认销售单 / Tryton could not confirm sale {saleId} of order {orderNumber}: {e.Message}", saleId.ToString(), "quotation", e);
        }
    }

    private async Task<int> LineUomAsync(int product, ErpOrderLine line, CancellationToken ct)
    {
        var template = (await rpc.ReadAsync("product.product", [product], ["template"], ct)).Single().Int("template");
        var baseUom = (await rpc.ReadAsync("product.template", [template], ["default_uom"], ct)).Single().Int("default_uom");
        if (line.Unit is null) return baseUom;
        if (!int.TryParse(line.Unit, out var uom))
            throw new ErpRejectedException($"{line.ProductCode}: '{line.Unit}' is not a Tryton uom id (the product feed sends uom ids as unit codes).");
        var categories = await rpc.ReadAsync("product.uom", [baseUom, uom], ["category"], ct);
        if (categories.Count != 2 || categories[0].Int("category") != categories[1].Int("category"))
            throw new ErpRejectedException($"{line.ProductCode}: Tryton uom {uom} is not a unit of the product's uom category; sync the products again.");
        return uom;
    }

    private async Task<int> SingleIdAsync(string model, string code, string what, CancellationToken ct)
    {
        var ids = await rpc.SearchAsync(model, [D("code", "=", code)], ct, limit: 2);
        return ids.Count switch
        {
            1 => ids[0],
            0 => throw new ErpRejectedException($"Tryton has no active {what} with code '{code}'."),
            _ => throw new ErpRejectedException($"Tryton has several {what}s with code '{code}'."),
        };
    }

    private async Task<int> CompanyCurrencyIdAsync(CancellationToken ct) =>
        (await rpc.ReadAsync("company.company", [await rpc.CompanyIdAsync(ct)], ["currency"], ct)).Single().Int("currency");

    /// <summary>
    /// The on_change result without what create would refuse: computed fields (readonly in fields_get, e.g. a line's
    /// amount) and x2many edits given as dictionaries. Many2Many values (lists of ids) are kept for the caller.
    /// </summary>
    private async Task<Dictionary<string, object?>> WritableChangesAsync(string model, string field,
        IReadOnlyDictionary<string, object?> values, CancellationToken ct)
    {
        if (!_writableFields.TryGetValue(model, out var writable))
        {
            var fields = (Dictionary<string, object?>)(await rpc.CallAsync($"model.{model}.fields_get", [Array.Empty<string>()], null, ct))!;
            writable = fields.Where(f => f.Value is Dictionary<string, object?> d && d.GetValueOrDefault("readonly") is not true)
                .Select(f => f.Key).ToHashSet();
            _writableFields[model] = writable;
        }
        var changes = await rpc.OnChangeAsync(model, field, values, ct);
        return changes.Where(c => writable.Contains(c.Key) && c.Value is not Dictionary<string, object?>)
            .ToDictionary(c => c.Key, c => c.Value);
    }

    /// <summary>
    /// The sale's comment: the note, the delivery address and — Tryton 6.0's sale has no invoice-title fields — the order's
    /// invoice title (普票/专票, title, tax number, bank, account, address, phone) as one line for the person who invoices.
    /// </summary>
    internal static string? Comment(ErpOrder order)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(order.Note)) parts.Add(order.Note.Trim());
        if (!string.IsNullOrWhiteSpace(order.DeliveryAddress)) parts.Add("送货地址: " + order.DeliveryAddress.Trim());
        if (order.Invoice is { } invoice) parts.Add(invoice.Describe());
        return parts.Count == 0 ? null : string.Join("\n", parts);
    }
}

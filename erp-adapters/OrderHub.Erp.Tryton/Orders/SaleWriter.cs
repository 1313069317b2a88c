using System.Collections.Concurrent;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Orders;

/// <summary>
/// Creates <c>sale.sale</c> documents for OrderHub orders; the order number goes into the sale's <c>reference</c>.
/// </summary>
/// <remarks>
/// Create, quote and confirm are separate Tryton transactions. A sale left in draft by an interrupted push is
/// invisible to <see cref="FindAsync"/> and is resumed (quoted, confirmed) by the next push instead of duplicated.
/// A sale that Tryton refuses to quote is deleted again and the push throws <see cref="ErpRejectedException"/>.
/// </remarks>
internal sealed class SaleWriter(TrytonJsonRpcClient rpc, TrytonMasterData masterData, TrytonOptions options)
{
    private const string Sale = "sale.sale", SaleLine = "sale.line";
    private readonly ConcurrentDictionary<string, HashSet<string>> _writableFields = new();

    /// <summary>The sale carrying <paramref name="orderNumber"/> as reference, once it left draft.</summary>
    public async Task<ErpOrderRef?> FindAsync(string orderNumber, CancellationToken ct)
    {
        var ids = await rpc.SearchAsync(Sale,
            [D("reference", "=", orderNumber), D("state", "!=", "draft")], ct, limit: 1);
        return ids.Count == 0 ? null : new ErpOrderRef(ids[0].ToString(), orderNumber);
    }

    public async Task<ErpOrderRef> PushAsync(ErpOrder order, CancellationToken ct)
    {
        if (order.Lines.Count == 0) throw new ErpRejectedException($"Order {order.OrderNumber} has no lines.");
        var existing = await FindAsync(order.OrderNumber, ct);
        if (existing is not null) return existing;

        var draft = await rpc.SearchAsync(Sale, [D("reference", "=", order.OrderNumber), D("state", "=", "draft")], ct, limit: 1);
        var saleId = draft.Count == 1 ? draft[0] : await CreateDraftAsync(order, ct);
        await QuoteAsync(saleId, order.OrderNumber, ct);
        await ConfirmAsync(saleId, ct);
        return new ErpOrderRef(saleId.ToString(), order.OrderNumber);
    }

    private async Task<int> CreateDraftAsync(ErpOrder order, CancellationToken ct)
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
            lines.Add(await LineAsync(sale, line, sequence++, ct));
        sale["lines"] = new object?[] { new object?[] { "create", lines } };
        return await rpc.CreateOneAsync(Sale, sale, ct);
    }

    private async Task<Dictionary<string, object?>> LineAsync(
        Dictionary<string, object?> sale, ErpOrderLine line, int sequence, CancellationToken ct)
    {
        if (line.Quantity <= 0) throw new ErpRejectedException($"Quantity {line.Quantity} of {line.ProductCode} is not positive.");
        var values = new Dictionary<string, object?>
        {
            ["type"] = "line",
            ["sequence"] = sequence,
            ["product"] = await SingleIdAsync("product.product", line.ProductCode, "product", ct),
            ["quantity"] = (double)line.Quantity,
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
        values["unit_price"] = ErpMoney.ToYuan(line.UnitPriceFen); // OrderHub's price wins over the price list's
        return values;
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

    /// <summary>Confirms; a warning (e.g. credit limit exceeded) either leaves the quotation for a Tryton user or is accepted.</summary>
    private async Task ConfirmAsync(int saleId, CancellationToken ct)
    {
        try
        {
            await rpc.ButtonAsync(Sale, "confirm", [saleId], ct);
        }
        catch (TrytonUserWarningException warning) when (options.AcceptConfirmWarnings)
        {
            await rpc.AcceptWarningAsync(warning.WarningName, ct);
            await rpc.ButtonAsync(Sale, "confirm", [saleId], ct);
        }
        catch (TrytonUserWarningException)
        {
            // Left as a quotation on purpose; PullOrderStatus reports it once a Tryton user confirms it.
        }
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

    private static string? Comment(ErpOrder order)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(order.Note)) parts.Add(order.Note.Trim());
        if (!string.IsNullOrWhiteSpace(order.DeliveryAddress)) parts.Add("送货地址: " + order.DeliveryAddress.Trim());
        return parts.Count == 0 ? null : string.Join("\n", parts);
    }
}

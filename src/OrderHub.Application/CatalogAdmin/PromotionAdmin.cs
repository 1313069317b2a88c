using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Domain.Promotions;

namespace OrderHub.Application.CatalogAdmin;

public sealed class PromotionRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Target { get; init; } = "";
    public long? TargetGroupId { get; init; }
    public string? TargetGroupName { get; init; }
    public long? TargetCustomerId { get; init; }
    public string? TargetCustomerCode { get; init; }
    public string? TargetCustomerName { get; init; }
    public long StartsAtMs { get; init; }
    public long EndsAtMs { get; init; }
    public long? BuyQty { get; init; }
    public long? FreeQty { get; init; }
    public long? ThresholdFen { get; init; }
    public long? DiscountFen { get; init; }
    public bool Active { get; init; }
    public string? Description { get; init; }
    public long Items { get; init; }
}

public sealed class PromotionItemRow
{
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Spec { get; init; }
    public long BasePriceFen { get; init; }
    public long? SpecialPriceFen { get; init; }
}

public sealed record PromotionItemInput(string? Sku, long? SpecialPriceFen);

/// <summary>A promotion as the back office writes it. Times are UTC Unix milliseconds; the window is [starts, ends).</summary>
public sealed record PromotionInput(
    string? Code, string? Name, string? Kind, string? Target, long? TargetGroupId, string? TargetCustomerCode,
    long? StartsAtMs, long? EndsAtMs, long? BuyQty, long? FreeQty, long? ThresholdFen, long? DiscountFen,
    bool? Active, string? Description, IReadOnlyList<PromotionItemInput>? Items);

/// <summary>Promotions (促销): special price, 买N赠M, 满X减Y, for everyone, a group or one customer, in a time window (schedule).</summary>
public sealed class PromotionAdmin(Db db, TimeProvider clock)
{
    public static readonly string[] Kinds = PromotionKind.All;
    public static readonly string[] Targets = PromotionTarget.Known;

    private const string Select = """
        SELECT pr.id AS Id, pr.code AS Code, pr.name AS Name, pr.kind AS Kind, pr.target AS Target,
               pr.target_group_id AS TargetGroupId, g.name AS TargetGroupName, pr.target_customer_id AS TargetCustomerId,
               cu.code AS TargetCustomerCode, cu.name AS TargetCustomerName, pr.starts_at AS StartsAtMs, pr.ends_at AS EndsAtMs,
               pr.buy_qty AS BuyQty, pr.free_qty AS FreeQty, pr.threshold_fen AS ThresholdFen, pr.discount_fen AS DiscountFen,
               pr.active AS Active, pr.description AS Description,
               (SELECT COUNT(*) FROM promotion_items i WHERE i.promotion_id = pr.id) AS Items
        FROM promotions pr
        LEFT JOIN customer_groups g ON g.id = pr.target_group_id
        LEFT JOIN customers cu ON cu.id = pr.target_customer_id
        """;

    /// <param name="state">live | upcoming | ended | null (all)</param>
    public async Task<IReadOnlyList<PromotionRow>> ListAsync(string? state, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var where = state switch
        {
            "live" => " WHERE pr.starts_at <= @now AND pr.ends_at > @now",
            "upcoming" => " WHERE pr.starts_at > @now",
            "ended" => " WHERE pr.ends_at <= @now",
            null or "" => "",
            _ => throw AppProblem.BadRequest("state 应为 live、upcoming 或 ended", "state must be live, upcoming or ended"),
        };
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<PromotionRow>(Select + where + " ORDER BY pr.starts_at DESC, pr.id DESC", new { now })).AsList();
    }

    public async Task<(PromotionRow Promotion, IReadOnlyList<PromotionItemRow> Items)?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var p = await c.QuerySingleOrDefaultAsync<PromotionRow>(Select + " WHERE pr.id = @id", new { id });
        if (p is null) return null;
        var items = (await c.QueryAsync<PromotionItemRow>("""
            SELECT p.sku AS Sku, p.name AS Name, p.spec AS Spec, p.base_price_fen AS BasePriceFen, i.special_price_fen AS SpecialPriceFen
            FROM promotion_items i JOIN products p ON p.id = i.product_id WHERE i.promotion_id = @id ORDER BY p.sku
            """, new { id })).AsList();
        return (p, items);
    }

    public static Dictionary<string, string[]> Validate(PromotionInput i)
    {
        var e = new Dictionary<string, string[]>();
        void Add(string k, string m) => e[k] = [m];
        if (string.IsNullOrWhiteSpace(i.Code) || i.Code.Trim().Length > 32) Add("code", "请填写促销编码 (最长 32 个字符) / code is required, up to 32 characters");
        if (string.IsNullOrWhiteSpace(i.Name) || i.Name.Trim().Length > 64) Add("name", "请填写促销名称 (最长 64 个字符) / name is required, up to 64 characters");
        if (i.Kind is null || !Kinds.Contains(i.Kind)) Add("kind", "类型应为 special_price、buy_get 或 spend_save / kind must be special_price, buy_get or spend_save");
        var target = i.Target ?? PromotionTarget.All;
        if (!Targets.Contains(target)) Add("target", "对象应为 all、group 或 customer / target must be all, group or customer");
        if (target == PromotionTarget.Group && i.TargetGroupId is null) Add("targetGroupId", "请选择客户等级 / choose a customer group");
        if (target == PromotionTarget.Customer && string.IsNullOrWhiteSpace(i.TargetCustomerCode)) Add("targetCustomerCode", "请填写客户编码 / give the customer code");
        if (i.StartsAtMs is null || i.EndsAtMs is null) Add("window", "请填写开始和结束时间 / give the start and end time");
        else if (i.EndsAtMs <= i.StartsAtMs) Add("window", "结束时间必须晚于开始时间 / the end must be after the start");
        var items = i.Items ?? [];
        if (items.Any(x => string.IsNullOrWhiteSpace(x.Sku))) Add("items", "商品编码不能为空 / every item needs a SKU");
        if (items.Select(x => x.Sku?.Trim()).Distinct().Count() != items.Count) Add("items", "商品重复 / an item is listed twice");
        switch (i.Kind)
        {
            case PromotionKind.SpecialPrice:
                if (items.Count == 0) Add("items", "特价促销至少包含一个商品 / a special price needs at least one item");
                else if (items.Any(x => x.SpecialPriceFen is not > 0)) Add("items", "每个商品都需要大于 0 的特价 / every item needs a special price above zero");
                break;
            case PromotionKind.BuyGet:
                if (i.BuyQty is not > 0 || i.FreeQty is not > 0) Add("buyQty", "买赠需填写买几赠几 (均大于 0) / buy and free quantities must be above zero");
                if (items.Count == 0) Add("items", "买赠促销至少包含一个商品 / buy-get needs at least one item");
                break;
            case PromotionKind.SpendSave:
                if (i.ThresholdFen is not > 0 || i.DiscountFen is not > 0) Add("thresholdFen", "满减需填写满多少减多少 (均大于 0) / threshold and discount must be above zero");
                else if (i.DiscountFen >= i.ThresholdFen) Add("discountFen", "减免金额必须小于门槛 / the discount must be below the threshold");
                break;
        }
        return e;
    }

    public async Task<long> CreateAsync(PromotionInput input, CancellationToken ct = default) => await SaveAsync(null, input, ct);

    public async Task UpdateAsync(long id, PromotionInput input, CancellationToken ct = default) => await SaveAsync(id, input, ct);

    private async Task<long> SaveAsync(long? id, PromotionInput i, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (id is { } existing && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM promotions WHERE id = @existing", new { existing }, tx) == 0)
            throw AppProblem.NotFound("促销不存在", "No such promotion");
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM promotions WHERE code = @code AND (@id IS NULL OR id <> @id)", new { code = i.Code!.Trim(), id }, tx) > 0)
            throw AppProblem.Conflict($"促销编码 {i.Code.Trim()} 已存在", $"Promotion code {i.Code.Trim()} is taken");
        var target = i.Target ?? PromotionTarget.All;
        long? groupId = target == PromotionTarget.Group ? i.TargetGroupId : null, customerId = null;
        if (groupId is not null && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_groups WHERE id = @groupId", new { groupId }, tx) == 0)
            throw AppProblem.BadRequest("客户等级不存在", "No such customer group");
        if (target == PromotionTarget.Customer)
            customerId = await c.ExecuteScalarAsync<long?>("SELECT id FROM customers WHERE code = @code", new { code = i.TargetCustomerCode!.Trim() }, tx)
                ?? throw AppProblem.BadRequest($"客户 {i.TargetCustomerCode} 不存在", $"No customer {i.TargetCustomerCode}");
        var items = new List<(long ProductId, long? Price)>();
        foreach (var item in i.Items ?? [])
        {
            var pid = await c.ExecuteScalarAsync<long?>("SELECT id FROM products WHERE sku = @sku", new { sku = item.Sku!.Trim() }, tx)
                ?? throw AppProblem.BadRequest($"商品 {item.Sku} 不存在", $"No product {item.Sku}");
            items.Add((pid, i.Kind == PromotionKind.SpecialPrice ? item.SpecialPriceFen : null));
        }
        var args = new
        {
            id, code = i.Code.Trim(), name = i.Name!.Trim(), kind = i.Kind, target, groupId, customerId, starts = i.StartsAtMs, ends = i.EndsAtMs,
            buy = i.Kind == PromotionKind.BuyGet ? i.BuyQty : null, free = i.Kind == PromotionKind.BuyGet ? i.FreeQty : null,
            threshold = i.Kind == PromotionKind.SpendSave ? i.ThresholdFen : null, discount = i.Kind == PromotionKind.SpendSave ? i.DiscountFen : null,
            active = i.Active ?? true, description = string.IsNullOrWhiteSpace(i.Description) ? null : i.Description.Trim(), now,
        };
        long pidOut;
        if (id is null)
        {
            pidOut = await c.ExecuteScalarAsync<long>("""
                INSERT INTO promotions (code, name, kind, target, target_group_id, target_customer_id, starts_at, ends_at, buy_qty, free_qty,
                                        threshold_fen, discount_fen, active, description, created_at)
                VALUES (@code, @name, @kind, @target, @groupId, @customerId, @starts, @ends, @buy, @free, @threshold, @discount, @active, @description, @now)
                RETURNING id
                """, args, tx);
        }
        else
        {
            pidOut = id.Value;
            await c.ExecuteAsync("""
                UPDATE promotions SET code = @code, name = @name, kind = @kind, target = @target, target_group_id = @groupId,
                    target_customer_id = @customerId, starts_at = @starts, ends_at = @ends, buy_qty = @buy, free_qty = @free,
                    threshold_fen = @threshold, discount_fen = @discount, active = @active, description = @description
                WHERE id = @id
                """, args, tx);
            await c.ExecuteAsync("DELETE FROM promotion_items WHERE promotion_id = @id", new { id }, tx);
        }
        foreach (var (productId, price) in items)
            await c.ExecuteAsync("INSERT INTO promotion_items (promotion_id, product_id, special_price_fen) VALUES (@pidOut, @productId, @price)",
                new { pidOut, productId, price }, tx);
        await CatalogVersion.BumpAsync(c, tx);
        await tx.CommitAsync(ct);
        return pidOut;
    }
}

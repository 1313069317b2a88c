using OrderHub.Domain.Catalog;
using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.CatalogAdmin;

public sealed class AssortmentRuleRow
{
    public long Id { get; init; }
    public long? GroupId { get; init; }
    public string? GroupName { get; init; }
    public long? CustomerId { get; init; }
    public string? CustomerCode { get; init; }
    public string? CustomerName { get; init; }
    public long? ProductId { get; init; }
    public string? Sku { get; init; }
    public string? ProductName { get; init; }
    public string? CategoryPath { get; init; }
    public string? CategoryName { get; init; }
    public string Effect { get; init; } = "";
    public long CreatedAtMs { get; init; }
}

/// <summary>A new rule: for a group or a customer (by code), on a product (by SKU) or a category subtree.</summary>
public sealed record AssortmentRuleInput(long? GroupId, string? CustomerCode, string? Sku, long? CategoryId, string? Effect);

/// <summary>Assortment rules (who may see and buy what): list, add, remove. The catalog reads them on every request.</summary>
public sealed class AssortmentAdmin(Db db, TimeProvider clock)
{
    private const string Select = """
        SELECT r.id AS Id, r.customer_group_id AS GroupId, g.name AS GroupName, r.customer_id AS CustomerId, cu.code AS CustomerCode,
               cu.name AS CustomerName, r.product_id AS ProductId, p.sku AS Sku, p.name AS ProductName, r.category_path AS CategoryPath,
               (SELECT cat.name FROM categories cat WHERE cat.path = r.category_path) AS CategoryName, r.effect AS Effect, r.created_at AS CreatedAtMs
        FROM assortment_rules r
        LEFT JOIN customer_groups g ON g.id = r.customer_group_id
        LEFT JOIN customers cu ON cu.id = r.customer_id
        LEFT JOIN products p ON p.id = r.product_id
        """;

    public async Task<IReadOnlyList<AssortmentRuleRow>> ListAsync(long? groupId, string? customerCode, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<AssortmentRuleRow>(Select + """
             WHERE (@groupId IS NULL OR r.customer_group_id = @groupId) AND (@customerCode IS NULL OR cu.code = @customerCode)
             ORDER BY r.customer_group_id, r.customer_id, r.id
            """, new { groupId, customerCode = string.IsNullOrWhiteSpace(customerCode) ? null : customerCode.Trim() })).AsList();
    }

    public async Task<AssortmentRuleRow> CreateAsync(AssortmentRuleInput input, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var hasGroup = input.GroupId is not null;
        var hasCustomer = !string.IsNullOrWhiteSpace(input.CustomerCode);
        if (hasGroup == hasCustomer) errors["target"] = ["请选择客户等级或客户之一 / give either a group or a customer"];
        var hasProduct = !string.IsNullOrWhiteSpace(input.Sku);
        var hasCategory = input.CategoryId is not null;
        if (hasProduct == hasCategory) errors["item"] = ["请选择商品或品类之一 / give either a product or a category"];
        if (!AssortmentEffect.IsKnown(input.Effect)) errors["effect"] = ["规则应为 allow 或 deny / effect must be allow or deny"];
        if (errors.Count > 0) throw AppProblem.BadRequest("规则不完整", "The rule is incomplete", new Dictionary<string, object?> { ["errors"] = errors });

        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        long? customerId = null, productId = null;
        string? path = null;
        if (hasGroup && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_groups WHERE id = @id", new { id = input.GroupId }, tx) == 0)
            throw AppProblem.BadRequest("客户等级不存在", "No such customer group");
        if (hasCustomer)
            customerId = await c.ExecuteScalarAsync<long?>("SELECT id FROM customers WHERE code = @code", new { code = input.CustomerCode!.Trim() }, tx)
                ?? throw AppProblem.BadRequest($"客户 {input.CustomerCode} 不存在", $"No customer {input.CustomerCode}");
        if (hasProduct)
            productId = await c.ExecuteScalarAsync<long?>("SELECT id FROM products WHERE sku = @sku", new { sku = input.Sku!.Trim() }, tx)
                ?? throw AppProblem.BadRequest($"商品 {input.Sku} 不存在", $"No product {input.Sku}");
        if (hasCategory)
            path = await c.ExecuteScalarAsync<string?>("SELECT path FROM categories WHERE id = @id", new { id = input.CategoryId }, tx)
                ?? throw AppProblem.BadRequest("品类不存在", "No such category");
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO assortment_rules (customer_group_id, customer_id, product_id, category_path, effect, created_at)
            VALUES (@groupId, @customerId, @productId, @path, @effect, @now) RETURNING id
            """, new { groupId = hasGroup ? input.GroupId : null, customerId, productId, path, effect = input.Effect, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
        await CatalogVersion.BumpAsync(c, tx);
        await tx.CommitAsync(ct);
        await using var c2 = await db.OpenAsync(ct);
        return await c2.QuerySingleAsync<AssortmentRuleRow>(Select + " WHERE r.id = @id", new { id });
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var deleted = await c.ExecuteAsync("DELETE FROM assortment_rules WHERE id = @id", new { id }, tx) == 1;
        if (deleted) await CatalogVersion.BumpAsync(c, tx);
        await tx.CommitAsync(ct);
        return deleted;
    }
}

using System.Security.Cryptography;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;

namespace OrderHub.Application.Ordering;

public sealed record ShareLink(string Code, string? Sku, long? PromotionId, long ExpiresAtMs);

/// <summary>
/// An agent's share of a product or promotion (分享链接). The mini-program opens the link with its code; items added to
/// the cart from it carry the agent, and the order placed is attributed to that agent ("share_link").
/// </summary>
public sealed class ShareLinks(Db db, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public async Task<ShareLink> CreateAsync(long agentId, string? sku, long? promotionId, CancellationToken ct = default)
    {
        if (sku is null == promotionId is null) throw AppProblem.BadRequest("请指定要分享的商品或促销 (二选一)", "Share exactly one of a product (sku) or a promotion");
        await using var c = await db.OpenAsync(ct);
        long? productId = null;
        if (sku is not null)
            productId = await c.ExecuteScalarAsync<long?>("SELECT id FROM products WHERE sku = @sku AND active = TRUE", new { sku })
                ?? throw AppProblem.NotFound($"商品 {sku} 不存在", $"Product {sku} not found");
        if (promotionId is not null && await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM promotions WHERE id = @promotionId AND active = TRUE", new { promotionId }) == 0)
            throw AppProblem.NotFound("促销不存在", "Promotion not found");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var expires = now + (long)Lifetime.TotalMilliseconds;
        await c.ExecuteAsync("INSERT INTO share_links (code, agent_id, product_id, promotion_id, created_at, expires_at) VALUES (@code, @agentId, @productId, @promotionId, @now, @expires)",
            new { code, agentId, productId, promotionId, now, expires });
        return new ShareLink(code, sku, promotionId, expires);
    }

    /// <summary>
    /// The agent a share code credits for putting <paramref name="sku"/> in this store's cart, or null. A code credits
    /// its agent only for what it was issued for (its product, or a product its promotion covers; a promotion with no
    /// items covers everything), only while live and the agent active, and only for a store of that agent or a store
    /// with no agent: another agent's store keeps its own agent (issue #21). Null for no code or an unknown one.
    /// </summary>
    public async Task<long?> CreditedAgentAsync(string? code, string sku, CustomerContext customer, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64) return null;
        await using var c = await db.OpenAsync(ct);
        var link = await c.QuerySingleOrDefaultAsync<(long AgentId, long? ProductId, long? PromotionId, long? CustomerId)?>("""
            SELECT s.agent_id, s.product_id, s.promotion_id, s.customer_id FROM share_links s JOIN agents a ON a.id = s.agent_id
            WHERE s.code = @code AND s.expires_at > @now AND a.active = TRUE
            """, new { code, now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        if (link is not { } l) return null;
        if (!Credits(l.AgentId, customer)) return null;
        // a chat card (issue #20) may be for one store only; one that names no product or promotion covers its whole catalog
        if (l.CustomerId is { } only && only != customer.CustomerId) return null;
        if (l.CustomerId is not null && l.ProductId is null && l.PromotionId is null) return l.AgentId;
        var productId = await c.ExecuteScalarAsync<long?>("SELECT id FROM products WHERE sku = @sku", new { sku });
        if (productId is null) return null;
        if (l.ProductId is { } shared) return shared == productId ? l.AgentId : null;
        if (l.PromotionId is not { } promotionId) return null;
        var covered = await c.ExecuteScalarAsync<long>("""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM promotion_items WHERE promotion_id = @promotionId AND product_id = @productId)
                          OR NOT EXISTS (SELECT 1 FROM promotion_items WHERE promotion_id = @promotionId) THEN 1 ELSE 0 END
            """, new { promotionId, productId });
        return covered == 1 ? l.AgentId : null;
    }

    /// <summary>The store rule of share attribution, also applied when the order is placed: the store's own agent, or a store without one.</summary>
    public static bool Credits(long shareAgentId, CustomerContext customer) => customer.AgentId is null || customer.AgentId == shareAgentId;
}

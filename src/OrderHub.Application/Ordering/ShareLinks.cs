using System.Security.Cryptography;
using Dapper;
using OrderHub.Application.Common;
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

    /// <summary>The agent behind a live share code; null for no code, an unknown one, an expired one, or a departed agent.</summary>
    public async Task<long?> AgentOfAsync(string? code, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64) return null;
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long?>("""
            SELECT s.agent_id FROM share_links s JOIN agents a ON a.id = s.agent_id
            WHERE s.code = @code AND s.expires_at > @now AND a.active = TRUE
            """, new { code, now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
    }
}

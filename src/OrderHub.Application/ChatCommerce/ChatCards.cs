using System.Security.Cryptography;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.Insight;
using OrderHub.Application.Ordering;
using OrderHub.Application.WeChat;
using OrderHub.Domain.Ordering;

namespace OrderHub.Application.ChatCommerce;

/// <summary>What a chat card shows and opens.</summary>
public static class ChatCardKind
{
    public const string Product = "product";
    public const string Promotion = "promotion";
    public const string UsualOrder = "usual_order";
    public const string OrderStatus = "order_status";
    public const string Welcome = "welcome";
    /// <summary>A published 经销商社区 post (subject: its id).</summary>
    public const string CommunityPost = "community_post";

    public static readonly IReadOnlySet<string> Sendable = new HashSet<string> { Product, Promotion, UsualOrder, OrderStatus, CommunityPost };
}

/// <summary>A card made for one send: its share code, the mini-program page it opens (with the code) and its title.</summary>
public sealed record ChatCard(string Code, string Kind, long CustomerId, string Page, string Title, long ExpiresAtMs)
{
    /// <summary>The page as WeChat Work wants it in a miniprogram message: ".html" after the path ("pages/x/index.html?a=1").</summary>
    public string WeComPage => Page.Split('?', 2) is [var path, var query] ? $"{path}.html?{query}" : Page + ".html";
}

/// <summary>An agent's chat figures (OMO2C): cards sent → opened → ordered, and what the won orders brought.</summary>
public sealed record ChatWonFigures(long AgentId, int CardsSent, int CardsOpened, int Orders, long RevenueFen,
    int StoresReached, int StoresOrdered, IReadOnlyList<ChatWonStore> Stores, long GrossProfitFen = 0, int LinesWithoutCost = 0);

/// <summary>One store's part of an agent's chat figures.</summary>
/// <param name="GrossProfitFen">毛利 of the chat-won orders that shipped, less what completed returns took back (the gross-profit rules).</param>
/// <param name="LinesWithoutCost">Shipped lines the ERP gave no cost for (counted with zero cost).</param>
public sealed record ChatWonStore(long CustomerId, string Name, int CardsSent, int CardsOpened, int Orders, long RevenueFen, long GrossProfitFen = 0, int LinesWithoutCost = 0);

/// <summary>
/// Mini-program cards an agent sends in a chat (issue #20): every send gets its own share code (a share link for that store
/// and agent), so an open and an order can be traced back to the send. An order placed from the card's items carries the
/// code (orders.share_code) and counts as chat-won.
/// </summary>
public sealed class ChatCards(Db db, TimeProvider clock, WeComSettings weCom)
{
    private WeComChatSettings S => weCom.Chat;

    /// <summary>
    /// A card for one of the agent's stores (the caller has checked the store is the agent's). Product: <paramref name="subject"/>
    /// is the sku; promotion: its id; order status: the order number (of that store); usual order and welcome: none.
    /// </summary>
    /// <param name="idempotencyKey">Optional; a retry with the same key answers the first card (same share code), nothing new is stored.</param>
    /// <exception cref="IdempotencyKeyReusedException">The key was used before for another card.</exception>
    public async Task<ChatCard> CreateAsync(long agentId, long customerId, string kind, string? subject, CancellationToken ct = default, string? idempotencyKey = null)
    {
        if (kind != ChatCardKind.Welcome && !ChatCardKind.Sendable.Contains(kind))
            throw AppProblem.BadRequest("卡片类型应为 product / promotion / usual_order / order_status / community_post", "kind must be product, promotion, usual_order, order_status or community_post");
        await using var c = await db.OpenAsync(ct);
        long? productId = null, promotionId = null;
        string title, page;
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        // the key's resource id is the share code itself (8 random bytes as a long)
        var (scope, hash) = ($"chat-card:{agentId}", Idempotency.Hash(customerId, kind, subject));
        var replayed = idempotencyKey is null ? null : await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null);
        if (replayed is { } first) code = Convert.ToHexString(BitConverter.GetBytes(first)).ToLowerInvariant();
        switch (kind)
        {
            case ChatCardKind.Product:
                var product = await c.QuerySingleOrDefaultAsync<(long Id, string Name)?>("SELECT id, name FROM products WHERE sku = @subject AND active = TRUE", new { subject })
                    ?? throw AppProblem.NotFound($"商品 {subject} 不存在", $"Product {subject} not found");
                productId = product.Id;
                title = product.Name;
                page = $"{S.ProductPage}?sku={Uri.EscapeDataString(subject!)}&share={code}";
                break;
            case ChatCardKind.Promotion:
                var promo = long.TryParse(subject, out var pid)
                    ? await c.QuerySingleOrDefaultAsync<(long Id, string Name)?>("SELECT id, name FROM promotions WHERE id = @pid AND active = TRUE", new { pid })
                    : null;
                if (promo is null) throw AppProblem.NotFound("促销不存在", "Promotion not found");
                promotionId = promo.Value.Id;
                title = promo.Value.Name;
                page = $"{S.PromotionPage}?promotionId={promotionId}&share={code}";
                break;
            case ChatCardKind.OrderStatus:
                var order = await c.QuerySingleOrDefaultAsync<(string No, string Status)?>(
                    "SELECT order_no, status FROM orders WHERE order_no = @subject AND customer_id = @customerId", new { subject, customerId })
                    ?? throw AppProblem.NotFound("订单不存在", "No such order");
                title = $"订单 {order.No}：{OrderStatus.Label(order.Status)}";
                page = $"{S.OrderPage}?no={Uri.EscapeDataString(order.No)}&share={code}";
                break;
            case ChatCardKind.CommunityPost:
                var post = long.TryParse(subject, out var postId)
                    ? await c.ExecuteScalarAsync<string?>("SELECT title FROM community_posts WHERE id = @postId AND published_at IS NOT NULL", new { postId })
                    : null;
                title = post ?? throw AppProblem.NotFound("社区文章不存在或未发布", "No such published community post");
                page = $"{S.CommunityPostPage}?id={postId}&share={code}";
                break;
            case ChatCardKind.UsualOrder:
                title = "您的常购清单，一键再订";
                page = $"{S.UsualOrderPage}?view=frequent&share={code}";
                break;
            default:
                title = S.WelcomeCardTitle;
                page = $"{S.CatalogPage}?share={code}";
                break;
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var expires = now + (long)ShareLinks.Lifetime.TotalMilliseconds;
        if (replayed is not null)
            return new ChatCard(code, kind, customerId, page, Truncate(title, 64), await c.ExecuteScalarAsync<long>("SELECT expires_at FROM share_links WHERE code = @code", new { code }));
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("""
            INSERT INTO share_links (code, agent_id, product_id, promotion_id, customer_id, created_at, expires_at)
            VALUES (@code, @agentId, @productId, @promotionId, @customerId, @now, @expires)
            """, new { code, agentId, productId, promotionId, customerId, now, expires }, tx);
        await c.ExecuteAsync("""
            INSERT INTO chat_cards (code, agent_id, customer_id, kind, subject, sent_at) VALUES (@code, @agentId, @customerId, @kind, @subject, @now)
            """, new { code, agentId, customerId, kind, subject, now }, tx);
        if (idempotencyKey is not null && !await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, BitConverter.ToInt64(Convert.FromHexString(code)), now))
        {
            await tx.RollbackAsync(ct);
            return await CreateAsync(agentId, customerId, kind, subject, ct, idempotencyKey); // the other request won: answer its card
        }
        await tx.CommitAsync(ct);
        return new ChatCard(code, kind, customerId, page, Truncate(title, 64), expires);
    }

    /// <summary>
    /// The store opened a card (the mini-program reports the share code it was opened with). Counted only for the store the
    /// card was sent to; false for an unknown code or another store's card.
    /// </summary>
    public async Task<bool> RecordOpenAsync(string code, long customerId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 64) return false;
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("""
            UPDATE chat_cards SET opens = opens + 1, first_opened_at = COALESCE(first_opened_at, @now)
            WHERE code = @code AND customer_id = @customerId
            """, new { code, customerId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }) == 1;
    }

    /// <summary>
    /// The agent's chat figures for cards sent in [fromMs, toMs): cards sent, opened (at least once), orders placed with a
    /// card's code (not cancelled or rejected: the revenue rule) and their revenue, per store; and the gross profit of those
    /// orders that shipped, less completed returns (GrossProfitSql, the same rules as 毛利报表).
    /// </summary>
    public async Task<ChatWonFigures> FiguresAsync(long agentId, long fromMs, long toMs, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var stores = (await c.QueryAsync<ChatWonRow>($"""
            SELECT k.customer_id AS CustomerId, cu.name AS Name, COUNT(*) AS Sent, SUM(CASE WHEN k.opens > 0 THEN 1 ELSE 0 END) AS Opened,
                   COALESCE(SUM(w.orders), 0) AS Orders, COALESCE(SUM(w.revenue), 0) AS Revenue,
                   COALESCE(SUM(g.Revenue), 0) AS ShippedRevenue, COALESCE(SUM(g.Cost), 0) AS Cost, COALESCE(SUM(g.Uncosted), 0) AS Uncosted,
                   COALESCE(SUM(b.Revenue), 0) AS BackRevenue, COALESCE(SUM(b.Cost), 0) AS BackCost
            FROM chat_cards k JOIN customers cu ON cu.id = k.customer_id
            LEFT JOIN (SELECT o.share_code, COUNT(*) AS orders, SUM(o.total_fen) AS revenue FROM orders o
                       WHERE o.share_code IS NOT NULL AND {OrderStatusSql.CountsAsRevenue("o")} GROUP BY o.share_code) w ON w.share_code = k.code
            LEFT JOIN (SELECT o.share_code, {GrossProfitSql.Sums} FROM orders o JOIN order_lines l ON l.order_id = o.id
                       WHERE o.share_code IS NOT NULL AND {GrossProfitSql.Shipped} GROUP BY o.share_code) g ON g.share_code = k.code
            LEFT JOIN (SELECT o.share_code, {GrossProfitSql.ReturnedSums}
                       FROM return_requests r JOIN return_lines rl ON rl.return_id = r.id JOIN order_lines l ON l.id = rl.order_line_id JOIN orders o ON o.id = l.order_id
                       WHERE o.share_code IS NOT NULL AND {GrossProfitSql.CompletedReturn} GROUP BY o.share_code) b ON b.share_code = k.code
            WHERE k.agent_id = @agentId AND k.sent_at >= @fromMs AND k.sent_at < @toMs
            GROUP BY k.customer_id, cu.name ORDER BY Revenue DESC, k.customer_id
            """, new { agentId, fromMs, toMs })).ToList();
        var rows = stores.Select(s =>
        {
            var gp = GrossProfitSql.Figures(s.ShippedRevenue - s.BackRevenue, s.Cost - s.BackCost, s.Uncosted);
            return new ChatWonStore(s.CustomerId, s.Name, (int)s.Sent, (int)s.Opened, (int)s.Orders, s.Revenue, gp.GrossProfitFen, gp.LinesWithoutCost);
        }).ToList();
        return new ChatWonFigures(agentId, rows.Sum(s => s.CardsSent), rows.Sum(s => s.CardsOpened), rows.Sum(s => s.Orders), rows.Sum(s => s.RevenueFen),
            rows.Count, rows.Count(s => s.Orders > 0), rows, rows.Sum(s => s.GrossProfitFen), rows.Sum(s => s.LinesWithoutCost));
    }

    private sealed class ChatWonRow
    {
        public long CustomerId { get; init; }
        public string Name { get; init; } = "";
        public long Sent { get; init; } public long Opened { get; init; } public long Orders { get; init; } public long Revenue { get; init; }
        public long ShippedRevenue { get; init; } public long Cost { get; init; } public long Uncosted { get; init; }
        public long BackRevenue { get; init; } public long BackCost { get; init; }
    }

    private static string Truncate(string s, int maxBytes)
    {
        while (System.Text.Encoding.UTF8.GetByteCount(s) > maxBytes) s = s[..^1];
        return s;
    }
}

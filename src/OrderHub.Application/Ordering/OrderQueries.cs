using System.Text;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;

namespace OrderHub.Application.Ordering;

/// <summary>Filters for order lists and review queues. <c>Before</c> is the keyset cursor (newest first: ids below it).</summary>
/// <param name="ByShipDate">The period (FromMs/ToMs) is of the 发货 time (orders.shipped_at, as the gross-profit report counts)
/// instead of the order's creation; unshipped orders then fall outside any period.</param>
public sealed record OrderFilter(string? Status = null, long? CustomerId = null, long? AgentId = null, long? FromMs = null, long? ToMs = null,
    string? Search = null, string? Channel = null, long? Before = null, int Limit = 20, bool ByShipDate = false);

public sealed class OrderSummary
{
    public long Id { get; init; }
    public string OrderNo { get; init; } = "";
    public long CustomerId { get; init; }
    public string CustomerCode { get; init; } = "";
    public string CustomerName { get; init; } = "";
    public string Status { get; init; } = "";
    public string Channel { get; init; } = "";
    public long? AgentId { get; init; }
    public string? AgentName { get; init; }
    public long GoodsFen { get; init; }
    public long DiscountFen { get; init; }
    public long TotalFen { get; init; }
    public long LineCount { get; init; }
    public bool CreditExceeded { get; init; }
    public bool FinanceOverride { get; init; }
    public long CreatedAt { get; init; }
}

/// <summary>An order line as the store ordered it: unit, quantity and unit price in the unit chosen (箱); base figures beside.</summary>
public sealed class OrderLineView
{
    public int LineNo { get; init; }
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Spec { get; init; }
    public string Unit { get; init; } = "";
    public long Quantity { get; init; }
    public long UnitPriceFen { get; init; }
    public string BaseUnit { get; init; } = "";
    public int UnitFactor { get; init; } = 1;
    public long BaseQuantity { get; init; }
    public long AmountFen { get; init; }
    public string PriceSource { get; init; } = "";
    public string PriceReason { get; init; } = "";
    public bool IsGift { get; init; }
}

public sealed class OrderEventView
{
    public long At { get; init; }
    public string ActorKind { get; init; } = "";
    public string ActorName { get; init; } = "";
    public string Action { get; init; } = "";
    public string? FromStatus { get; init; }
    public string? ToStatus { get; init; }
    public string? Note { get; init; }
}

public sealed record OrderDetail(
    OrderSummary Summary, string PlacedByKind, string? Attribution, string ContactName, string ContactPhone, string DeliveryAddress,
    string? Note, string? RejectReason, string? CancelReason, string? ErpOrderId, IReadOnlyList<OrderLineView> Lines, IReadOnlyList<OrderEventView> Timeline,
    OrderInvoice? Invoice = null);

/// <summary>The invoice title (发票抬头) an order was placed with, as it was then. Kind: normal (普票) | special (专票).</summary>
public sealed class OrderInvoice
{
    public string Kind { get; init; } = "";
    public string KindText => Customers.InvoiceTitles.KindText(Kind);
    public string Title { get; init; } = "";
    public string? TaxNo { get; init; }
    public string? BankName { get; init; }
    public string? BankAccount { get; init; }
    public string? Address { get; init; }
    public string? Phone { get; init; }
}

/// <summary>
/// One line of 常购清单. A class with settable members, not a positional record: Dapper binds a record's constructor by
/// the column types, and SQLite reports an aggregate column of an empty result as a blob, so an empty list failed (issue #21).
/// </summary>
public sealed class FrequentItem
{
    public long ProductId { get; init; }
    public string Sku { get; init; } = "";
    public long TimesOrdered { get; init; }
    public long LastQuantity { get; init; }
    public long LastOrderedAt { get; init; }
}

public sealed class OrderQueries(Db db)
{
    private const string SummarySelect = """
        SELECT o.id AS Id, o.order_no AS OrderNo, o.customer_id AS CustomerId, cu.code AS CustomerCode, cu.name AS CustomerName,
               o.status AS Status, o.channel AS Channel, o.agent_id AS AgentId, a.name AS AgentName, o.goods_fen AS GoodsFen,
               o.discount_fen AS DiscountFen, o.total_fen AS TotalFen,
               (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id AND l.is_gift = FALSE) AS LineCount,
               o.credit_exceeded AS CreditExceeded, o.finance_override AS FinanceOverride, o.created_at AS CreatedAt
        FROM orders o JOIN customers cu ON cu.id = o.customer_id LEFT JOIN agents a ON a.id = o.agent_id
        """;

    /// <summary>Orders visible in the scope (a store's, an agent's stores', or all), newest first.</summary>
    public async Task<(IReadOnlyList<OrderSummary> Items, long? Next)> ListAsync(OrderScope scope, OrderFilter f, CancellationToken ct = default)
    {
        var sql = new StringBuilder(SummarySelect).Append(" WHERE 1 = 1");
        var p = new DynamicParameters();
        void Where(string clause, string name, object? value) { sql.Append(" AND ").Append(clause); p.Add(name, value); }
        if (scope.CustomerId is { } sc) Where(OrderScope.StoreSql("scopeCustomer"), "scopeCustomer", sc);
        if (scope.AgentId is { } sa) Where("cu.agent_id = @scopeAgent", "scopeAgent", sa);
        if (f.Status is not null) Where("o.status = @status", "status", f.Status);
        if (f.CustomerId is { } c) Where("o.customer_id = @customerId", "customerId", c);
        if (f.AgentId is { } a) Where("o.agent_id = @agentId", "agentId", a);
        if (f.Channel is not null) Where("o.channel = @channel", "channel", f.Channel);
        var at = f.ByShipDate ? "o.shipped_at" : "o.created_at";
        if (f.FromMs is { } from) Where($"{at} >= @from", "from", from);
        if (f.ToMs is { } to) Where($"{at} < @to", "to", to);
        if (f.Before is { } before) Where("o.id < @before", "before", before);
        if (!string.IsNullOrWhiteSpace(f.Search))
            Where($"(LOWER(o.order_no) LIKE @q{SqlText.LikeEscape} OR LOWER(cu.name) LIKE @q{SqlText.LikeEscape} OR LOWER(cu.code) LIKE @q{SqlText.LikeEscape})", "q", SqlText.Contains(f.Search));
        sql.Append(" ORDER BY o.id DESC LIMIT @limit");
        p.Add("limit", f.Limit + 1);
        await using var conn = await db.OpenAsync(ct);
        var rows = (await conn.QueryAsync<OrderSummary>(sql.ToString(), p)).ToList();
        var more = rows.Count > f.Limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        return (rows, more ? rows[^1].Id : null);
    }

    /// <summary>How many orders wait in each status (the back office's queue counters).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(OrderScope scope, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Status, long Count)>($"""
            SELECT o.status, COUNT(*) FROM orders o JOIN customers cu ON cu.id = o.customer_id
            WHERE {OrderScope.StoreSql("customerId")} AND (@agentId IS NULL OR cu.agent_id = @agentId)
            GROUP BY o.status
            """, new { customerId = scope.CustomerId, agentId = scope.AgentId });
        var all = Domain.Ordering.OrderStatus.All.ToDictionary(s => s, _ => 0L);
        foreach (var (s, n) in rows) all[s] = n;
        return all;
    }

    public async Task<OrderDetail?> GetAsync(OrderScope scope, long? id, string? orderNo, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        // One round trip: the summary (with the caller's scope) and the rest of the order, read only when the summary is there.
        const string order = "(SELECT t.id FROM orders t WHERE t.id = @id OR t.order_no = @orderNo)";
        await using var grid = await c.QueryMultipleAsync(SummarySelect + $"""
             WHERE (o.id = @id OR o.order_no = @orderNo)
               AND {OrderScope.StoreSql("customerId")} AND (@agentId IS NULL OR cu.agent_id = @agentId);
            SELECT placed_by_kind, attribution, contact_name, contact_phone, delivery_address, note, reject_reason, cancel_reason, erp_order_id FROM orders WHERE id = {order};
            SELECT line_no AS LineNo, sku AS Sku, name AS Name, spec AS Spec, COALESCE(order_unit, unit) AS Unit,
                   COALESCE(order_quantity, quantity) AS Quantity, COALESCE(order_unit_price_fen, unit_price_fen) AS UnitPriceFen,
                   unit AS BaseUnit, unit_factor AS UnitFactor, quantity AS BaseQuantity, amount_fen AS AmountFen, price_source AS PriceSource, price_reason AS PriceReason, is_gift AS IsGift
            FROM order_lines WHERE order_id = {order} ORDER BY line_no;
            SELECT at AS At, actor_kind AS ActorKind, actor_name AS ActorName, action AS Action, from_status AS FromStatus, to_status AS ToStatus, note AS Note
            FROM order_events WHERE order_id = {order} ORDER BY id;
            SELECT invoice_kind AS Kind, invoice_title AS Title, invoice_tax_no AS TaxNo, invoice_bank_name AS BankName,
                   invoice_bank_account AS BankAccount, invoice_address AS Address, invoice_phone AS Phone
            FROM orders WHERE id = {order} AND invoice_kind IS NOT NULL
            """, new { id = id ?? -1, orderNo = orderNo ?? "", customerId = scope.CustomerId, agentId = scope.AgentId });
        var summary = await grid.ReadSingleOrDefaultAsync<OrderSummary>();
        if (summary is null) return null;
        var extra = await grid.ReadSingleAsync<(string PlacedByKind, string? Attribution, string ContactName, string ContactPhone, string DeliveryAddress, string? Note, string? RejectReason, string? CancelReason, string? ErpOrderId)>();
        var lines = (await grid.ReadAsync<OrderLineView>()).ToList();
        var events = (await grid.ReadAsync<OrderEventView>()).ToList();
        var invoice = await grid.ReadSingleOrDefaultAsync<OrderInvoice>();
        return new OrderDetail(summary, extra.PlacedByKind, extra.Attribution, extra.ContactName, extra.ContactPhone, extra.DeliveryAddress,
            extra.Note, extra.RejectReason, extra.CancelReason, extra.ErpOrderId, lines, events, invoice);
    }

    /// <summary>What this store orders most often lately ("常购清单"), most frequent first.</summary>
    public async Task<IReadOnlyList<FrequentItem>> FrequentAsync(long customerId, long sinceMs, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<FrequentItem>($"""
            SELECT l.product_id AS ProductId, MIN(l.sku) AS Sku, COUNT(DISTINCT o.id) AS TimesOrdered,
                   (SELECT l2.quantity FROM order_lines l2 JOIN orders o2 ON o2.id = l2.order_id
                    WHERE o2.customer_id = @customerId AND l2.product_id = l.product_id AND l2.is_gift = FALSE ORDER BY o2.id DESC LIMIT 1) AS LastQuantity,
                   MAX(o.created_at) AS LastOrderedAt
            FROM order_lines l JOIN orders o ON o.id = l.order_id
            WHERE o.customer_id = @customerId AND o.created_at >= @sinceMs AND l.is_gift = FALSE AND {OrderStatusSql.CountsAsRevenue()}
            GROUP BY l.product_id
            ORDER BY COUNT(DISTINCT o.id) DESC, MAX(o.created_at) DESC
            LIMIT @limit
            """, new { customerId, sinceMs, limit })).ToList();
    }
}

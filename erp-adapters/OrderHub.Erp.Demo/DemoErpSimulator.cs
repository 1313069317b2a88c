using Dapper;
using Microsoft.Data.Sqlite;

namespace OrderHub.Erp.Demo;

/// <summary>What one tick did.</summary>
public sealed record DemoErpTick(int StockMoves, int OrdersConfirmed, int OrdersShipped, int Payments);

/// <summary>
/// Plays the people working in the demo ERP. Each <see cref="TickAsync"/> (called by a scheduled job, or by a test):
/// moves the stock of a few random products (sales through other channels, goods received); confirms pushed orders
/// <see cref="DemoErpOptions.ConfirmAfter"/> after they arrived and ships them <see cref="DemoErpOptions.ShipAfter"/> after
/// (shipping takes the goods out of stock and adds the order to the customer's receivable); and now and then books a
/// customer payment. Every change gets a new change number, so OrderHub's incremental pulls see it.
/// The same <see cref="DemoErpOptions.Seed"/>, data and tick times give the same changes.
/// </summary>
public sealed class DemoErpSimulator(DemoErp erp)
{
    private readonly Random _random = new(erp.Options.Seed);
    private readonly SemaphoreSlim _oneTickAtATime = new(1, 1);

    /// <param name="now">The ERP's time for this tick; the <see cref="DemoErp.Clock"/> when null.</param>
    public async Task<DemoErpTick> TickAsync(DateTimeOffset? now = null, CancellationToken ct = default)
    {
        var at = (now ?? erp.Clock.GetUtcNow()).ToUnixTimeMilliseconds();
        await _oneTickAtATime.WaitAsync(ct);
        try
        {
            return await erp.WriteAsync(async (c, tx) =>
            {
                var moves = await MoveStockAsync(c, tx, at);
                var (confirmed, shipped) = await AdvanceOrdersAsync(c, tx, at);
                var payments = await MaybeBookPaymentAsync(c, tx, at);
                return new DemoErpTick(moves, confirmed, shipped, payments);
            }, ct);
        }
        finally
        {
            _oneTickAtATime.Release();
        }
    }

    private async Task<int> MoveStockAsync(SqliteConnection c, SqliteTransaction tx, long at)
    {
        var rows = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM stock", transaction: tx);
        var moves = 0;
        for (var i = 0; i < erp.Options.StockMovesPerTick && rows > 0; i++)
        {
            var row = await c.QuerySingleAsync<(string Product, string Warehouse, long OnHand, long Pack)>("""
                SELECT s.product_code, s.warehouse_code, s.on_hand, p.pack_size FROM stock s JOIN products p ON p.code = s.product_code
                ORDER BY s.product_code, s.warehouse_code LIMIT 1 OFFSET @offset
                """, new { offset = _random.NextInt64(rows) }, tx);
            var receive = row.OnHand == 0 || _random.Next(10) < 4;
            var delta = receive
                ? row.Pack * _random.Next(5, 51)                                   // 到货
                : -Math.Min(row.OnHand, row.Pack * _random.Next(1, 6));            // 门店直营/其他渠道销售
            await SetStockAsync(c, tx, row.Product, row.Warehouse, row.OnHand + delta, at);
            moves++;
        }
        return moves;
    }

    private async Task<(int Confirmed, int Shipped)> AdvanceOrdersAsync(SqliteConnection c, SqliteTransaction tx, long at)
    {
        var confirmAfter = (long)erp.Options.ConfirmAfter.TotalMilliseconds;
        var shipAfter = (long)erp.Options.ShipAfter.TotalMilliseconds;
        var open = await c.QueryAsync<(long Id, string ErpId, string OrderNumber, string State, long CreatedAt, string CustomerCode, string Warehouse, long TotalFen)>(
            "SELECT id, erp_id, order_number, state, created_at, customer_code, warehouse_code, total_fen FROM orders WHERE state IN ('New', 'Confirmed') ORDER BY id",
            transaction: tx);
        int confirmed = 0, shipped = 0;
        foreach (var o in open)
        {
            var state = o.State;
            if (state == "New" && at >= o.CreatedAt + confirmAfter)
            {
                await SetOrderStateAsync(c, tx, o.Id, o.OrderNumber, o.ErpId, ErpOrderState.Confirmed, "已审核", at);
                state = "Confirmed";
                confirmed++;
            }
            if (state == "Confirmed" && at >= o.CreatedAt + shipAfter)
            {
                await ShipAsync(c, tx, o.Id, o.Warehouse, o.CustomerCode, o.TotalFen, at);
                await SetOrderStateAsync(c, tx, o.Id, o.OrderNumber, o.ErpId, ErpOrderState.Shipped, $"已从{o.Warehouse}发货", at);
                shipped++;
            }
        }
        return (confirmed, shipped);
    }

    private static async Task ShipAsync(SqliteConnection c, SqliteTransaction tx, long orderId, string warehouse, string customer, long totalFen, long at)
    {
        var lines = await c.QueryAsync<(string Product, long Quantity)>(
            """
            SELECT l.product_code, l.quantity * COALESCE(pu.factor, 1) FROM order_lines l
            LEFT JOIN order_line_units lu ON lu.order_id = l.order_id AND lu.line_no = l.line_no
            LEFT JOIN product_units pu ON pu.product_code = l.product_code AND pu.erp_code = lu.unit
            WHERE l.order_id = @orderId ORDER BY l.line_no
            """, new { orderId }, tx);
        foreach (var line in lines)
        {
            var onHand = await c.ExecuteScalarAsync<long?>("SELECT on_hand FROM stock WHERE product_code = @Product AND warehouse_code = @warehouse",
                new { line.Product, warehouse }, tx) ?? 0;
            await SetStockAsync(c, tx, line.Product, warehouse, Math.Max(0, onHand - line.Quantity), at);
        }
        var seq = await ChangeSequence.NextAsync(c, tx);
        await c.ExecuteAsync("UPDATE customers SET receivable_fen = receivable_fen + @totalFen, changed_at = @at, seq = @seq WHERE code = @customer",
            new { totalFen, at, seq, customer }, tx);
    }

    private async Task<int> MaybeBookPaymentAsync(SqliteConnection c, SqliteTransaction tx, long at)
    {
        if (_random.NextDouble() >= erp.Options.PaymentChancePerTick) return 0;
        var owing = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE receivable_fen > 0", transaction: tx);
        if (owing == 0) return 0;
        var (code, receivable) = await c.QuerySingleAsync<(string, long)>(
            "SELECT code, receivable_fen FROM customers WHERE receivable_fen > 0 ORDER BY code LIMIT 1 OFFSET @offset",
            new { offset = _random.NextInt64(owing) }, tx);
        var amount = Math.Min(receivable, _random.Next(1, 21) * 10_000L); // whole hundreds of yuan, at most what is owed
        var paymentSeq = await ChangeSequence.NextAsync(c, tx);
        await c.ExecuteAsync("INSERT INTO payments (reference, customer_code, amount_fen, paid_at, note, seq) VALUES (@reference, @code, @amount, @at, '银行转账', @paymentSeq)",
            new { reference = $"SK{paymentSeq:D8}", code, amount, at, paymentSeq }, tx);
        var seq = await ChangeSequence.NextAsync(c, tx);
        await c.ExecuteAsync("UPDATE customers SET receivable_fen = receivable_fen - @amount, changed_at = @at, seq = @seq WHERE code = @code",
            new { amount, at, seq, code }, tx);
        return 1;
    }

    private static async Task SetStockAsync(SqliteConnection c, SqliteTransaction tx, string product, string warehouse, long onHand, long at)
    {
        var seq = await ChangeSequence.NextAsync(c, tx);
        await c.ExecuteAsync("""
            INSERT INTO stock (product_code, warehouse_code, on_hand, changed_at, seq) VALUES (@product, @warehouse, @onHand, @at, @seq)
            ON CONFLICT (product_code, warehouse_code) DO UPDATE SET on_hand = excluded.on_hand, changed_at = excluded.changed_at, seq = excluded.seq
            """, new { product, warehouse, onHand, at, seq }, tx);
    }

    private static async Task SetOrderStateAsync(SqliteConnection c, SqliteTransaction tx, long id, string orderNumber, string erpId,
        ErpOrderState state, string detail, long at)
    {
        var seq = await ChangeSequence.NextAsync(c, tx);
        await c.ExecuteAsync("UPDATE orders SET state = @state WHERE id = @id", new { state = state.ToString(), id }, tx);
        await c.ExecuteAsync("INSERT INTO order_status (seq, order_number, erp_id, state, changed_at, detail) VALUES (@seq, @orderNumber, @erpId, @state, @at, @detail)",
            new { seq, orderNumber, erpId, state = state.ToString(), at, detail }, tx);
    }
}

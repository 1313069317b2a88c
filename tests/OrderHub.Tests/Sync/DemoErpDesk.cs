using Dapper;
using Microsoft.Data.Sqlite;

namespace OrderHub.Tests.Sync;

/// <summary>Plays an ERP user in the demo ERP's own file: changes stock, prices, books receipts (each change gets a new change number).</summary>
public sealed class DemoErpDesk(string file)
{
    private readonly string _cs = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();

    public Task SetStockAsync(string sku, string warehouse, long onHand, long atMs) => ChangeAsync(
        "UPDATE stock SET on_hand = @onHand, changed_at = @atMs, seq = @seq WHERE product_code = @sku AND warehouse_code = @warehouse",
        new { sku, warehouse, onHand, atMs });

    public Task SetBasePriceAsync(string sku, long priceFen, long atMs) => ChangeAsync(
        "UPDATE prices SET price_fen = @priceFen, changed_at = @atMs, seq = @seq WHERE product_code = @sku AND scope = 'Base'",
        new { sku, priceFen, atMs });

    public Task AddPaymentAsync(string reference, string customer, long amountFen, long atMs) => ChangeAsync(
        "INSERT INTO payments (reference, customer_code, amount_fen, paid_at, note, seq) VALUES (@reference, @customer, @amountFen, @atMs, '银行转账', @seq)",
        new { reference, customer, amountFen, atMs });

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = new SqliteConnection(_cs);
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    private async Task ChangeAsync(string sql, object args)
    {
        await using var c = new SqliteConnection(_cs);
        await c.OpenAsync();
        await using var tx = c.BeginTransaction();
        var seq = await c.ExecuteScalarAsync<long>("UPDATE change_seq SET value = value + 1 WHERE id = 1 RETURNING value", transaction: tx);
        var p = new DynamicParameters(args);
        p.Add("seq", seq);
        Assert.That(await c.ExecuteAsync(sql, p, tx), Is.EqualTo(1), sql);
        await tx.CommitAsync();
    }
}

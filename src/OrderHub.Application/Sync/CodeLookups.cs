using System.Data.Common;
using Dapper;

namespace OrderHub.Application.Sync;

/// <summary>Ids of OrderHub rows by the codes the ERP uses (SKU, customer code, group code, warehouse code).</summary>
internal static class CodeLookups
{
    public static Task<long?> ProductIdAsync(DbConnection c, DbTransaction tx, string sku) =>
        c.ExecuteScalarAsync<long?>("SELECT id FROM products WHERE sku = @sku", new { sku }, tx);

    public static Task<long?> CustomerIdAsync(DbConnection c, DbTransaction? tx, string code) =>
        c.ExecuteScalarAsync<long?>("SELECT id FROM customers WHERE code = @code", new { code }, tx);

    public static Task<long?> GroupIdAsync(DbConnection c, DbTransaction tx, string? code) =>
        string.IsNullOrWhiteSpace(code)
            ? Task.FromResult<long?>(null)
            : c.ExecuteScalarAsync<long?>("SELECT id FROM customer_groups WHERE code = @code", new { code }, tx);

    /// <summary>The warehouse with this code, created (named by its code) when OrderHub does not know it yet.</summary>
    public static async Task<long> WarehouseIdAsync(DbConnection c, DbTransaction tx, string code)
    {
        await c.ExecuteAsync("INSERT INTO warehouses (code, name) VALUES (@code, @code) ON CONFLICT (code) DO NOTHING", new { code }, tx);
        return await c.ExecuteScalarAsync<long>("SELECT id FROM warehouses WHERE code = @code", new { code }, tx);
    }
}

using Dapper;
using OrderHub.Erp.SqlDatabase.Database;

namespace OrderHub.Erp.SqlDatabase.Feeds;

/// <summary>
/// Runs the <c>ProductUnits</c> query for the product codes of a products page and groups its rows per product.
/// A row with a missing unit, a factor below 2 or a negative price is reported and left out (the product keeps its other units).
/// </summary>
internal sealed class ProductUnitsReader(ErpDatabase db, IErpDataIssues issues)
{
    public Task<Dictionary<string, List<ErpProductUnit>>> ReadAsync(string sql, IReadOnlyList<string> codes, CancellationToken ct) =>
        db.RunAsync("ProductUnits", isWrite: false, async c =>
        {
            var result = new Dictionary<string, List<ErpProductUnit>>(StringComparer.Ordinal);
            // At most 1,000 codes a query: SQL Server takes at most 2,100 parameters, and Erp:SqlDatabase:PageSize may be larger.
            foreach (var chunk in codes.Chunk(1_000))
            {
                await using var reader = await c.ExecuteReaderAsync(db.Command(sql, new { codes = chunk }, null, ct));
                while (await reader.ReadAsync(ct))
                {
                    var row = ErpRow.Read(reader, "ProductUnits", TimeZoneInfo.Utc);
                    var code = row.String("ProductCode", required: true);
                    try
                    {
                        var name = row.Required("Unit");
                        var factor = row.Long("Factor", required: true) ?? 0;
                        if (factor is < 2 or > int.MaxValue) throw new BadErpRowException($"unit {name}: factor {factor} must be a whole number of at least 2 base units");
                        long? price = null;
                        if (row.Decimal("Price") is { } yuan)
                        {
                            if (yuan < 0) throw new BadErpRowException($"unit {name}: negative price {yuan}");
                            price = ErpMoney.ToFen(yuan, SubFenPolicy.Round, out _);   // a case price with sub-fen digits is rounded half-up once
                        }
                        if (code is null) continue;
                        (result.TryGetValue(code, out var list) ? list : result[code] = []).Add(new ErpProductUnit(name, (int)factor, price, row.String("ErpCode") ?? name));
                    }
                    catch (BadErpRowException bad)
                    {
                        issues.Report(new ErpDataIssue("Products", code, bad.Message, RowSkipped: false));
                    }
                }
            }
            return result;
        }, ct);
}

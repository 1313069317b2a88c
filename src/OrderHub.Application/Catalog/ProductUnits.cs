using System.Data.Common;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Domain.Catalog;

namespace OrderHub.Application.Catalog;

/// <summary>Reads products' larger units (<c>product_units</c>); the arithmetic is <see cref="UnitConversion"/>'s.</summary>
public static class ProductUnits
{
    public const string Columns = "product_id AS ProductId, unit AS Name, factor AS Factor, price_fen AS PriceFen, erp_code AS ErpCode";

    /// <summary>Each product's units, base unit first (<see cref="UnitConversion.UnitsOf"/>).</summary>
    public static async Task<IReadOnlyDictionary<long, IReadOnlyList<ProductUnit>>> LoadAsync(
        DbConnection c, SqlDialect dialect, IReadOnlyCollection<(long ProductId, string BaseUnit)> products, DbTransaction? tx = null)
    {
        if (products.Count == 0) return new Dictionary<long, IReadOnlyList<ProductUnit>>();
        var rows = await c.QueryAsync<Row>($"SELECT {Columns} FROM product_units WHERE {dialect.InList("product_id", "ids")}",
            new { ids = products.Select(p => p.ProductId).Distinct().ToArray() }, tx);
        return Assemble(products, rows);
    }

    internal static IReadOnlyDictionary<long, IReadOnlyList<ProductUnit>> Assemble(IEnumerable<(long ProductId, string BaseUnit)> products, IEnumerable<Row> rows)
    {
        var byProduct = rows.ToLookup(r => r.ProductId, r => new ProductUnit(r.Name, r.Factor, r.PriceFen, r.ErpCode));
        var result = new Dictionary<long, IReadOnlyList<ProductUnit>>();
        foreach (var (id, baseUnit) in products) result[id] = UnitConversion.UnitsOf(baseUnit, byProduct[id]);
        return result;
    }

    internal sealed class Row
    {
        public long ProductId { get; init; }
        public string Name { get; init; } = "";
        public int Factor { get; init; }
        public long? PriceFen { get; init; }
        public string? ErpCode { get; init; }
    }
}

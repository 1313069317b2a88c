using System.Data.Common;
using Dapper;

namespace OrderHub.Application.Catalog;

/// <summary>
/// The change counter of everything the catalog snapshot holds (products, categories, price lists, promotions,
/// assortment rules). Whoever writes those calls <see cref="BumpAsync"/> in the same transaction, so a node that reads the
/// counter in the same round trip as a page knows whether its snapshot is still the truth.
/// </summary>
public static class CatalogVersion
{
    public const string Select = "SELECT version FROM catalog_version WHERE id = 1";

    public static Task BumpAsync(DbConnection c, DbTransaction? tx = null) =>
        c.ExecuteAsync("UPDATE catalog_version SET version = version + 1 WHERE id = 1", transaction: tx);
}

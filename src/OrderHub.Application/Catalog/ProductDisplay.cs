using OrderHub.Domain.Catalog;

namespace OrderHub.Application.Catalog;

/// <summary>
/// The slow-changing half of a catalog item — what every store sees alike: names, spec, pack size and MOQ, images, base
/// price, content, units (issue #19). Read from the database the first time a page shows the product under a snapshot
/// version and kept on that snapshot's entry (<see cref="CatalogSnapshot.ProductEntry.Display"/>), so later pages read only
/// the live half (stock, the store's own and last paid prices). Every writer of these columns moves
/// <see cref="CatalogVersion"/> in its transaction, and a page checks the version in the same round trip, so a change
/// shows on the next page: the entry it was kept on is replaced with its snapshot.
/// </summary>
/// <param name="ErpImageUrls">The ERP's image URLs; the uploaded image (<paramref name="ImageFile"/>) goes first, with the request's address.</param>
/// <param name="Units">The product's units, base unit first (<see cref="UnitConversion.UnitsOf"/>).</param>
public sealed record ProductDisplay(
    long ProductId, string Sku, string Name, string? Spec, string Unit, int PackSize, int MinOrderQty, string? Barcode, string? Brand,
    long? CategoryId, IReadOnlyList<string> ErpImageUrls, string? ImageFile, long BasePriceFen, string? Description,
    IReadOnlyList<string> SellingPoints, IReadOnlyList<string> Tags, bool IsNew, bool IsHot, IReadOnlyList<ProductUnit> Units);

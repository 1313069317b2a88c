using OrderHub.Domain.Text;

namespace OrderHub.Application.Catalog;

/// <summary>What a product search matches: name, SKU, barcode, brand and pinyin initials, lower-cased in one column.</summary>
public static class ProductSearchText
{
    public static string For(string name, string sku, string? barcode, string? brand, string? spec) =>
        string.Join(' ', new[] { name, sku, barcode, brand, spec, PinyinInitials.Of(name), PinyinInitials.Of(brand) }
            .Where(s => !string.IsNullOrEmpty(s))).ToLowerInvariant();
}

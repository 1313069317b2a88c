using System.Collections.Concurrent;
using OrderHub.Domain.Catalog;

namespace OrderHub.Application.Catalog;

/// <summary>
/// One copy of each repeated value a <see cref="CatalogSnapshot"/> keeps — specs ("500ml*24"), units, brands and their
/// pinyin, category names, tags — shared by every product that has it (issue #19: at the large set, 100k products, the
/// same few hundred values were held once per product and were a fifth of the server's managed heap). Only values that
/// repeat go through it; a value of one product (its name, SKU, barcode) would cost a dictionary entry for nothing.
/// Safe to use from concurrent requests (display halves are read by pages while the snapshot is live); it lives and goes
/// with its snapshot.
/// </summary>
public sealed class StringPool
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProductUnit> _baseUnits = new(StringComparer.Ordinal);

    /// <summary>The pooled copy of <paramref name="s"/> (the empty string is always <see cref="string.Empty"/>).</summary>
    public string Share(string s) => s.Length == 0 ? string.Empty : _strings.GetOrAdd(s, s);

    /// <inheritdoc cref="Share(string)"/>
    public string? ShareOrNull(string? s) => s is null ? null : Share(s);

    /// <summary>Each value shared; an empty list is one shared empty array.</summary>
    public IReadOnlyList<string> ShareAll(IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0) return [];
        var shared = new string[values.Count];
        for (var i = 0; i < shared.Length; i++) shared[i] = Share(values[i]);
        return shared;
    }

    /// <summary>
    /// A product's units with their names shared, in an array of their own; the base unit (瓶, factor 1, nothing else) is one
    /// instance per name for every product (units are immutable records).
    /// </summary>
    public IReadOnlyList<ProductUnit> ShareUnits(IReadOnlyList<ProductUnit> units)
    {
        var shared = new ProductUnit[units.Count];
        for (var i = 0; i < shared.Length; i++)
        {
            var u = units[i];
            shared[i] = u.IsBase && u.PriceFen is null && u.ErpCode is null
                ? _baseUnits.GetOrAdd(Share(u.Name), ProductUnit.Base)
                : u with { Name = Share(u.Name), ErpCode = ShareOrNull(u.ErpCode) };
        }
        return shared;
    }
}

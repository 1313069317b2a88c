using OrderHub.Domain.Text;

namespace OrderHub.Application.Catalog;

/// <summary>
/// A shopkeeper's search, as typed: words separated by spaces ("康师傅 牛肉"), each of which must match the product
/// somewhere — name, brand, category, spec, tags, SKU, barcode, full pinyin (at a syllable start: "niurou") or pinyin
/// initials ("ksf"). A barcode or SKU typed (or scanned with wx.scanCode) whole is an exact match and comes first.
/// </summary>
public sealed class SearchQuery
{
    public string Whole { get; }
    public string[] Terms { get; }

    private SearchQuery(string whole, string[] terms) { Whole = whole; Terms = terms; }

    /// <summary>Null for a blank query. Full-width spaces and commas separate words too; repeated words count once.</summary>
    public static SearchQuery? Parse(string? q)
    {
        if (string.IsNullOrWhiteSpace(q)) return null;
        var whole = q.Trim().ToLowerInvariant();
        var terms = whole.Split([' ', '\u3000', ',', '，', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToArray();
        return terms.Length == 0 ? null : new SearchQuery(whole, terms);
    }
}

/// <summary>What a product is searched by, lower-cased and with its pinyin worked out once, when the snapshot loads.</summary>
public sealed class SearchFields
{
    public string Name { get; init; } = "";
    public string Brand { get; init; } = "";
    /// <summary>The leaf category's name and, after a slash, its ancestors' ("纯牛奶/乳制品").</summary>
    public string Category { get; init; } = "";
    public string Leaf { get; init; } = "";
    public string Spec { get; init; } = "";
    public string Sku { get; init; } = "";
    public string Barcode { get; init; } = "";
    public string Tags { get; init; } = "";
    /// <summary>The name's syllables run together, and where each syllable starts in it.</summary>
    public string NamePinyin { get; init; } = "";
    public int[] NameSyllableStarts { get; init; } = [];
    public string NameInitials { get; init; } = "";
    public string BrandPinyin { get; init; } = "";
    public string BrandInitials { get; init; } = "";

    public static SearchFields Of(string name, string sku, string? barcode, string? brand, string? spec, string category, string leaf, IEnumerable<string> tags)
    {
        var syllables = Pinyin.Syllables(name);
        var starts = new int[syllables.Count];
        for (int i = 0, at = 0; i < syllables.Count; at += syllables[i].Length, i++) starts[i] = at;
        var brandSyllables = Pinyin.Syllables(brand);
        return new SearchFields
        {
            Name = name.ToLowerInvariant(), Brand = brand?.ToLowerInvariant() ?? "", Category = category.ToLowerInvariant(), Leaf = leaf.ToLowerInvariant(),
            Spec = spec?.ToLowerInvariant() ?? "", Sku = sku.ToLowerInvariant(), Barcode = barcode ?? "", Tags = string.Join(' ', tags).ToLowerInvariant(),
            NamePinyin = string.Concat(syllables), NameSyllableStarts = starts, NameInitials = Initials(name, syllables),
            BrandPinyin = string.Concat(brandSyllables), BrandInitials = Initials(brand, brandSyllables),
        };
    }

    /// <summary>A Chinese syllable gives its first letter; a run of ASCII letters or digits ("NFC", "3") is kept whole.</summary>
    private static string Initials(string? text, IReadOnlyList<string> syllables) =>
        string.IsNullOrEmpty(text) ? "" : string.Concat(syllables.Select(s => AsciiRunIn(text, s) ? s : s[..1]));

    private static bool AsciiRunIn(string text, string syllable) => syllable.Any(char.IsDigit) || text.Contains(syllable, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Relevance of a product to a query: 0 when some word matches nowhere; otherwise the sum over the words of the best
/// place each matched (exact or prefix name, then brand, then the product's category, then inside the name, then pinyin, category, tags, spec, codes),
/// plus a little for how much of the name the words cover (纯牛奶 before 丝滑牛奶巧克力 for 牛奶) and for a word naming the
/// category. A whole barcode or SKU beats everything. Ties are broken by the caller (the store's purchases, then what stores
/// of its group buy, then the 推荐 order, then SKU).
/// </summary>
public static class ProductSearch
{
    public const double ExactCode = 10_000;

    public static double Score(SearchFields f, SearchQuery q)
    {
        if (f.Barcode.Length > 0 && f.Barcode == q.Whole) return ExactCode;
        if (f.Sku == q.Whole) return ExactCode - 1;
        double total = 0, covered = 0;
        var namesCategory = false;
        foreach (var t in q.Terms)
        {
            var s = Term(f, t);
            if (s == 0) return 0;
            total += s;
            covered += Coverage(f, t);
            if (f.Leaf.Length > 0 && f.Leaf.Contains(t, StringComparison.Ordinal)) namesCategory = true;
        }
        total += 20 * Math.Min(1, covered);
        return namesCategory ? total + 10 : total;
    }

    private static double Term(SearchFields f, string t)
    {
        if (f.Name == t) return 100;
        if (f.Name.StartsWith(t, StringComparison.Ordinal)) return 90;
        if (f.Brand == t) return 88;
        if (f.Brand.Length > 0 && f.Brand.StartsWith(t, StringComparison.Ordinal)) return 78;
        // A word in the product's own category's name says what the product is (牛奶 → the 纯牛奶 shelf, 特仑苏 included),
        // more than the same word inside another product's name (丝滑牛奶巧克力).
        if (f.Leaf.Length > 0 && f.Leaf.Contains(t, StringComparison.Ordinal)) return 62;
        if (f.Name.Contains(t, StringComparison.Ordinal)) return 60;
        if (f.Brand.Contains(t, StringComparison.Ordinal)) return 50;
        if (!IsAsciiWord(t))
        {
            if (f.Category.Contains(t, StringComparison.Ordinal)) return 35;
            if (f.Tags.Contains(t, StringComparison.Ordinal)) return 30;
            if (f.Spec.Contains(t, StringComparison.Ordinal)) return 20;
            return 0;
        }
        // Letters and digits: pinyin, initials, codes.
        if (f.NamePinyin.StartsWith(t, StringComparison.Ordinal) || f.NameInitials.StartsWith(t, StringComparison.Ordinal)) return 55;
        if (f.BrandPinyin.StartsWith(t, StringComparison.Ordinal) || (t.Length > 1 && f.BrandInitials == t)) return 50;
        if (AtSyllableStart(f, t) || (t.Length > 1 && f.NameInitials.Contains(t, StringComparison.Ordinal))) return 40;
        if (f.Tags.Contains(t, StringComparison.Ordinal)) return 30;
        if (f.Sku.Contains(t, StringComparison.Ordinal) || f.Spec.Contains(t, StringComparison.Ordinal)) return 20;
        if (t.Length >= 4 && f.Barcode.StartsWith(t, StringComparison.Ordinal)) return 20;
        return 0;
    }

    /// <summary>How much of the name a word covers, in characters or, for pinyin, in letters of the name's pinyin or initials.</summary>
    private static double Coverage(SearchFields f, string t)
    {
        if (f.Name.Length > 0 && f.Name.Contains(t, StringComparison.Ordinal)) return (double)t.Length / f.Name.Length;
        if (!IsAsciiWord(t)) return 0;
        if (f.NamePinyin.Length > 0 && AtSyllableStart(f, t)) return (double)t.Length / f.NamePinyin.Length;
        if (f.NameInitials.Length > 0 && f.NameInitials.Contains(t, StringComparison.Ordinal)) return (double)t.Length / f.NameInitials.Length;
        return 0;
    }

    private static bool IsAsciiWord(string t)
    {
        foreach (var ch in t) if (ch >= 128) return false;
        return true;
    }

    private static bool AtSyllableStart(SearchFields f, string t)
    {
        foreach (var start in f.NameSyllableStarts)
            if (start + t.Length <= f.NamePinyin.Length && string.CompareOrdinal(f.NamePinyin, start, t, 0, t.Length) == 0) return true;
        return false;
    }
}

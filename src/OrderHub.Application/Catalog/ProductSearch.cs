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

    /// <param name="share">Shares values that repeat across products (brand, category, spec, tags; see <see cref="StringPool"/>); none by default.</param>
    public static SearchFields Of(string name, string sku, string? barcode, string? brand, string? spec, string category, string leaf, IEnumerable<string> tags,
        StringPool? share = null)
    {
        var syllables = Pinyin.Syllables(name);
        var starts = new int[syllables.Count];
        for (int i = 0, at = 0; i < syllables.Count; at += syllables[i].Length, i++) starts[i] = at;
        var brandSyllables = Pinyin.Syllables(brand);
        string S(string s) => share?.Share(s) ?? s;
        return new SearchFields
        {
            Name = name.ToLowerInvariant(), Brand = S(brand?.ToLowerInvariant() ?? ""), Category = S(category.ToLowerInvariant()), Leaf = S(leaf.ToLowerInvariant()),
            Spec = S(spec?.ToLowerInvariant() ?? ""), Sku = sku.ToLowerInvariant(), Barcode = barcode ?? "", Tags = S(string.Join(' ', tags).ToLowerInvariant()),
            NamePinyin = string.Concat(syllables), NameSyllableStarts = starts, NameInitials = Initials(name, syllables),
            BrandPinyin = S(string.Concat(brandSyllables)), BrandInitials = S(Initials(brand, brandSyllables)),
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

    internal static double Term(SearchFields f, string t)
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
    internal static double Coverage(SearchFields f, string t)
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

/// <summary>
/// Typo tolerance (容错搜索), used only when the exact search finds fewer than <see cref="FewMatches"/> products: a word that
/// matches nowhere may match a name, brand or category (Chinese) or the name's or brand's pinyin (letters) with at most one
/// edit — a character wrong, missing, extra, or two neighbours swapped — or two for a long word (7 Chinese characters, 9
/// letters). 康帅傅 finds 康师傅, kangshfu finds kangshifu. Words with a digit (barcodes, SKUs, 500ml) and short words are
/// never approximated: a barcode with a wrong digit finds nothing rather than another product. Every approximate score is
/// below <see cref="ProductSearch"/>'s least exact score, so approximate matches always come after exact ones; fewer edits
/// first, then a match in the name before one in the brand or pinyin, then how much of the name the words cover.
/// </summary>
public static class TypoSearch
{
    /// <summary>Below this many exact matches the approximate pass runs.</summary>
    public const int FewMatches = 5;

    /// <summary>Every approximate score is below this; the least exact score is 20.</summary>
    public const double Ceiling = 10;

    /// <summary>Whether any word of the query may be approximated at all (otherwise the pass is skipped).</summary>
    public static bool Applies(SearchQuery q)
    {
        foreach (var t in q.Terms) if (MaxEdits(t) > 0) return true;
        return false;
    }

    /// <summary>How many edits a word may carry: 0 for a word with a digit or a short one.</summary>
    public static int MaxEdits(string t)
    {
        var ascii = true;
        foreach (var ch in t)
        {
            if (char.IsDigit(ch)) return 0;
            if (ch >= 128) ascii = false;
            else if (!char.IsAsciiLetter(ch)) return 0;
        }
        return ascii ? (t.Length >= 9 ? 2 : t.Length >= 5 ? 1 : 0) : (t.Length >= 7 ? 2 : t.Length >= 3 ? 1 : 0);
    }

    /// <summary>
    /// The approximate score of a product that the exact search did not match (0: no match). Every word must match, exactly
    /// (<see cref="ProductSearch"/>'s rules) or within its edits; at least one must need an edit.
    /// </summary>
    public static double Score(SearchFields f, SearchQuery q)
    {
        int edits = 0;
        double weight = 0, covered = 0;
        foreach (var t in q.Terms)
        {
            if (ProductSearch.Term(f, t) > 0) { weight += 1; covered += ProductSearch.Coverage(f, t); continue; }
            var k = MaxEdits(t);
            if (k == 0) return 0;
            var (d, w, field) = Best(f, t, k);
            if (d > k) return 0;
            edits += d;
            weight += w;
            if (field.Length > 0) covered += Math.Min(1, (double)t.Length / field.Length);
        }
        if (edits == 0) return 0;
        // 10/(1+edits) ≤ 5, plus ≤ 1 for where, plus ≤ 0.5 for coverage: always below the ceiling.
        return Ceiling / (1 + edits) / 2 + weight / q.Terms.Length + 0.5 * Math.Min(1, covered);
    }

    /// <summary>The fewest edits of the word inside one of the product's fields, that field's weight, and the field (for coverage: the name's text).</summary>
    private static (int Edits, double Weight, string Field) Best(SearchFields f, string t, int k)
    {
        (int, double, string) best = (int.MaxValue, 0, "");
        void Try(string text, double weight, string coverageOf)
        {
            var d = EditsWithin(text, t, k);
            if (d < best.Item1 || (d == best.Item1 && weight > best.Item2)) best = (d, weight, coverageOf);
        }
        if (t[0] >= 128)
        {
            Try(f.Name, 1, f.Name);
            Try(f.Brand, 0.8, f.Name);
            Try(f.Leaf, 0.6, f.Name);
        }
        else
        {
            Try(f.NamePinyin, 0.9, f.NamePinyin);
            Try(f.BrandPinyin, 0.7, f.NamePinyin);
        }
        return best;
    }

    /// <summary>
    /// The fewest edits (substitution, insertion, deletion, swap of neighbours) that make <paramref name="term"/> a substring
    /// of <paramref name="text"/>, or int.MaxValue when more than <paramref name="k"/>. A character filter first (with k edits at
    /// least m − k of the word's characters are in the text) keeps the dynamic programme to the few plausible texts.
    /// </summary>
    public static int EditsWithin(string text, string term, int k)
    {
        int m = term.Length, n = text.Length;
        if (m == 0 || n == 0 || n < m - k) return int.MaxValue;
        var present = 0;
        foreach (var ch in term) if (text.Contains(ch)) present++;
        if (present < m - k) return int.MaxValue;
        if (term[0] < 128 && m > 3)
        {
            // Letters repeat too much for the character filter: with k edits, at least m − 1 − 3k of the word's bigrams remain.
            var bigrams = 0;
            for (var i = 0; i + 1 < m; i++) if (text.AsSpan().IndexOf(term.AsSpan(i, 2)) >= 0) bigrams++;
            if (bigrams < m - 1 - 3 * k) return int.MaxValue;
        }
        Span<int> buffer = n + 1 <= 128 ? stackalloc int[3 * (n + 1)] : new int[3 * (n + 1)];
        var before = buffer[..(n + 1)];
        var prev = buffer.Slice(n + 1, n + 1);
        var cur = buffer.Slice(2 * (n + 1), n + 1);
        prev.Clear(); // row 0: the word may start anywhere in the text
        for (var i = 1; i <= m; i++)
        {
            cur[0] = i;
            var rowMin = i;
            for (var j = 1; j <= n; j++)
            {
                var v = Math.Min(prev[j - 1] + (term[i - 1] == text[j - 1] ? 0 : 1), Math.Min(prev[j], cur[j - 1]) + 1);
                if (i > 1 && j > 1 && term[i - 1] == text[j - 2] && term[i - 2] == text[j - 1]) v = Math.Min(v, before[j - 2] + 1);
                cur[j] = v;
                if (v < rowMin) rowMin = v;
            }
            var t0 = before; before = prev; prev = cur; cur = t0;
            // Costs never fall along a path (a swap reaches back two rows, so both rows must be past k).
            if (i >= 2 && i < m && rowMin > k && Min(before) > k) return int.MaxValue;
        }
        var best = Min(prev);
        return best <= k ? best : int.MaxValue;
    }

    private static int Min(Span<int> row)
    {
        var min = int.MaxValue;
        foreach (var v in row) if (v < min) min = v;
        return min;
    }
}

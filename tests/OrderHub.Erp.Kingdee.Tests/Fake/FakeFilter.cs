using System.Globalization;

namespace OrderHub.Erp.Kingdee.Tests.Fake;

/// <summary>
/// The subset of Kingdee's FilterString (a SQL WHERE fragment over field keys) the fake understands:
/// <c>field op literal</c> with = &lt;&gt; != &gt; &gt;= &lt; &lt;=, <c>field [NOT] IN (a, b)</c>, AND, OR and parentheses.
/// Literals are 'quoted text' (quote doubled inside) or numbers. Comparison follows the row value's type
/// (dates, numbers, text compared case-insensitively as SQL Server's default collation does); NULL equals ''.
/// </summary>
internal sealed class FakeFilter
{
    private readonly List<string> _tokens;
    private int _pos;
    public HashSet<string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Func<IReadOnlyDictionary<string, object?>, bool> Predicate { get; }

    private FakeFilter(string text)
    {
        _tokens = Tokenize(text);
        if (_tokens.Count == 0) { Predicate = _ => true; return; }
        Predicate = ParseOr();
        if (_pos != _tokens.Count) throw new FormatException($"Unexpected '{_tokens[_pos]}' in filter.");
    }

    public static FakeFilter Parse(string? text) => new(text ?? "");

    private static List<string> Tokenize(string s)
    {
        var list = new List<string>();
        for (var i = 0; i < s.Length;)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '(' or ')' or ',') { list.Add(c.ToString()); i++; continue; }
            if (c == '\'')
            {
                var sb = new System.Text.StringBuilder("'");
                i++;
                while (true)
                {
                    if (i >= s.Length) throw new FormatException("Unclosed quote in filter.");
                    if (s[i] == '\'' && i + 1 < s.Length && s[i + 1] == '\'') { sb.Append('\''); i += 2; continue; }
                    if (s[i] == '\'') { i++; break; }
                    sb.Append(s[i++]);
                }
                list.Add(sb.ToString());
                continue;
            }
            if (c is '<' or '>' or '=' or '!')
            {
                var two = i + 1 < s.Length ? s.Substring(i, 2) : "";
                if (two is "<>" or "!=" or ">=" or "<=") { list.Add(two); i += 2; } else { list.Add(c.ToString()); i++; }
                continue;
            }
            var start = i;
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '.' or '-')) i++;
            if (start == i) throw new FormatException($"Unexpected character '{c}' in filter.");
            list.Add(s[start..i]);
        }
        return list;
    }

    private string Peek => _pos < _tokens.Count ? _tokens[_pos] : "";
    private string Next() => _pos < _tokens.Count ? _tokens[_pos++] : throw new FormatException("Filter ends too early.");
    private bool Accept(string keyword)
    {
        if (!Peek.Equals(keyword, StringComparison.OrdinalIgnoreCase)) return false;
        _pos++;
        return true;
    }

    private Func<IReadOnlyDictionary<string, object?>, bool> ParseOr()
    {
        var left = ParseAnd();
        while (Accept("OR")) { var l = left; var r = ParseAnd(); left = row => l(row) || r(row); }
        return left;
    }

    private Func<IReadOnlyDictionary<string, object?>, bool> ParseAnd()
    {
        var left = ParseUnary();
        while (Accept("AND")) { var l = left; var r = ParseUnary(); left = row => l(row) && r(row); }
        return left;
    }

    private Func<IReadOnlyDictionary<string, object?>, bool> ParseUnary()
    {
        if (Accept("("))
        {
            var inner = ParseOr();
            if (!Accept(")")) throw new FormatException("Missing ')' in filter.");
            return inner;
        }
        var left = ParseOperand();
        var negate = Accept("NOT");
        if (Accept("IN"))
        {
            if (!Accept("(")) throw new FormatException("IN needs '('.");
            var values = new List<Func<IReadOnlyDictionary<string, object?>, object?>> { ParseOperand() };
            while (Accept(",")) values.Add(ParseOperand());
            if (!Accept(")")) throw new FormatException("IN needs ')'.");
            return row => values.Any(v => FakeValues.Compare(left(row), v(row)) == 0) != negate;
        }
        if (negate) throw new FormatException("NOT is only supported before IN.");
        var op = Next();
        var right = ParseOperand();
        return op switch
        {
            "=" => row => FakeValues.Compare(left(row), right(row)) == 0,
            "<>" or "!=" => row => FakeValues.Compare(left(row), right(row)) != 0,
            ">" => row => FakeValues.Ordered(left(row), right(row)) is > 0,
            ">=" => row => FakeValues.Ordered(left(row), right(row)) is >= 0,
            "<" => row => FakeValues.Ordered(left(row), right(row)) is < 0,
            "<=" => row => FakeValues.Ordered(left(row), right(row)) is <= 0,
            _ => throw new FormatException($"Operator '{op}' is not supported by the fake."),
        };
    }

    private Func<IReadOnlyDictionary<string, object?>, object?> ParseOperand()
    {
        var t = Next();
        if (t.StartsWith('\'')) { var text = t[1..]; return _ => text; }
        if (decimal.TryParse(t, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)) return _ => d;
        if (!(char.IsLetter(t[0]) || t[0] == '_')) throw new FormatException($"Unexpected '{t}' in filter.");
        Fields.Add(t);
        return row => row.TryGetValue(t, out var v) ? v : null;
    }
}

internal static class FakeValues
{
    /// <summary>Equality-style comparison: NULL counts as ''.</summary>
    public static int Compare(object? a, object? b) => Ordered(a ?? "", b ?? "") ?? 1;

    /// <summary>Ordering comparison; null when a NULL takes part (SQL: unknown → false).</summary>
    public static int? Ordered(object? a, object? b)
    {
        if (a is null || b is null) return null;
        if (a is DateTime || b is DateTime)
        {
            if (!TryDate(a, out var da) || !TryDate(b, out var db)) return string.Compare(a.ToString(), b.ToString(), StringComparison.OrdinalIgnoreCase);
            return da.CompareTo(db);
        }
        if (a is bool ba) a = ba ? 1m : 0m;
        if (b is bool bb) b = bb ? 1m : 0m;
        if (IsNumber(a) || IsNumber(b))
        {
            if (TryDec(a, out var x) && TryDec(b, out var y)) return x.CompareTo(y);
        }
        return string.Compare(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsNumber(object o) => o is decimal or long or int or double;

    private static bool TryDec(object o, out decimal d)
    {
        switch (o)
        {
            case decimal m: d = m; return true;
            case long l: d = l; return true;
            case int i: d = i; return true;
            case double f: d = (decimal)f; return true;
            default: return decimal.TryParse(o.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out d);
        }
    }

    private static bool TryDate(object o, out DateTime d)
    {
        if (o is DateTime dt) { d = dt; return true; }
        return DateTime.TryParse(o.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out d);
    }
}

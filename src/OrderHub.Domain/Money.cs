using System.Globalization;

namespace OrderHub.Domain;

/// <summary>Money is integer fen (1 yuan = 100 fen), never floating point.</summary>
public static class Money
{
    /// <summary>"¥1,234.50" — how a person reads an amount.</summary>
    public static string Format(long fen)
    {
        var sign = fen < 0 ? "-" : "";
        var abs = Math.Abs(fen);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}¥{abs / 100:#,0}.{abs % 100:00}");
    }

    /// <summary>Parses "12.5", "12.50", "¥1,234.56" into fen. Refuses more than two decimals.</summary>
    public static bool TryParseYuan(string? text, out long fen)
    {
        fen = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim().TrimStart('¥', '￥').Replace(",", "");
        if (!decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan))
            return false;
        var scaled = yuan * 100m;
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue || scaled < long.MinValue) return false;
        fen = (long)scaled;
        return true;
    }

    /// <summary>Exact yuan (decimal) → fen; throws if the amount has sub-fen digits.</summary>
    public static long FromYuan(decimal yuan)
    {
        var scaled = yuan * 100m;
        if (scaled != decimal.Truncate(scaled))
            throw new ArgumentException($"Amount {yuan} has more than two decimals / 金额超过两位小数");
        return (long)scaled;
    }

    public static decimal ToYuan(long fen) => fen / 100m;
}

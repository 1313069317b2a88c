namespace OrderHub.Erp;

/// <summary>What an adapter does with an ERP amount that is not a whole number of fen (Tryton and Kingdee keep 4–10 decimals).</summary>
public enum SubFenPolicy
{
    /// <summary>Round half away from zero (half-up for positive amounts) to the fen, and report a data issue saying so; the row is taken.</summary>
    Round,
    /// <summary>Refuse the row: report a data issue and leave the row out; the rest of the page applies.</summary>
    Refuse,
}

/// <summary>
/// The one yuan ↔ fen conversion every adapter uses, and the one currency rule. ERP amounts are decimal yuan; OrderHub keeps
/// integer fen. No floating point anywhere.
/// </summary>
public static class ErpMoney
{
    public static decimal ToYuan(long fen) => fen / 100m;

    /// <summary>
    /// A unit cost in yuan → fen, to the nearest fen (half away from zero). Costs are averages kept with 4 decimals by every
    /// ERP, so rounding them is expected, never a data issue; a negative cost is no cost (null).
    /// </summary>
    public static long? CostToFen(decimal? yuan) => yuan is { } y && y >= 0 ? (long)Math.Round(y * 100m, MidpointRounding.AwayFromZero) : null;

    /// <summary>Yuan → fen, exact when the amount is whole fen; otherwise as <paramref name="policy"/> says.</summary>
    /// <returns>The fen, or null when the policy refuses; <paramref name="problem"/> says what happened (null when exact).</returns>
    public static long? ToFen(decimal yuan, SubFenPolicy policy, out string? problem)
    {
        var fen = yuan * 100m;
        var whole = decimal.Round(fen, 0, MidpointRounding.AwayFromZero);
        if (whole == fen) { problem = null; return decimal.ToInt64(whole); }
        if (policy == SubFenPolicy.Refuse)
        {
            problem = $"{yuan} 元不是整分，已拒绝此行 / {yuan} yuan is not a whole number of fen; the row was refused (Erp:SubFenPrices = Refuse)";
            return null;
        }
        problem = $"{yuan} 元不是整分，已四舍五入为 {whole / 100m:0.00} 元 / {yuan} yuan is not a whole number of fen; rounded half-up to {whole / 100m:0.00}";
        return decimal.ToInt64(whole);
    }

    /// <summary>
    /// Yuan → fen for one value of one row: reports the rounding (or refusal) as a data issue of that row, and throws
    /// <see cref="ErpRowRefusedException"/> when the row must be left out, for the adapter's per-row handling to catch.
    /// </summary>
    public static long ToFen(decimal yuan, SubFenPolicy policy, IErpDataIssues issues, string feed, string? key, string what)
    {
        var fen = ToFen(yuan, policy, out var problem);
        if (problem is null) return fen!.Value;
        if (fen is null) throw new ErpRowRefusedException($"{what}: {problem}");
        issues.Report(new ErpDataIssue(feed, key, $"{what}: {problem}", RowSkipped: false));
        return fen.Value;
    }

    /// <summary>Whether an ERP currency code means 人民币: empty (the ERP's only currency), CNY, RMB, 人民币, ¥ or ￥.</summary>
    public static bool IsCny(string? code) => code?.Trim().ToUpperInvariant() switch
    {
        null or "" or "CNY" or "RMB" or "人民币" or "¥" or "￥" => true,
        _ => false,
    };
}

/// <summary>A row an adapter leaves out of its page because of bad data; the reason has been, or will be, reported as a data issue.</summary>
public sealed class ErpRowRefusedException(string message) : Exception(message);

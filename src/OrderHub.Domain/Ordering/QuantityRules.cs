namespace OrderHub.Domain.Ordering;

public enum QuantityProblem { None, NotPositive, TooLarge, NotPackMultiple, BelowMinimum }

/// <summary>箱规 / 起订量: a quantity must be a positive multiple of the pack size and at least the minimum order quantity.</summary>
public static class QuantityRules
{
    public const long MaxPerLine = 1_000_000;

    public static QuantityProblem Check(long quantity, int packSize, int minOrderQty)
    {
        if (quantity <= 0) return QuantityProblem.NotPositive;
        if (quantity > MaxPerLine) return QuantityProblem.TooLarge;
        if (quantity % Math.Max(1, packSize) != 0) return QuantityProblem.NotPackMultiple;
        if (quantity < minOrderQty) return QuantityProblem.BelowMinimum;
        return QuantityProblem.None;
    }

    /// <summary>The nearest valid quantity at or above the requested one (used when reordering an item whose pack changed).</summary>
    public static long RoundUp(long quantity, int packSize, int minOrderQty)
    {
        var pack = Math.Max(1, packSize);
        var q = Math.Max(Math.Max(1, quantity), minOrderQty);
        return (q + pack - 1) / pack * pack;
    }

    /// <param name="unit">The unit the pack size and MOQ are given in (箱), when it is not the product's base unit.</param>
    public static (string Zh, string En) Message(QuantityProblem p, string sku, int packSize, int minOrderQty, string? unit = null) => p switch
    {
        QuantityProblem.NotPositive => ($"{sku} 的数量必须大于 0", $"Quantity of {sku} must be greater than 0"),
        QuantityProblem.TooLarge => ($"{sku} 的数量过大", $"Quantity of {sku} is too large (max {MaxPerLine})"),
        QuantityProblem.NotPackMultiple => ($"{sku} 须按箱规 {packSize}{unit} 的整数倍订购", $"{sku} must be ordered in multiples of its pack size {packSize}{Space(unit)}"),
        QuantityProblem.BelowMinimum => ($"{sku} 起订量为 {minOrderQty}{unit}", $"{sku} has a minimum order quantity of {minOrderQty}{Space(unit)}"),
        _ => ("", ""),
    };

    private static string Space(string? unit) => unit is null ? "" : " " + unit;
}

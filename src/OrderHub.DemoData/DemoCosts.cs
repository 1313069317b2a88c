namespace OrderHub.DemoData;

/// <summary>
/// The demo ERP's unit cost (成本价) of a product: between 68% and 82% of its base price, fixed per SKU (a stable hash of
/// the code, not <c>string.GetHashCode</c>, which changes per process), so the demo's gross profit can be computed by hand.
/// </summary>
public static class DemoCosts
{
    public static long CostPercentTenths(string sku)
    {
        var h = 0L;
        foreach (var ch in sku) h = (h * 31 + ch) % 1_000_003;
        return 680 + h % 141; // 68.0% … 82.0%
    }

    public static long UnitCostFen(DemoProduct p) => (p.BasePriceFen * CostPercentTenths(p.Sku) + 500) / 1000;
}

namespace OrderHub.Domain.Stock;

public enum StockDisplayMode { Exact, Level }

/// <summary>有货 / 少量 / 缺货 — what a customer sees where the distributor hides exact quantities.</summary>
public enum StockLevel { InStock, Low, OutOfStock }

public static class StockDisplay
{
    /// <summary>Available = on hand less reserved; never shown below zero.</summary>
    public static long Available(long onHand, long reserved) => Math.Max(0, onHand - reserved);

    public static StockLevel Level(long available, int packSize, int lowStockPacks) =>
        available <= 0 ? StockLevel.OutOfStock
        : available < (long)Math.Max(1, packSize) * Math.Max(1, lowStockPacks) ? StockLevel.Low
        : StockLevel.InStock;

    public static string LevelText(StockLevel level) => level switch
    {
        StockLevel.InStock => "有货",
        StockLevel.Low => "少量",
        _ => "缺货",
    };
}

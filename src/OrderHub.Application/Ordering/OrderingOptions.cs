namespace OrderHub.Application.Ordering;

public sealed class OrderingOptions
{
    /// <summary>Whether an order may take more than the available stock (false: refused, naming the short items).</summary>
    public bool AllowOversell { get; set; }
    /// <summary>How far back "frequently bought" looks, in days.</summary>
    public int FrequentItemsDays { get; set; } = 180;
}

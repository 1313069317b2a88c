namespace OrderHub.DemoData;

/// <summary>A year of the demo distributor's business, keyed by codes like <see cref="DemoDataSet"/>: orders, payments, returns.</summary>
public sealed class DemoHistory
{
    /// <summary>In the order they were placed.</summary>
    public List<DemoOrder> Orders { get; } = [];
    public List<DemoPayment> Payments { get; } = [];
    public List<DemoReturn> Returns { get; } = [];
    /// <summary>How each store was made to behave (what the demo and its tests can look for).</summary>
    public List<DemoStoreHistory> Stores { get; } = [];
}

/// <summary>The behaviour the generator gave a store.</summary>
public enum DemoStoreKind
{
    /// <summary>Orders on its own cadence all year.</summary>
    Steady,
    /// <summary>Orders on its cadence, quantities growing through the year.</summary>
    Growing,
    /// <summary>In the last 90 days orders half as often and smaller quantities (衰退).</summary>
    Declining,
    /// <summary>Stopped ordering 45–80 days ago (休眠).</summary>
    Dormant,
    /// <summary>Stopped ordering 100–200 days ago (流失).</summary>
    Churned,
    /// <summary>First order in the last 60 days (新客).</summary>
    New,
}

/// <param name="IntervalDays">Its ordering cadence: an order every so many days (a day more or less now and then).</param>
/// <param name="LateDays">Days past its cadence it now is without an order (its regular products are due for 补货): 0 when on time.</param>
/// <param name="Staples">The products it buys in every order, in a fixed quantity (times the season and its growth).</param>
public sealed record DemoStoreHistory(string CustomerCode, DemoStoreKind Kind, DateOnly Joined, int IntervalDays, DateOnly? Stopped,
    int LateDays, IReadOnlyList<string> Staples);

/// <summary>One line as ordered; <paramref name="UnitCostFen"/> is set when the order shipped (the cost copied at 发货).</summary>
public sealed record DemoOrderLine(string Sku, long Quantity, long UnitPriceFen, string PriceSource, string PriceReason, bool IsGift, long? UnitCostFen)
{
    public long AmountFen => IsGift ? 0 : Quantity * UnitPriceFen;
}

/// <param name="Key">The order's key in the history ("H00001"); the seeder gives it its real number (SO + date + id).</param>
/// <param name="Channel">self (自助订货) or proxy (代订货 by the store's agent).</param>
public sealed record DemoOrder(string Key, string CustomerCode, string? AgentCode, string Channel, string Status, long CreatedAtMs,
    long? ShippedAtMs, long? ReceivedAtMs, long DiscountFen, IReadOnlyList<DemoOrderLine> Lines, string? EndReason)
{
    public long GoodsFen => Lines.Sum(l => l.AmountFen);
    public long TotalFen => GoodsFen - DiscountFen;
}

/// <summary>A payment the finance desk recorded (a credit on the store's ledger).</summary>
public sealed record DemoPayment(string CustomerCode, long AtMs, long AmountFen, string Reference);

/// <summary>
/// A completed return of part of one line of a shipped order (no 满减 on the order, so its credit is the unit price times
/// the quantity): asked, received and credited.
/// </summary>
public sealed record DemoReturn(string OrderKey, int LineNo, long Quantity, long CreditFen, string Reason, long RequestedAtMs, long ReceivedAtMs, long CompletedAtMs);

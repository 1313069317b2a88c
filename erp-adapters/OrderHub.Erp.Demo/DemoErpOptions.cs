namespace OrderHub.Erp.Demo;

/// <summary>Settings of the demo ERP. The failure switches may be flipped while it runs (tests, the demo's admin page).</summary>
public sealed class DemoErpOptions
{
    /// <summary>The demo ERP's own SQLite file. Empty in the settings: beside OrderHub's database ("data/orderhub-demo-erp.db").</summary>
    public string FilePath { get; set; } = "";
    /// <summary>A pushed order is confirmed this long after it arrived.</summary>
    public TimeSpan ConfirmAfter { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>A pushed order is shipped this long after it arrived (stock goes down, the receivable goes up).</summary>
    public TimeSpan ShipAfter { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Stock rows moved per tick (sales through other channels, goods received).</summary>
    public int StockMovesPerTick { get; set; } = 3;
    /// <summary>Chance (0..1) that a customer pays part of its receivable in a tick.</summary>
    public double PaymentChancePerTick { get; set; } = 0.2;
    /// <summary>Seed of the simulator's randomness: the same seed and data give the same moves.</summary>
    public int Seed { get; set; } = 7;
    /// <summary>Rows per pull page.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>When true every adapter call throws <see cref="ErpUnavailableException"/> (the simulator keeps running).</summary>
    public bool Unavailable { get; set; }
    /// <summary>Every adapter call (pulls, find, push) first waits this long: an ERP that answers slowly (tests, demos). 0 = no wait.</summary>
    public int CallDelayMs { get; set; }
    /// <summary>Orders of these customers are refused with <see cref="ErpRejectedException"/>.</summary>
    public HashSet<string> RejectCustomerCodes { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

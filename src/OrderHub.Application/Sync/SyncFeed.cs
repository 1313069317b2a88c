namespace OrderHub.Application.Sync;

/// <summary>The names of the pull feeds (one cursor and one health row each) and of the outbox sender in issues.</summary>
public static class SyncFeed
{
    public const string Products = "products";
    public const string Stock = "stock";
    public const string Prices = "prices";
    public const string Customers = "customers";
    public const string Payments = "payments";
    public const string OrderStatus = "order_status";
    /// <summary>Not a pull: the name issues of the order push carry.</summary>
    public const string OrderPush = "order_push";

    /// <summary>In the order a full resync runs them: master data first, so stock and prices find their products and customers.</summary>
    public static readonly string[] Pulls = [Products, Stock, Customers, Prices, Payments, OrderStatus];

    /// <summary>
    /// Feeds whose rows name rows of other feeds wait until those have been pulled once: on a first start, prices pulled
    /// before their customers would be recorded as issues and skipped (their cursor moved past them).
    /// </summary>
    public static IReadOnlyList<string> DependsOn(string feed) => feed switch
    {
        Stock => [Products],
        // A store's warehouse may follow the stock (the default rule picks the warehouse that holds it).
        Customers => [Stock],
        Prices => [Products, Customers],
        Payments => [Customers],
        _ => [],
    };

    public static bool IsPull(string feed) => Pulls.Contains(feed);
}

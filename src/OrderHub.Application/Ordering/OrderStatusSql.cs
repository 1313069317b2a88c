using OrderHub.Domain.Ordering;

namespace OrderHub.Application.Ordering;

/// <summary>Order status sets as SQL lists, made from <see cref="OrderStatus"/> so a query never spells them out again.</summary>
public static class OrderStatusSql
{
    /// <summary><c>('pending_sales_review', …, 'pending_shipment')</c>: open orders whose goods are still reserved.</summary>
    public static readonly string Reserving = "(" + string.Join(", ", OrderStatus.Reserving.Select(s => $"'{s}'")) + ")";

    /// <summary><c>('rejected', 'cancelled')</c>: orders that never count as revenue.</summary>
    public static readonly string NotRevenue = $"('{OrderStatus.Rejected}', '{OrderStatus.Cancelled}')";

    /// <summary>"alias.status NOT IN ('rejected', 'cancelled')": the one revenue rule of reports, dashboard and "frequently bought".</summary>
    public static string CountsAsRevenue(string alias = "o") => $"{alias}.status NOT IN {NotRevenue}";
}

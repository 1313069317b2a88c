namespace OrderHub.Domain.Pricing;

/// <summary>Why a customer pays this price. The API shows it as "why this price".</summary>
public enum PriceSource
{
    /// <summary>An active special-price promotion (促销特价).</summary>
    Promotion,
    /// <summary>A price agreed with this customer (客户协议价).</summary>
    CustomerPrice,
    /// <summary>The ERP's last agreed price for this customer and item (客户跟踪价).</summary>
    TrackingPrice,
    /// <summary>The customer group's price list, possibly a quantity tier (等级价目表).</summary>
    GroupPriceList,
    /// <summary>The product's base price (基础价).</summary>
    BasePrice,
}

public static class PriceSourceNames
{
    /// <summary>The name stored on order lines and shown by the API: promotion, customer_price, tracking_price, group_price_list, base_price.</summary>
    public static string Of(PriceSource s) => s switch
    {
        PriceSource.Promotion => "promotion",
        PriceSource.CustomerPrice => "customer_price",
        PriceSource.TrackingPrice => "tracking_price",
        PriceSource.GroupPriceList => "group_price_list",
        _ => "base_price",
    };
}

namespace OrderHub.Domain.Insight;

/// <summary>A store's orders in one period by channel (orders that count as revenue only).</summary>
public readonly record struct ChannelMix(int SelfOrders, int ProxyOrders)
{
    public int Orders => SelfOrders + ProxyOrders;
    /// <summary>More than half of the orders were placed by the store itself.</summary>
    public bool MajoritySelf => SelfOrders * 2 > Orders;
}

/// <summary>
/// The rules of the agent scorecard (业务员记分卡), in one place.
/// <para><b>Moved to self-ordering</b> (转为自助订货): a store that ordered in both the period and the previous period of the
/// same length, whose orders were <i>not</i> mostly self-placed in the previous period (self ≤ half) and <i>are</i> in this
/// one (self &gt; half). A store with no orders in the previous period has nothing to move from and does not count; a
/// store that was already mostly self-ordering does not count again.</para>
/// <para><b>Category grown</b> (品类增长): a top-level category whose gross profit at the agent's stores is strictly higher
/// in the period than in the previous period (a category new to the agent's stores grows from 0).</para>
/// </summary>
public static class AgentScorecardRules
{
    /// <summary>orders.channel of an order the store placed itself (the other is <see cref="ProxyChannel"/>, 代客下单).</summary>
    public const string SelfChannel = "self";
    public const string ProxyChannel = "proxy";

    public static bool MovedToSelfOrdering(ChannelMix previous, ChannelMix current) =>
        previous.Orders > 0 && current.Orders > 0 && !previous.MajoritySelf && current.MajoritySelf;

    public static bool CategoryGrew(long previousGrossProfitFen, long currentGrossProfitFen) => currentGrossProfitFen > previousGrossProfitFen;
}

using System.Data.Common;
using Dapper;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Promotions;

namespace OrderHub.Application.Pricing;

/// <summary>What one customer last paid for an item.</summary>
public sealed record LastPaid(long PriceFen, long Quantity, long PaidAtMs);

/// <summary>A promotion live now for this customer and product. <c>StoreWide</c>: a 满减 with no item list covers everything.</summary>
/// <param name="Unit">The unit a 买N赠M counts in (null = the product's base unit).</param>
public sealed record ActivePromotion(long Id, string Kind, string Name, long? BuyQty, long? FreeQty, long? ThresholdFen, long? DiscountFen, bool StoreWide, string? Unit = null);

/// <summary>Everything that decides one product's price for one customer, loaded in a few set-based queries.</summary>
public sealed record ProductPricing(PriceInputs Inputs, IReadOnlyList<PromotionBadge> Badges, LastPaid? LastPaid, IReadOnlyList<ActivePromotion> Promotions);

/// <summary>
/// Loads price candidates for one customer and a set of products: base price, customer prices (contract and ERP
/// tracking), the group's price list tiers, promotions active now for this customer, and the last price paid.
/// Catalog and ordering both price through this, so what a customer sees is what it is charged.
/// </summary>
public sealed class CustomerPriceBook
{
    public static async Task<IReadOnlyDictionary<long, ProductPricing>> LoadAsync(
        DbConnection c, SqlDialect dialect, CustomerContext customer, IReadOnlyCollection<(long ProductId, long BasePriceFen)> products, long nowMs,
        DbTransaction? tx = null)
    {
        if (products.Count == 0) return new Dictionary<long, ProductPricing>();
        var args = new DynamicParameters();
        args.Add("ids", products.Select(p => p.ProductId).Distinct().ToArray());
        AddArgs(args, customer, nowMs);
        await using var grid = await c.QueryMultipleAsync(Sql(dialect, "ids"), args, tx);
        return await ReadAsync(grid, customer, products, nowMs);
    }

    /// <summary>
    /// The five selects of a price book (customer prices, group tiers, item promotions, store-wide 满减, last paid) for the
    /// products in the id-list parameter <paramref name="ids"/>, to run in one round trip, alone or within a caller's batch
    /// (the order quote reads its products, this and their units together). Their parameters (<see cref="AddArgs"/>) are
    /// named book*, so a batch may also filter by the customer whose assortment it reads (a chain branch is priced as its
    /// head office).
    /// </summary>
    internal static string Sql(SqlDialect dialect, string ids)
    {
        var inIds = dialect.InList("product_id", ids);
        var inItemIds = dialect.InList("i.product_id", ids);
        // Promotions are narrowed by time here; whom they reach is PromotionTarget.Reaches, in ReadAsync, as in the catalog.
        const string live = "p.active = TRUE AND p.starts_at <= @bookNow AND p.ends_at > @bookNow";
        const string promoColumns = """
            p.id AS PromotionId, p.kind AS Kind, p.name AS Name, p.buy_qty AS BuyQty, p.free_qty AS FreeQty,
            p.threshold_fen AS ThresholdFen, p.discount_fen AS DiscountFen, p.starts_at AS StartsAt, p.ends_at AS EndsAt,
            p.target AS Target, p.target_group_id AS TargetGroupId, p.target_customer_id AS TargetCustomerId, p.unit AS Unit
            """;
        return $"""
            SELECT product_id AS ProductId, source AS Source, min_qty AS MinQty, price_fen AS PriceFen, list_name AS ListName FROM customer_prices
            WHERE customer_id = @bookCustomerId AND {inIds};
            SELECT i.product_id AS ProductId, l.name AS Source, i.min_qty AS MinQty, i.price_fen AS PriceFen
            FROM price_list_items i JOIN price_lists l ON l.id = i.price_list_id
            WHERE l.customer_group_id = @bookGroupId AND l.active = TRUE AND {inItemIds} ORDER BY l.id;
            SELECT i.product_id AS ProductId, i.special_price_fen AS SpecialPriceFen, {promoColumns}
            FROM promotion_items i JOIN promotions p ON p.id = i.promotion_id WHERE {inItemIds} AND {live};
            SELECT 0 AS ProductId, NULL AS SpecialPriceFen, {promoColumns}
            FROM promotions p WHERE p.kind = '{PromotionKind.SpendSave}' AND {live} AND NOT EXISTS (SELECT 1 FROM promotion_items i WHERE i.promotion_id = p.id);
            SELECT product_id AS ProductId, price_fen AS PriceFen, quantity AS Quantity, paid_at AS PaidAt FROM customer_last_prices
            WHERE customer_id = @bookCustomerId AND {inIds};
            """;
    }

    /// <summary>The parameters of <see cref="Sql"/> besides the id list: whose prices, and when.</summary>
    internal static void AddArgs(DynamicParameters args, CustomerContext customer, long nowMs)
    {
        args.Add("bookCustomerId", customer.CustomerId);
        args.Add("bookGroupId", customer.GroupId);
        args.Add("bookNow", nowMs);
    }

    /// <summary>Reads <see cref="Sql"/>'s five result sets, next in <paramref name="grid"/>, into each product's pricing.</summary>
    internal static async Task<IReadOnlyDictionary<long, ProductPricing>> ReadAsync(SqlMapper.GridReader grid, CustomerContext customer,
        IReadOnlyCollection<(long ProductId, long BasePriceFen)> products, long nowMs)
    {
        var customerPrices = (await grid.ReadAsync<TierRow>()).ToLookup(r => r.ProductId);
        var groupTiers = (await grid.ReadAsync<TierRow>()).ToLookup(r => r.ProductId);
        bool Reaches(PromoRow p) => PromotionTarget.Reaches(p.Target, p.TargetGroupId, p.TargetCustomerId, p.StartsAt, p.EndsAt,
            customer.CustomerId, customer.GroupId, nowMs);
        var itemPromos = (await grid.ReadAsync<PromoRow>()).Where(Reaches).ToLookup(r => r.ProductId);
        var storeWide = (await grid.ReadAsync<PromoRow>()).Where(Reaches).ToList();
        var lastPaid = (await grid.ReadAsync<LastRow>()).ToDictionary(r => r.ProductId);
        return Assemble(products, customerPrices, id => groupTiers[id], id => itemPromos[id], storeWide, lastPaid);
    }

    /// <summary>
    /// Builds each product's pricing from its candidate rows. The catalog (<see cref="Catalog.CatalogSnapshot"/>, group
    /// tiers and promotions from memory) and ordering (everything from the database) both end here, so a store is shown
    /// exactly what it will be charged.
    /// </summary>
    /// <param name="groupTiers">The group's price-list rows of a product, lists in id order (the first list wins).</param>
    /// <param name="itemPromotions">Promotions live now for this customer that name the product.</param>
    /// <param name="storeWide">Live 满减 with no item list, which cover every product.</param>
    internal static IReadOnlyDictionary<long, ProductPricing> Assemble(
        IReadOnlyCollection<(long ProductId, long BasePriceFen)> products, ILookup<long, TierRow> customerPrices,
        Func<long, IEnumerable<TierRow>> groupTiers, Func<long, IEnumerable<PromoRow>> itemPromotions,
        IReadOnlyList<PromoRow> storeWide, IReadOnlyDictionary<long, LastRow> lastPaid)
    {
        var result = new Dictionary<long, ProductPricing>(products.Count);
        foreach (var (productId, basePrice) in products)
        {
            if (result.ContainsKey(productId)) continue;
            // Built with loops, and with one shared empty list where a product has no rows of a kind (most have none of
            // most kinds): a catalog page assembles twenty of these per request (issue #19).
            List<PriceTier>? contract = null, tracking = null;
            string? contractList = null;
            foreach (var r in customerPrices[productId])
            {
                if (r.Source == CustomerPriceSources.Contract)
                {
                    (contract ??= []).Add(new PriceTier(r.MinQty, r.PriceFen));
                    contractList ??= r.ListName;
                }
                else if (r.Source == CustomerPriceSources.ErpTracking) (tracking ??= []).Add(new PriceTier(r.MinQty, r.PriceFen));
            }
            string? firstList = null;
            List<PriceTier>? tiers = null;
            foreach (var t in groupTiers(productId))
            {
                firstList ??= t.Source;
                if (t.Source == firstList) (tiers ??= []).Add(new PriceTier(t.MinQty, t.PriceFen));
            }
            List<PromoRow>? promos = null;
            foreach (var p in itemPromotions(productId)) (promos ??= []).Add(p);
            if (storeWide.Count > 0) (promos ??= []).AddRange(storeWide);
            promos?.Sort(static (a, b) => a.EndsAt != b.EndsAt ? a.EndsAt.CompareTo(b.EndsAt) : a.PromotionId.CompareTo(b.PromotionId));
            IReadOnlyList<SpecialPriceOffer> specials = [];
            IReadOnlyList<PromotionBadge> badges = [];
            IReadOnlyList<ActivePromotion> active = [];
            if (promos is not null)
            {
                var s = new List<SpecialPriceOffer>();
                var b = new List<PromotionBadge>(promos.Count);
                var a = new List<ActivePromotion>(promos.Count);
                foreach (var p in promos)
                {
                    if (p.Kind == PromotionKind.SpecialPrice && p.SpecialPriceFen is { } special)
                        s.Add(new SpecialPriceOffer(p.PromotionId, p.Name, special, p.StartsAt, p.EndsAt));
                    b.Add(new PromotionBadge(p.PromotionId, p.Kind, p.Name,
                        PromotionKind.Badge(p.Kind, p.SpecialPriceFen, p.BuyQty, p.FreeQty, p.ThresholdFen, p.DiscountFen), p.EndsAt));
                    a.Add(new ActivePromotion(p.PromotionId, p.Kind, p.Name, p.BuyQty, p.FreeQty, p.ThresholdFen, p.DiscountFen, p.ProductId == 0, p.Unit));
                }
                (specials, badges, active) = (s, b, a);
            }
            var inputs = new PriceInputs(basePrice, contract ?? (IReadOnlyList<PriceTier>)[], tracking ?? (IReadOnlyList<PriceTier>)[], firstList,
                tiers ?? (IReadOnlyList<PriceTier>)[], specials, contractList);
            result[productId] = new ProductPricing(inputs, badges,
                lastPaid.TryGetValue(productId, out var lp) ? new LastPaid(lp.PriceFen, lp.Quantity, lp.PaidAt) : null, active);
        }
        return result;
    }

    internal sealed class TierRow { public long ProductId { get; init; } public string Source { get; init; } = ""; public long MinQty { get; init; } public long PriceFen { get; init; } public string? ListName { get; init; } }
    internal sealed class LastRow { public long ProductId { get; init; } public long PriceFen { get; init; } public long Quantity { get; init; } public long PaidAt { get; init; } }
    internal sealed class PromoRow
    {
        public long ProductId { get; init; }
        public long PromotionId { get; init; }
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public long? SpecialPriceFen { get; init; }
        public long? BuyQty { get; init; }
        public long? FreeQty { get; init; }
        public long? ThresholdFen { get; init; }
        public long? DiscountFen { get; init; }
        public long StartsAt { get; init; }
        public long EndsAt { get; init; }
        public string Target { get; init; } = PromotionTarget.All;
        public long? TargetGroupId { get; init; }
        public long? TargetCustomerId { get; init; }
        public string? Unit { get; init; }
    }
}

public static class CustomerPriceSources
{
    public const string Contract = "contract";
    public const string ErpTracking = "erp_tracking";
}

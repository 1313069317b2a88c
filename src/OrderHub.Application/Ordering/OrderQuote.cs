using System.Data.Common;
using Dapper;
using OrderHub.Application.Catalog;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.Pricing;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Promotions;
using OrderHub.Domain.Stock;

namespace OrderHub.Application.Ordering;

/// <summary>
/// One priced line in the unit it is shown in: <c>Unit</c>, <c>PackSize</c>, <c>MinOrderQty</c>, <c>Quantity</c> and
/// <c>Price</c> are per that unit (箱); <c>BaseQuantity</c> is what stock and reservations count (瓶).
/// </summary>
public sealed record QuoteLine(
    long ProductId, string Sku, string Name, string? Spec, string Unit, int PackSize, int MinOrderQty,
    long Quantity, ResolvedPrice Price, long AmountFen, bool IsGift, long? GiftPromotionId, QuantityProblem Problem,
    string BaseUnit, int UnitFactor, string? UnitErpCode, IReadOnlyList<ProductUnit> Units)
{
    public long BaseQuantity => Quantity * UnitFactor;
}

/// <summary>What a store wants of one product: a quantity in base units and the unit it chose (null = base unit).</summary>
public sealed record WantedLine(long ProductId, long BaseQuantity, string? Unit = null);

public sealed record Shortage(string Sku, string Name, long Requested, long Available);

/// <summary>Lines priced for one customer now: the same numbers the cart shows and the order charges.</summary>
public sealed record Quote(
    IReadOnlyList<QuoteLine> Lines, IReadOnlyList<long> UnavailableProductIds, long GoodsFen, long DiscountFen,
    long? DiscountPromotionId, string? DiscountName, long TotalFen, IReadOnlyList<Shortage> Shortages)
{
    public IEnumerable<QuoteLine> PaidLines => Lines.Where(l => !l.IsGift);
    public bool HasQuantityProblems => Lines.Any(l => l.Problem != QuantityProblem.None);
}

/// <summary>
/// Prices a set of (product, quantity) for one customer: the customer's price at each line's quantity (tiers apply),
/// 买赠 gift lines, the best 满减 discount, and which items are short of stock. Products outside the customer's assortment
/// are returned as unavailable, never priced.
/// </summary>
public sealed class OrderQuoter(Db db, PriceResolver resolver)
{
    /// <summary>Quantities in base units, shown in the base unit.</summary>
    public Task<Quote> QuoteAsync(DbConnection c, CustomerContext customer, IReadOnlyList<(long ProductId, long Quantity)> wanted, long nowMs, DbTransaction? tx = null) =>
        QuoteAsync(c, customer, wanted.Select(w => new WantedLine(w.ProductId, w.Quantity)).ToList(), nowMs, tx);

    public async Task<Quote> QuoteAsync(DbConnection c, CustomerContext customer, IReadOnlyList<WantedLine> wanted, long nowMs, DbTransaction? tx = null)
    {
        var ids = wanted.Select(w => w.ProductId).Distinct().ToArray();
        var products = new Dictionary<long, ProductRow>();
        IReadOnlyDictionary<long, ProductPricing> book = new Dictionary<long, ProductPricing>();
        IReadOnlyDictionary<long, IReadOnlyList<ProductUnit>> unitsOf = new Dictionary<long, IReadOnlyList<ProductUnit>>();
        if (ids.Length > 0)
        {
            // One round trip: the products this store may buy (with this warehouse's stock), then the price book and the
            // units of the wanted ids; a product outside the assortment is read there too, and left out below.
            // A chain branch may be priced as its head office (Chains:PriceFrom); assortment and stock stay the branch's.
            var pricing = customer.ForPricing();
            var args = new DynamicParameters(new { ids, customerId = customer.CustomerId, groupId = customer.GroupId, warehouseId = customer.WarehouseId });
            CustomerPriceBook.AddArgs(args, pricing, nowMs);
            await using var grid = await c.QueryMultipleAsync($"""
                SELECT p.id AS ProductId, p.sku AS Sku, p.name AS Name, p.spec AS Spec, p.unit AS Unit, p.pack_size AS PackSize,
                       p.min_order_qty AS MinOrderQty, p.base_price_fen AS BasePriceFen,
                       COALESCE(s.on_hand, 0) AS OnHand, COALESCE(s.reserved, 0) AS Reserved
                FROM products p LEFT JOIN stock s ON s.product_id = p.id AND s.warehouse_id = @warehouseId
                WHERE {db.Dialect.InList("p.id", "ids")} AND {Assortment.VisibleTo};
                {CustomerPriceBook.Sql(db.Dialect, "ids")}
                SELECT {ProductUnits.Columns} FROM product_units WHERE {db.Dialect.InList("product_id", "ids")};
                """, args, tx);
            products = (await grid.ReadAsync<ProductRow>()).ToDictionary(p => p.ProductId);
            book = await CustomerPriceBook.ReadAsync(grid, pricing, products.Values.Select(p => (p.ProductId, p.BasePriceFen)).ToList(), nowMs);
            unitsOf = ProductUnits.Assemble(products.Values.Select(p => (p.ProductId, p.Unit)), await grid.ReadAsync<ProductUnits.Row>());
        }

        var lines = new List<QuoteLine>();
        var unavailable = new List<long>();
        foreach (var (productId, baseQuantity, unitName) in wanted)
        {
            if (!products.TryGetValue(productId, out var p)) { unavailable.Add(productId); continue; }
            var pricing = book[productId];
            var units = unitsOf[productId];
            // A unit the product no longer has (the ERP dropped it) shows the line in the base unit.
            var (unit, quantity) = UnitConversion.Shown(baseQuantity, UnitConversion.Find(units, unitName) ?? units[0], units[0]);
            var price = UnitConversion.PricePerUnit(resolver.Resolve(pricing.Inputs, baseQuantity, nowMs), unit);
            var (pack, moq) = (UnitConversion.PackSizeIn(p.PackSize, unit), UnitConversion.MinOrderQtyIn(p.MinOrderQty, unit));
            var problem = QuantityRules.Check(quantity, pack, moq);
            lines.Add(new QuoteLine(p.ProductId, p.Sku, p.Name, p.Spec, unit.Name, pack, moq, quantity, price,
                checked(price.UnitPriceFen * quantity), false, null, problem, p.Unit, unit.Factor, unit.ErpCode, units));

            // 买N赠M counts whole units of the rule's unit; a rule in a unit this product lacks gives nothing.
            var buyGet = pricing.Promotions.Where(x => x.Kind == PromotionKind.BuyGet && x.BuyQty > 0 && x.FreeQty > 0)
                .Select(x => (Offer: new BuyGetOffer(x.Id, x.Name, x.BuyQty!.Value, x.FreeQty!.Value), Unit: UnitConversion.Find(units, x.Unit)))
                .Where(x => x.Unit is not null)
                .Select(x => (x.Offer, x.Unit!));
            if (problem == QuantityProblem.None && UnitConversion.BestGift(baseQuantity, buyGet) is { } gift)
                lines.Add(new QuoteLine(p.ProductId, p.Sku, p.Name, p.Spec, gift.Unit.Name, UnitConversion.PackSizeIn(p.PackSize, gift.Unit),
                    UnitConversion.MinOrderQtyIn(p.MinOrderQty, gift.Unit), gift.FreeUnits,
                    new ResolvedPrice(0, PriceSource.Promotion, $"赠品 {gift.Offer.Name}", gift.Offer.PromotionId), 0, true, gift.Offer.PromotionId,
                    QuantityProblem.None, p.Unit, gift.Unit.Factor, gift.Unit.ErpCode, units));
        }

        var paid = lines.Where(l => !l.IsGift).ToList();
        var goods = paid.Sum(l => l.AmountFen);
        var spendSave = paid.SelectMany(l => book[l.ProductId].Promotions.Where(x => x.Kind == PromotionKind.SpendSave && x.ThresholdFen is not null && x.DiscountFen is not null))
            .GroupBy(x => x.Id)
            .Select(g => new SpendSaveOffer(g.Key, g.First().Name, g.First().ThresholdFen!.Value, g.First().DiscountFen!.Value,
                g.First().StoreWide ? null : paid.Where(l => book[l.ProductId].Promotions.Any(x => x.Id == g.Key)).Select(l => l.ProductId).ToHashSet()))
            .ToList();
        var discount = OrderPromotions.BestSpendSave(paid.Select(l => (l.ProductId, l.AmountFen)).ToList(), spendSave);

        var shortages = lines.GroupBy(l => l.ProductId)
            .Select(g => (p: products[g.Key], qty: g.Sum(l => l.BaseQuantity)))
            .Where(x => x.qty > StockDisplay.Available(x.p.OnHand, x.p.Reserved))
            .Select(x => new Shortage(x.p.Sku, x.p.Name, x.qty, StockDisplay.Available(x.p.OnHand, x.p.Reserved)))
            .ToList();

        var discountFen = discount?.DiscountFen ?? 0;
        return new Quote(lines, unavailable, goods, discountFen, discount?.Offer.PromotionId, discount?.Offer.Name, goods - discountFen, shortages);
    }

    private sealed class ProductRow
    {
        public long ProductId { get; init; }
        public string Sku { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Spec { get; init; }
        public string Unit { get; init; } = "";
        public int PackSize { get; init; }
        public int MinOrderQty { get; init; }
        public long BasePriceFen { get; init; }
        public long OnHand { get; init; }
        public long Reserved { get; init; }
    }
}

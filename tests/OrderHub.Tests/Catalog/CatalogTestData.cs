using OrderHub.DemoData;

namespace OrderHub.Tests.Catalog;

/// <summary>
/// A small distributor whose every price can be worked out by hand. Times are relative to <paramref name="now"/>.
/// C1 KA (contract and tracking prices, warehouse W1) · C2 KA (a promotion of its own) · C3 SHOP (W2) ·
/// C4 SHOP with a 白酒 licence · C5 VIP (a group that may buy water only).
/// </summary>
public static class CatalogTestData
{
    public const long Day = 86_400_000;

    public static DemoDataSet Build(long now)
    {
        var d = new DemoDataSet();
        d.Warehouses.Add(new("W1", "一号仓"));
        d.Warehouses.Add(new("W2", "二号仓"));
        d.Categories.Add(new("DRINK", "饮料", null, 0));
        d.Categories.Add(new("WATER", "饮用水", "DRINK", 1));
        d.Categories.Add(new("ALCOHOL", "酒类", null, 2));
        d.Categories.Add(new("BAIJIU", "白酒", "ALCOHOL", 3));
        d.Products.Add(P("W-001", "农夫山泉饮用天然水", "农夫山泉", "WATER", 24, 24, 200, "6921168509256"));
        d.Products.Add(P("W-002", "怡宝纯净水", "怡宝", "WATER", 24, 48, 180, "6901285991219"));
        d.Products.Add(P("W-003", "娃哈哈纯净水", "娃哈哈", "WATER", 24, 24, 150, "6902083881085") with { Active = false });
        d.Products.Add(P("B-001", "牛栏山陈酿", "牛栏山", "BAIJIU", 12, 12, 1800, "6907985010016"));
        d.Products.Add(P("B-002", "红星二锅头", "红星", "BAIJIU", 12, 12, 1500, "6902952880294"));
        d.Groups.Add(new("KA", "A类", 0));
        d.Groups.Add(new("SHOP", "便利店", 1));
        d.Groups.Add(new("VIP", "只卖水", 2));
        d.Agents.Add(new("AG1", "业务员甲", "13800000001", "ag1"));
        d.Agents.Add(new("AG2", "业务员乙", "13800000002", "ag2"));
        d.Customers.Add(C("C1", "KA", "AG1", "W1"));
        d.Customers.Add(C("C2", "KA", "AG1", "W1"));
        d.Customers.Add(C("C3", "SHOP", "AG2", "W2"));
        d.Customers.Add(C("C4", "SHOP", "AG2", "W1"));
        d.Customers.Add(C("C5", "VIP", "AG2", "W1"));
        foreach (var c in d.Customers) d.CustomerUsers.Add(new(c.Code, c.ContactName, c.Phone, "owner"));
        d.Staff.Add(new("clerk", "内勤", "clerk"));
        d.PriceLists.Add(new("PL-KA", "A类价目表", "KA"));
        d.PriceListItems.Add(new("PL-KA", "W-001", 1, 180));
        d.PriceListItems.Add(new("PL-KA", "W-001", 240, 170));
        d.PriceListItems.Add(new("PL-KA", "W-002", 1, 160));
        d.CustomerPrices.Add(new("C1", "W-001", "contract", 1, 150));
        d.CustomerPrices.Add(new("C1", "W-002", "erp_tracking", 1, 155));
        d.LastPrices.Add(new("C1", "W-001", 160, 48, now - 3 * Day));
        d.Promotions.Add(Promo("PR-LIVE", "special_price", "all", null, now - Day, now + Day, ("B-002", 1200)));
        d.Promotions.Add(Promo("PR-WATER", "special_price", "all", null, now - Day, now + Day, ("W-001", 175)));
        d.Promotions.Add(Promo("PR-FUTURE", "special_price", "all", null, now + Day, now + 2 * Day, ("B-001", 1000)));
        d.Promotions.Add(Promo("PR-SHOP", "special_price", "group", "SHOP", now - Day, now + Day, ("W-002", 150)));
        d.Promotions.Add(Promo("PR-C2", "special_price", "customer", "C2", now - Day, now + Day, ("B-001", 1600)));
        d.Promotions.Add(new("PR-B10G1", "买十赠一", "buy_get", "all", null, now - Day, now + Day, 10, 1, null, null, [("W-001", null)], ""));
        d.Promotions.Add(new("PR-500-30", "满500减30", "spend_save", "all", null, now - Day, now + Day, null, null, 50_000, 3_000, [], ""));
        d.Stock.Add(new("W-001", "W1", 480));
        d.Stock.Add(new("W-001", "W2", 24));
        d.Stock.Add(new("W-002", "W1", 0));
        d.Stock.Add(new("W-002", "W2", 960));
        d.Stock.Add(new("B-001", "W1", 120));
        d.Stock.Add(new("B-002", "W1", 100));
        d.AssortmentRules.Add(new("SHOP", null, null, "BAIJIU", "deny"));
        d.AssortmentRules.Add(new(null, "C4", null, "BAIJIU", "allow"));
        d.AssortmentRules.Add(new(null, "C1", "B-001", null, "deny"));
        d.AssortmentRules.Add(new("VIP", null, null, "WATER", "allow"));
        return d;
    }

    private static DemoProduct P(string sku, string name, string brand, string cat, int pack, int moq, long price, string barcode) =>
        new(sku, name, "550ml*24", "瓶", pack, moq, barcode, brand, cat, price, true, name, []);

    private static DemoCustomer C(string code, string group, string agent, string wh) =>
        new(code, $"门店{code}", $"老板{code}", "13900000000", "广州市天河区", "天河区", group, agent, wh, 1_000_000, 0);

    private static DemoPromotion Promo(string code, string kind, string target, string? targetCode, long from, long to, (string Sku, long Price) item) =>
        new(code, code, kind, target, targetCode, from, to, null, null, null, null, [(item.Sku, (long?)item.Price)], "");
}

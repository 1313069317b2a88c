using OrderHub.Domain.Catalog;
using OrderHub.Domain.Promotions;

namespace OrderHub.DemoData;

/// <param name="CustomerPricesPerCustomer">How many products each customer with agreed prices gets.</param>
/// <param name="CustomersWithPrices">Share of customers (0..1) that have agreed or tracking prices.</param>
public sealed record DemoDataSize(int Skus, int Customers, int Agents, int CustomerPricesPerCustomer, double CustomersWithPrices)
{
    /// <summary>The one-command demo: ~300 SKUs, 60 stores, 5 agents.</summary>
    public static readonly DemoDataSize Demo = new(300, 60, 5, 8, 0.3);
    /// <summary>The benchmark's large set: 100k SKUs, 10k stores, 1M customer prices.</summary>
    public static readonly DemoDataSize Large = new(100_000, 10_000, 50, 100, 1.0);

    public static DemoDataSize Parse(string name) => name.ToLowerInvariant() switch
    {
        "demo" or "small" => Demo,
        "large" => Large,
        _ => throw new ArgumentException($"Unknown data size '{name}' (demo|large)"),
    };
}

/// <summary>
/// Generates a realistic food-and-beverage wholesaler (广州 area) from a seed: the same seed, size and "now" give the same data.
/// Promotions are placed around "now" so some are live, one has ended and one is still to come.
/// </summary>
public static class DemoDataGenerator
{
    private sealed record Line(string Brand, string Item, string Spec, string Unit, int Pack, long UnitFen);
    private sealed record Leaf(string Code, string Name, string Parent, Line[] Lines);

    private static readonly (string Code, string Name)[] Roots =
    [
        ("DRINK", "饮料"), ("DAIRY", "乳制品"), ("ALCOHOL", "酒类"), ("SNACK", "休闲食品"), ("INSTANT", "方便食品"), ("GROCERY", "粮油调味"),
    ];

    private static readonly Leaf[] Leaves =
    [
        new("WATER", "饮用水", "DRINK", [
            new("农夫山泉", "饮用天然水", "550ml", "瓶", 24, 200), new("农夫山泉", "饮用天然水", "1.5L", "瓶", 12, 400),
            new("怡宝", "纯净水", "555ml", "瓶", 24, 180), new("娃哈哈", "纯净水", "596ml", "瓶", 24, 150),
            new("百岁山", "天然矿泉水", "570ml", "瓶", 24, 300), new("景田", "饮用纯净水", "560ml", "瓶", 24, 160),
            new("怡宝", "纯净水", "4.5L", "桶", 4, 1200), new("农夫山泉", "饮用天然水", "4L", "桶", 6, 1000)]),
        new("SODA", "碳酸饮料", "DRINK", [
            new("可口可乐", "可乐", "330ml罐", "罐", 24, 250), new("可口可乐", "雪碧", "500ml", "瓶", 24, 300),
            new("百事", "可乐", "330ml罐", "罐", 24, 240), new("百事", "七喜", "500ml", "瓶", 24, 290),
            new("健力宝", "橙蜜味运动饮料", "330ml罐", "罐", 24, 280), new("北冰洋", "桔汁汽水", "248ml", "瓶", 24, 350),
            new("可口可乐", "芬达橙味", "500ml", "瓶", 24, 300), new("元气森林", "苏打气泡水", "480ml", "瓶", 15, 450)]),
        new("TEA", "茶饮料", "DRINK", [
            new("康师傅", "冰红茶", "500ml", "瓶", 15, 300), new("康师傅", "绿茶", "500ml", "瓶", 15, 300),
            new("统一", "冰红茶", "500ml", "瓶", 15, 290), new("统一", "阿萨姆奶茶", "500ml", "瓶", 15, 400),
            new("王老吉", "凉茶", "310ml罐", "罐", 24, 350), new("加多宝", "凉茶", "310ml罐", "罐", 24, 350),
            new("农夫山泉", "东方树叶乌龙茶", "500ml", "瓶", 15, 450), new("三得利", "乌龙茶", "500ml", "瓶", 15, 420)]),
        new("JUICE", "果汁饮料", "DRINK", [
            new("汇源", "100%橙汁", "1L", "盒", 12, 1100), new("美汁源", "果粒橙", "420ml", "瓶", 12, 350),
            new("农夫山泉", "NFC橙汁", "300ml", "瓶", 24, 800), new("椰树", "椰汁", "245ml", "罐", 24, 400),
            new("露露", "杏仁露", "240ml", "罐", 20, 380), new("六个核桃", "核桃乳", "240ml", "罐", 20, 400)]),
        new("ENERGY", "功能饮料", "DRINK", [
            new("红牛", "维生素功能饮料", "250ml", "罐", 24, 550), new("东鹏", "特饮", "500ml", "瓶", 24, 500),
            new("脉动", "青柠味", "600ml", "瓶", 15, 450), new("宝矿力水特", "电解质饮料", "500ml", "瓶", 15, 550)]),
        new("MILK", "纯牛奶", "DAIRY", [
            new("伊利", "纯牛奶", "250ml", "盒", 24, 300), new("蒙牛", "纯牛奶", "250ml", "盒", 24, 290),
            new("伊利", "金典有机奶", "250ml", "盒", 12, 550), new("蒙牛", "特仑苏", "250ml", "盒", 12, 550),
            new("光明", "优倍鲜牛奶", "950ml", "盒", 6, 1500)]),
        new("YOGURT", "酸奶", "DAIRY", [
            new("伊利", "安慕希原味", "205g", "盒", 12, 500), new("蒙牛", "纯甄酸奶", "200g", "盒", 12, 480),
            new("光明", "莫斯利安", "200g", "盒", 12, 500), new("君乐宝", "简醇酸奶", "150g", "杯", 8, 450)]),
        new("BEER", "啤酒", "ALCOHOL", [
            new("青岛啤酒", "经典", "500ml罐", "罐", 12, 500), new("雪花", "勇闯天涯", "500ml罐", "罐", 12, 450),
            new("百威", "啤酒", "500ml罐", "罐", 12, 650), new("珠江啤酒", "纯生", "500ml罐", "罐", 12, 550),
            new("哈尔滨", "冰纯", "500ml罐", "罐", 12, 420), new("燕京", "清爽", "500ml", "瓶", 12, 400)]),
        new("BAIJIU", "白酒", "ALCOHOL", [
            new("牛栏山", "陈酿", "500ml", "瓶", 12, 1800), new("红星", "二锅头", "500ml", "瓶", 12, 1500),
            new("洋河", "海之蓝", "480ml", "瓶", 6, 15800), new("泸州老窖", "头曲", "500ml", "瓶", 6, 8800),
            new("汾酒", "黄盖玻汾", "475ml", "瓶", 12, 5500)]),
        new("BISCUIT", "饼干", "SNACK", [
            new("奥利奥", "原味夹心饼干", "97g", "包", 24, 750), new("好丽友", "派", "6枚装", "盒", 16, 1200),
            new("康师傅", "3+2夹心饼干", "125g", "包", 24, 550), new("达利园", "法式软面包", "400g", "袋", 10, 1500),
            new("嘉士利", "早餐饼干", "1kg", "箱", 6, 2200), new("旺旺", "雪饼", "84g", "包", 30, 500)]),
        new("PUFF", "膨化食品", "SNACK", [
            new("乐事", "原味薯片", "70g", "包", 22, 700), new("上好佳", "鲜虾片", "40g", "包", 50, 300),
            new("旺旺", "仙贝", "52g", "包", 30, 450), new("卫龙", "大面筋", "106g", "包", 40, 500),
            new("可比克", "番茄味薯片", "60g", "包", 24, 450)]),
        new("NUTS", "坚果炒货", "SNACK", [
            new("洽洽", "香瓜子", "260g", "袋", 20, 1200), new("三只松鼠", "每日坚果", "750g", "盒", 6, 9900),
            new("良品铺子", "碧根果", "120g", "袋", 20, 2500), new("百草味", "夏威夷果", "100g", "袋", 20, 2200)]),
        new("CANDY", "糖果", "SNACK", [
            new("大白兔", "奶糖", "227g", "袋", 30, 1500), new("徐福记", "酥心糖", "500g", "袋", 20, 2500),
            new("德芙", "丝滑牛奶巧克力", "43g", "条", 48, 650), new("阿尔卑斯", "棒棒糖", "20支", "盒", 20, 1600)]),
        new("NOODLE", "方便面", "INSTANT", [
            new("康师傅", "红烧牛肉面", "五连包", "提", 6, 1250), new("统一", "老坛酸菜牛肉面", "五连包", "提", 6, 1250),
            new("今麦郎", "一菜一面", "桶装", "桶", 12, 450), new("白象", "汤好喝骨汤面", "五连包", "提", 6, 1450),
            new("康师傅", "香辣牛肉面", "桶装", "桶", 12, 500)]),
        new("SAUSAGE", "火腿肠", "INSTANT", [
            new("双汇", "王中王火腿肠", "400g", "袋", 20, 1500), new("金锣", "火腿肠", "360g", "袋", 20, 1200),
            new("雨润", "玉米热狗肠", "240g", "袋", 20, 1000)]),
        new("OIL", "食用油", "GROCERY", [
            new("金龙鱼", "调和油", "5L", "桶", 4, 6800), new("鲁花", "5S压榨花生油", "5L", "桶", 4, 15900),
            new("福临门", "大豆油", "5L", "桶", 4, 5900)]),
        new("SAUCE", "酱油醋", "GROCERY", [
            new("海天", "金标生抽", "1.28L", "瓶", 12, 1350), new("李锦记", "蚝油", "510g", "瓶", 12, 1200),
            new("恒顺", "香醋", "500ml", "瓶", 12, 650), new("海天", "老抽王", "500ml", "瓶", 12, 800),
            new("厨邦", "美味鲜酱油", "1.25L", "瓶", 12, 1300)]),
        new("RICE", "大米", "GROCERY", [
            new("金龙鱼", "东北大米", "5kg", "袋", 4, 4500), new("福临门", "泰国茉莉香米", "5kg", "袋", 4, 6900),
            new("五常", "稻花香大米", "5kg", "袋", 4, 9800)]),
    ];

    private static readonly string[] Regions = ["天河区", "越秀区", "海珠区", "白云区", "番禺区", "荔湾区"];
    private static readonly string[] Streets = ["体育西路", "北京路", "江南大道", "机场路", "市桥街", "上下九路", "石牌东路", "新港中路", "广园路", "南村镇"];
    private static readonly string[] Surnames = ["陈", "李", "黄", "张", "梁", "刘", "林", "何", "吴", "郑", "罗", "周", "谢", "杨"];
    private static readonly string[] Given = ["伟", "芳", "敏", "强", "丽", "军", "婷", "明", "华", "静", "海", "燕"];
    private static readonly string[] ShopKinds = ["便利店", "超市", "副食店", "烟酒行", "批发部", "士多店"];

    public static DemoDataSet Generate(DemoDataSize size, int seed, DateTimeOffset now)
    {
        var rnd = new Random(seed);
        var d = new DemoDataSet();
        var nowMs = now.ToUnixTimeMilliseconds();
        const long day = 86_400_000;

        d.Warehouses.Add(new("WH-BY", "白云中心仓"));
        d.Warehouses.Add(new("WH-PY", "番禺分仓"));
        var i = 0;
        foreach (var (code, name) in Roots) d.Categories.Add(new(code, name, null, i++));
        foreach (var leaf in Leaves) d.Categories.Add(new(leaf.Code, leaf.Name, leaf.Parent, i++));

        // Products: every line of every leaf, then variants (口味/批次) until the size is reached.
        var seq = 0;
        for (var round = 0; d.Products.Count < size.Skus; round++)
        {
            foreach (var leaf in Leaves)
            foreach (var line in leaf.Lines)
            {
                if (d.Products.Count >= size.Skus) break;
                seq++;
                var variant = round == 0 ? "" : $" 款{round}";
                var price = round == 0 ? line.UnitFen : line.UnitFen + rnd.Next(-20, 40) * 5;
                var pack = line.Pack;
                d.Products.Add(new DemoProduct(
                    Sku: $"{leaf.Code[..Math.Min(3, leaf.Code.Length)]}{seq:D6}",
                    Name: $"{line.Brand}{line.Item}{variant}",
                    Spec: $"{line.Spec}*{pack}",
                    Unit: line.Unit, PackSize: pack,
                    MinOrderQty: line.UnitFen >= 5000 ? pack : pack * (rnd.Next(4) == 0 ? 2 : 1),
                    Barcode: $"69{(1_000_000_000L + seq * 7919L % 9_000_000_000L):D11}",
                    Brand: line.Brand, CategoryCode: leaf.Code,
                    BasePriceFen: Math.Max(50, price),
                    Active: seq % 97 != 0, // a few discontinued items
                    Description: $"{line.Brand} {line.Item}，规格 {line.Spec}，每箱 {pack}{line.Unit}。",
                    // No ERP image links: the demo seed draws each product a picture (OrderHub.Demo/DemoProductPictures).
                    ImageUrls: [],
                    // Loose items (瓶/罐/包…) also sell by the 箱 of their pack, at the ERP's case price: 2% below base × pack,
                    // from the per-item price in yuan with 4 decimals, rounded half-up once per case.
                    Units: line.Unit == "箱" || pack < 2 ? null
                        : [new DemoUnit("箱", pack, UnitConversion.UnitPriceFen(Math.Max(50, price) / 100m * 0.98m, pack), "箱")]));
            }
        }

        d.Groups.Add(new("KA", "A类 重点客户", 0));
        d.Groups.Add(new("CHAIN", "B类 连锁超市", 1));
        d.Groups.Add(new("SHOP", "C类 便利店", 2));

        for (var a = 1; a <= size.Agents; a++)
            d.Agents.Add(new($"AG{a:D3}", Person(rnd), Phone(rnd), $"agent{a:D3}"));

        for (var c = 1; c <= size.Customers; c++)
        {
            var region = Regions[rnd.Next(Regions.Length)];
            var group = c % 10 == 0 ? "KA" : c % 3 == 0 ? "CHAIN" : "SHOP";
            var owner = Person(rnd);
            var shop = $"{region[..2]}{owner[..1]}记{ShopKinds[rnd.Next(ShopKinds.Length)]}";
            var credit = group switch { "KA" => 5_000_000L, "CHAIN" => 2_000_000L, _ => 500_000L };
            d.Customers.Add(new DemoCustomer($"C{c:D5}", $"{shop}({c})", owner, Phone(rnd),
                $"广州市{region}{Streets[rnd.Next(Streets.Length)]}{rnd.Next(1, 400)}号", region, group,
                d.Agents[(c - 1) % d.Agents.Count].Code,
                region is "番禺区" or "海珠区" ? "WH-PY" : "WH-BY",
                credit, rnd.Next(0, 5) == 0 ? 0 : rnd.Next(0, (int)(credit / 200)) * 100));
            d.CustomerUsers.Add(new($"C{c:D5}", owner, Phone(rnd), "owner"));
            if (rnd.Next(3) == 0) d.CustomerUsers.Add(new($"C{c:D5}", Person(rnd), Phone(rnd), "clerk"));
        }

        d.Staff.Add(new("admin", "系统管理员", "admin"));
        d.Staff.Add(new("clerk", "内勤 王小美", "clerk"));
        d.Staff.Add(new("finance", "财务 赵会计", "finance"));
        d.Staff.Add(new("warehouse", "仓管 孙师傅", "warehouse"));

        // Group price lists: KA 90% of base on everything (88% from 10 packs), CHAIN 95% on most items; SHOP pays base.
        d.PriceLists.Add(new("PL-KA", "A类客户价目表", "KA"));
        d.PriceLists.Add(new("PL-CHAIN", "连锁超市价目表", "CHAIN"));
        foreach (var p in d.Products)
        {
            d.PriceListItems.Add(new("PL-KA", p.Sku, 1, Pct(p.BasePriceFen, 90)));
            d.PriceListItems.Add(new("PL-KA", p.Sku, p.PackSize * 10L, Pct(p.BasePriceFen, 88)));
            if (rnd.Next(10) < 7)
            {
                d.PriceListItems.Add(new("PL-CHAIN", p.Sku, 1, Pct(p.BasePriceFen, 95)));
                d.PriceListItems.Add(new("PL-CHAIN", p.Sku, p.PackSize * 20L, Pct(p.BasePriceFen, 92)));
            }
        }

        // Agreed prices and ERP tracking prices for some customers; purchase history for last-paid prices.
        foreach (var c in d.Customers)
        {
            if (rnd.NextDouble() >= size.CustomersWithPrices) continue;
            var picked = new HashSet<int>();
            var want = Math.Min(size.CustomerPricesPerCustomer, d.Products.Count);
            while (picked.Count < want) picked.Add(rnd.Next(d.Products.Count));
            var n = 0;
            foreach (var idx in picked)
            {
                var p = d.Products[idx];
                var source = n++ % 2 == 0 ? "contract" : "erp_tracking";
                d.CustomerPrices.Add(new(c.Code, p.Sku, source, 1, Pct(p.BasePriceFen, 85 + rnd.Next(0, 8))));
            }
        }
        var lastPerCustomer = Math.Min(10, d.Products.Count);
        foreach (var c in d.Customers.Take(Math.Min(d.Customers.Count, 2000)))
        {
            var picked = new HashSet<int>();
            while (picked.Count < lastPerCustomer) picked.Add(rnd.Next(d.Products.Count));
            foreach (var idx in picked)
            {
                var p = d.Products[idx];
                d.LastPrices.Add(new(c.Code, p.Sku, Pct(p.BasePriceFen, 88 + rnd.Next(0, 13)), p.PackSize * (long)rnd.Next(1, 6), nowMs - rnd.Next(1, 60) * day));
            }
        }

        // Promotions around now.
        var drinks = d.Products.Where(p => p.Active && p.CategoryCode is "WATER" or "SODA" or "TEA").ToList();
        var specials = d.Products.Where(p => p.Active).Where((_, k) => k % 29 == 3).Take(12).ToList();
        d.Promotions.Add(new("PR-WINTER", "冬季特惠", PromotionKind.SpecialPrice, PromotionTarget.All, null, nowMs - 3 * day, nowMs + 14 * day, null, null, null, null,
            specials.Select(p => (p.Sku, (long?)Pct(p.BasePriceFen, 80))).ToList(), "精选商品限时特价"));
        d.Promotions.Add(new("PR-DRINK-B10G1", "饮料买十赠一", PromotionKind.BuyGet, PromotionTarget.All, null, nowMs - 1 * day, nowMs + 30 * day, 10, 1, null, null,
            drinks.Take(6).Select(p => (p.Sku, (long?)null)).ToList(), "指定饮料每买10件赠1件"));
        d.Promotions.Add(new("PR-500-30", "满500减30", PromotionKind.SpendSave, PromotionTarget.All, null, nowMs - 7 * day, nowMs + 23 * day, null, null, 50_000, 3_000,
            [], "单笔订单满500元立减30元"));
        d.Promotions.Add(new("PR-KA-MILK", "A类客户牛奶特价", PromotionKind.SpecialPrice, PromotionTarget.Group, "KA", nowMs - 2 * day, nowMs + 5 * day, null, null, null, null,
            d.Products.Where(p => p.Active && p.CategoryCode == "MILK").Take(3).Select(p => (p.Sku, (long?)Pct(p.BasePriceFen, 78))).ToList(), "A类客户专享"));
        d.Promotions.Add(new("PR-AUTUMN", "秋季清仓(已结束)", PromotionKind.SpecialPrice, PromotionTarget.All, null, nowMs - 40 * day, nowMs - 10 * day, null, null, null, null,
            d.Products.Where(p => p.Active && p.CategoryCode == "BISCUIT").Take(3).Select(p => (p.Sku, (long?)Pct(p.BasePriceFen, 70))).ToList(), "已结束"));
        d.Promotions.Add(new("PR-NEWYEAR", "元旦预告", PromotionKind.SpecialPrice, PromotionTarget.All, null, nowMs + 20 * day, nowMs + 40 * day, null, null, null, null,
            d.Products.Where(p => p.Active && p.CategoryCode == "BEER").Take(3).Select(p => (p.Sku, (long?)Pct(p.BasePriceFen, 75))).ToList(), "尚未开始"));

        // Stock in both warehouses: mostly plenty, some low, some out.
        foreach (var p in d.Products)
        foreach (var w in d.Warehouses)
        {
            var roll = rnd.Next(20);
            var packs = roll == 0 ? 0 : roll <= 2 ? rnd.Next(1, 3) : rnd.Next(10, 400);
            d.Stock.Add(new(p.Sku, w.Code, packs * (long)p.PackSize));
        }

        // Assortment: small shops do not carry 白酒 (licence), except one that has a licence; one KA store refuses a brand line.
        d.AssortmentRules.Add(new("SHOP", null, null, "BAIJIU", AssortmentEffect.Deny));
        var licensed = d.Customers.FirstOrDefault(c => c.GroupCode == "SHOP");
        if (licensed is not null) d.AssortmentRules.Add(new(null, licensed.Code, null, "BAIJIU", AssortmentEffect.Allow));
        var ka = d.Customers.FirstOrDefault(c => c.GroupCode == "KA");
        if (ka is not null && d.Products.Count > 0) d.AssortmentRules.Add(new(null, ka.Code, d.Products[0].Sku, null, AssortmentEffect.Deny));

        // One chain (连锁超市, group CHAIN): head office C00051 orders for its branches C00048, C00054 and C00057 (README → Chains).
        string[] chain = ["C00051", "C00048", "C00054", "C00057"];
        if (chain.All(code => d.Customers.Any(c => c.Code == code)))
            d.Chains.Add(new DemoChain(chain[0], chain[1..]));
        return d;
    }

    private static long Pct(long fen, int pct) => Math.Max(1, (fen * pct + 50) / 100);
    private static string Person(Random r) => Surnames[r.Next(Surnames.Length)] + Given[r.Next(Given.Length)] + (r.Next(2) == 0 ? Given[r.Next(Given.Length)] : "");
    private static string Phone(Random r) => $"13{r.Next(0, 10)}{r.Next(10_000_000, 99_999_999)}";
}

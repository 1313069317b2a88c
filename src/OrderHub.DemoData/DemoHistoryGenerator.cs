using OrderHub.Domain.Catalog;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Pricing;
using OrderHub.Domain.Time;

namespace OrderHub.DemoData;

/// <summary>
/// A year of orders for the demo distributor, from the seed and "now" (same seed, data and now → same history), so the
/// insight pages have something to say on the first run:
/// <list type="bullet">
/// <item>Two stores in three were customers a year ago; the others join through the year (a few every month), so every
/// monthly retention cohort has stores; those whose first order is less than 60 days old are 新客.</item>
/// <item>Each store orders on a cadence of its own (every 5–14 days, a day off now and then) a few staple products in a
/// fixed quantity plus some of a wider repertoire, at its prices (agreed price, else its group's list, else base).</item>
/// <item>Seasons: in January and February (春节) candy, nuts and liquor sell more and join orders; from June to August
/// drinks and beer do.</item>
/// <item>Behaviour by store (<see cref="DemoStoreKind"/>): steady, growing (quantities rise through the year), declining
/// (the last 90 days half as often and less), dormant (stopped 45–80 days ago), churned (stopped 100–200 days ago). The
/// better the agent (AG001 best … the last worst) the fewer of its stores slip and the more grow, and the more of its
/// stores' orders are its proxy orders.</item>
/// <item>About one store in three is a few days past its cadence today: its staples are due for 补货.</item>
/// <item>Statuses: orders of the last three days are still in the flow (review, outbound, shipment); older ones shipped the
/// next day and received the day after (the last few days' only shipped), about 3 % cancelled and 2 % rejected. Shipped
/// lines carry the unit cost (<see cref="DemoCosts"/>). About 2 % of received orders have part of a line returned.</item>
/// <item>Payments: on the 5th of each month a store pays what it owed at the end of the month before (slow payers 70 %).</item>
/// </list>
/// </summary>
public static class DemoHistoryGenerator
{
    private const long DayMs = 86_400_000;
    private static readonly HashSet<string> SpringFestival = ["CANDY", "NUTS", "BAIJIU"];
    private static readonly HashSet<string> Summer = ["WATER", "SODA", "TEA", "JUICE", "ENERGY", "BEER"];

    public static DemoHistory Generate(DemoDataSet d, int seed, DateTimeOffset now)
    {
        var rnd = new Random(seed ^ 0x5eed);
        var h = new DemoHistory();
        var nowMs = now.ToUnixTimeMilliseconds();
        var today = ReportCalendar.DateOf(nowMs);
        var start = today.AddDays(-365);
        var products = d.Products.Where(p => p.Active).ToList();
        if (products.Count == 0 || d.Customers.Count == 0) return h;
        var bySku = d.Products.ToDictionary(p => p.Sku);
        var groupList = d.PriceLists.ToDictionary(l => l.GroupCode, l => l.Code);
        var listPrices = d.PriceListItems.Where(i => i.MinQty <= 1).ToDictionary(i => (i.PriceListCode, i.Sku), i => i.PriceFen);
        var ownPrices = d.CustomerPrices.Where(p => p.MinQty <= 1).GroupBy(p => (p.CustomerCode, p.Sku)).ToDictionary(g => g.Key, g => g.First());
        var agentIndex = d.Agents.Select((a, i) => (a.Code, i)).ToDictionary(x => x.Code, x => x.i);

        bool Allowed(DemoCustomer c, DemoProduct p)
        {
            var allow = true;
            foreach (var r in d.AssortmentRules.Where(r => r.GroupCode == c.GroupCode))
                if (r.CategoryCode == p.CategoryCode || r.Sku == p.Sku) allow = r.Effect != AssortmentEffect.Deny;
            foreach (var r in d.AssortmentRules.Where(r => r.CustomerCode == c.Code))
                if (r.CategoryCode == p.CategoryCode || r.Sku == p.Sku) allow = r.Effect != AssortmentEffect.Deny;
            return allow;
        }

        (long Fen, string Source, string Reason) PriceOf(DemoCustomer c, DemoProduct p)
        {
            if (ownPrices.TryGetValue((c.Code, p.Sku), out var own))
                return own.Source == "erp_tracking"
                    ? (own.PriceFen, PriceSourceNames.Of(PriceSource.TrackingPrice), "客户跟踪价")
                    : (own.PriceFen, PriceSourceNames.Of(PriceSource.CustomerPrice), "客户协议价");
            if (groupList.TryGetValue(c.GroupCode, out var list) && listPrices.TryGetValue((list, p.Sku), out var fen))
                return (fen, PriceSourceNames.Of(PriceSource.GroupPriceList), $"价目表 {d.PriceLists.First(l => l.Code == list).Name}");
            return (p.BasePriceFen, PriceSourceNames.Of(PriceSource.BasePrice), "基础价");
        }

        var pending = new List<(long At, DemoOrder Order)>();
        for (var s = 0; s < d.Customers.Count; s++)
        {
            var c = d.Customers[s];
            var agent = agentIndex.GetValueOrDefault(c.AgentCode);
            var agentShare = d.Agents.Count <= 1 ? 0.0 : agent / (double)(d.Agents.Count - 1); // 0 = the best agent, 1 = the worst
            // A year ago, or spread over the year (about two stores a month).
            var joined = s % 3 != 2 ? start.AddDays(rnd.Next(0, 20)) : start.AddDays(20 + s / 3 * 17 + rnd.Next(0, 10));
            var interval = rnd.Next(5, 15);
            var tenure = ReportCalendar.DaysBetween(joined, today);
            var roll = rnd.NextDouble();
            var kind = tenure < 60 ? DemoStoreKind.New
                : roll < 0.06 + 0.10 * agentShare && tenure > 160 ? DemoStoreKind.Churned
                : roll < 0.14 + 0.14 * agentShare && tenure > 100 ? DemoStoreKind.Dormant
                : roll < 0.24 + 0.16 * agentShare ? DemoStoreKind.Declining
                : roll < 0.52 - 0.12 * agentShare ? DemoStoreKind.Growing
                : DemoStoreKind.Steady;
            DateOnly? stopped = kind switch
            {
                DemoStoreKind.Churned => today.AddDays(-rnd.Next(100, 201)),
                DemoStoreKind.Dormant => today.AddDays(-rnd.Next(45, 81)),
                _ => null,
            };
            var late = kind is DemoStoreKind.Steady or DemoStoreKind.Growing or DemoStoreKind.New && rnd.Next(3) == 0 ? rnd.Next(1, 5) : 0;
            var last = stopped ?? (late > 0 ? today.AddDays(-(interval + late)) : today);

            // Its products: staples in every order, a repertoire to draw from, skewed towards the classic lines.
            var allowed = products.Where(p => Allowed(c, p)).ToList();
            var staples = new List<(DemoProduct P, int Packs)>();
            while (staples.Count < Math.Min(rnd.Next(3, 6), allowed.Count))
            {
                var p = allowed[(int)(allowed.Count * Math.Pow(rnd.NextDouble(), 2.5))];
                if (staples.All(x => x.P.Sku != p.Sku)) staples.Add((p, rnd.Next(1, 5)));
            }
            var repertoire = Enumerable.Range(0, rnd.Next(12, 30)).Select(_ => allowed[(int)(allowed.Count * Math.Pow(rnd.NextDouble(), 2))])
                .Where(p => staples.All(x => x.P.Sku != p.Sku)).DistinctBy(p => p.Sku).ToList();
            var seasonal = allowed.Where(p => SpringFestival.Contains(p.CategoryCode) || Summer.Contains(p.CategoryCode)).ToList();
            var proxyShare = 0.6 - 0.4 * agentShare;
            var bigStore = c.GroupCode switch { "KA" => 3.0, "CHAIN" => 1.8, _ => 1.0 };
            h.Stores.Add(new DemoStoreHistory(c.Code, kind, joined, interval, stopped, late, staples.Select(x => x.P.Sku).ToList()));

            for (var day = joined; day <= last;)
            {
                var age = ReportCalendar.DaysBetween(day, today);
                var month = day.Month;
                var growth = kind == DemoStoreKind.Growing ? 1 + 2.5 * Math.Pow(ReportCalendar.DaysBetween(start, day) / 365.0, 2) : 1.0;
                var fading = kind == DemoStoreKind.Declining && age < 90 ? 0.5 : 1.0;
                double Season(DemoProduct p) =>
                    month is 1 or 2 && SpringFestival.Contains(p.CategoryCode) ? 1.8
                    : month is 6 or 7 or 8 && Summer.Contains(p.CategoryCode) ? 1.5
                    : 1.0;
                long Qty(DemoProduct p, double packs) => p.PackSize * Math.Max(1L, (long)Math.Round(packs * bigStore * growth * fading * Season(p)));

                var lines = new List<DemoOrderLine>();
                void Add(DemoProduct p, double packs)
                {
                    var (fen, source, reason) = PriceOf(c, p);
                    lines.Add(new DemoOrderLine(p.Sku, Qty(p, packs), fen, source, reason, false, null));
                }
                foreach (var (p, packs) in staples) Add(p, packs);
                foreach (var p in repertoire) if (rnd.Next(100) < 25) Add(p, rnd.Next(1, 4));
                if (month is 1 or 2 or 6 or 7 or 8 && seasonal.Count > 0)
                {
                    var inSeason = seasonal.Where(p => month <= 2 ? SpringFestival.Contains(p.CategoryCode) : Summer.Contains(p.CategoryCode)).ToList();
                    var extra = inSeason.Count == 0 ? null : inSeason[rnd.Next(inSeason.Count)];
                    if (extra is not null && lines.All(l => l.Sku != extra.Sku)) Add(extra, rnd.Next(1, 4));
                }
                if (rnd.Next(15) == 0)
                {
                    var g = staples[0].P;
                    lines.Add(new DemoOrderLine(g.Sku, g.PackSize, 0, PriceSourceNames.Of(PriceSource.Promotion), "买赠赠品", true, null));
                }

                // Business hours, Beijing time.
                var at = ShanghaiTime.StartOfDayMs(day) + rnd.NextInt64(8 * 3_600_000L, 20 * 3_600_000L);
                if (at >= nowMs) at = nowMs - rnd.NextInt64(60_000, 3_600_000);
                var statusRoll = rnd.Next(100);
                var status = age <= 0 ? (rnd.Next(2) == 0 ? OrderStatus.PendingSalesReview : OrderStatus.PendingFinanceReview)
                    : age == 1 ? OrderStatus.PendingOutbound
                    : age == 2 ? OrderStatus.PendingShipment
                    : statusRoll < 3 ? OrderStatus.Cancelled
                    : statusRoll < 5 ? OrderStatus.Rejected
                    : age <= 5 || statusRoll < 12 ? OrderStatus.Shipped
                    : OrderStatus.Received;
                var shipped = status is OrderStatus.Shipped or OrderStatus.Received;
                long? shippedAt = shipped ? ShanghaiTime.StartOfDayMs(day.AddDays(1)) + 10 * 3_600_000L + rnd.NextInt64(0, 6 * 3_600_000L) : null;
                long? receivedAt = status == OrderStatus.Received ? shippedAt + DayMs : null;
                if (shipped) lines = lines.Select(l => l with { UnitCostFen = DemoCosts.UnitCostFen(bySku[l.Sku]) }).ToList();
                var goods = lines.Sum(l => l.AmountFen);
                // 满500减30 (the demo's live promotion) only in its window: the last week.
                var discount = goods >= 50_000 && age < 7 ? 3_000L : 0L;
                var channel = rnd.NextDouble() < proxyShare ? "proxy" : "self";
                var endReason = status == OrderStatus.Cancelled ? "门店取消" : status == OrderStatus.Rejected ? "信用额度不足，请先回款" : null;
                pending.Add((at, new DemoOrder("", c.Code, c.AgentCode, channel, status, at, shippedAt, receivedAt, discount, lines, endReason)));

                var step = kind == DemoStoreKind.Declining && age < 100 ? 2 * interval : interval;
                var jitter = rnd.Next(10) switch { 0 => -1, 1 => 1, _ => 0 };
                day = day.AddDays(Math.Max(2, step + jitter));
            }
        }

        var n = 0;
        foreach (var (_, o) in pending.OrderBy(x => x.At).ThenBy(x => x.Order.CustomerCode, StringComparer.Ordinal))
            h.Orders.Add(o with { Key = $"H{++n:D5}" });

        // Returns: about one received order in 50 (older than two weeks, no 满减) sends back one pack of a line of two or more packs.
        foreach (var o in h.Orders.Where(o => o.Status == OrderStatus.Received && o.DiscountFen == 0 && o.ReceivedAtMs < nowMs - 14 * DayMs))
        {
            if (rnd.Next(50) != 0) continue;
            var lineNo = o.Lines.Select((l, i) => (l, No: i + 1)).FirstOrDefault(x => !x.l.IsGift && x.l.Quantity >= 2 * bySku[x.l.Sku].PackSize).No;
            if (lineNo == 0) continue;
            var line = o.Lines[lineNo - 1];
            var qty = (long)bySku[line.Sku].PackSize;
            var asked = o.ReceivedAtMs!.Value + rnd.Next(1, 4) * DayMs;
            h.Returns.Add(new DemoReturn(o.Key, lineNo, qty, qty * line.UnitPriceFen, rnd.Next(2) == 0 ? "临期" : "外包装破损",
                asked, asked + 2 * DayMs, asked + 3 * DayMs));
        }

        // Payments on the 5th of each month: what the store owed at the end of the month before (its opening receivable included).
        var slowPayers = d.Customers.Where((c, i) => (i * 7 + agentIndex.GetValueOrDefault(c.AgentCode)) % 6 == 0).Select(c => c.Code).ToHashSet();
        var returnsByOrder = h.Returns.ToLookup(r => r.OrderKey);
        var movements = h.Orders.Where(o => o.ShippedAtMs is not null)
            .SelectMany(o => new[] { (o.CustomerCode, At: o.ShippedAtMs!.Value, Fen: o.TotalFen) }
                .Concat(returnsByOrder[o.Key].Select(r => (o.CustomerCode, At: r.CompletedAtMs, Fen: -r.CreditFen))))
            .ToLookup(m => m.CustomerCode);
        foreach (var c in d.Customers)
        {
            var balance = c.ReceivableFen;
            var moves = movements[c.Code].OrderBy(m => m.At).ToList();
            var k = 0;
            for (var month = ReportCalendar.MonthStart(start).AddMonths(1); month <= today; month = month.AddMonths(1))
            {
                var monthStartMs = ShanghaiTime.StartOfDayMs(month);
                for (; k < moves.Count && moves[k].At < monthStartMs; k++) balance += moves[k].Fen;
                var payAt = ShanghaiTime.StartOfDayMs(month.AddDays(4)) + 11 * 3_600_000L;
                if (payAt >= nowMs || balance <= 0) continue;
                var pay = slowPayers.Contains(c.Code) ? balance * 7 / 10 : balance;
                if (pay <= 0) continue;
                h.Payments.Add(new DemoPayment(c.Code, payAt, pay, $"BANK-{month:yyyyMM}-{c.Code}"));
                balance -= pay;
            }
        }
        h.Payments.Sort((a, b) => a.AtMs.CompareTo(b.AtMs));
        return h;
    }
}

using ClosedXML.Excel;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrderHub.Console.Tests;

/// <summary>
/// 报表 in the console. Two demo stores place four orders through the mini-program's API; the test then gives the stores
/// to a new agent 报表测试员 (RPT), dates the orders back to February and March 2020 (a quiet stretch of the demo history),
/// ships them and gives every line a random unit cost, so each figure on the pages can be worked out here from the lines:
/// <code>
///   store S (2nd chain store)   B0  2020-02-20  proxy   (previous period of March)
///   store F (1st chain store)   A1  2020-03-10  proxy   A2  2020-03-12  self
///   store S                     B   2020-03-15  self    → S moved to self-ordering; F had no February orders
/// </code>
/// Every page gets a screenshot attached to its test.
/// </summary>
public class ReportsConsoleTests : ConsoleTestBase
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private const string March = "from=2020-03-01&to=2020-03-31";
    private long _agent, _storeF, _storeS;
    private string _storeFCode = "", _storeFName = "";
    private readonly Dictionary<string, (long Id, string No, long Total, long Revenue, long Cost)> _orders = [];

    [OneTimeSetUp]
    public async Task PlaceAndDateBackTheOrders()
    {
        var seed = Environment.TickCount;
        TestContext.Progress.WriteLine($"ReportsConsoleTests random seed {seed}");
        var rnd = new Random(seed);
        var a1 = await Host.PlaceOrderAsync(store: 0);
        var a2 = await Host.PlaceOrderAsync(store: 0);
        var b0 = await Host.PlaceOrderAsync(store: 1);
        var b = await Host.PlaceOrderAsync(store: 1);
        (_storeF, _storeS) = (a1.CustomerId, b.CustomerId);
        await Host.Execute("INSERT INTO agents (code, name, phone, active, created_at) VALUES ('RPT', '报表测试员', '13800009999', TRUE, 0)");
        _agent = await Host.Scalar<long>("SELECT id FROM agents WHERE code = 'RPT'");
        await Host.Execute("UPDATE customers SET agent_id = @a WHERE id IN (@f, @s)", new { a = _agent, f = _storeF, s = _storeS });
        _storeFCode = await Host.Scalar<string>("SELECT code FROM customers WHERE id = @f", new { f = _storeF });
        _storeFName = await Host.Scalar<string>("SELECT name FROM customers WHERE id = @f", new { f = _storeF });
        foreach (var (key, o, day, channel) in new[] { ("B0", b0, new DateOnly(2020, 2, 20), "proxy"), ("A1", a1, new DateOnly(2020, 3, 10), "proxy"), ("A2", a2, new DateOnly(2020, 3, 12), "self"), ("B", b, new DateOnly(2020, 3, 15), "self") })
        {
            var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), Beijing).ToUnixTimeMilliseconds();
            await Host.Execute("""
                UPDATE orders SET agent_id = @agent, channel = @channel, attribution = @attribution, placed_by_kind = @kind, status = 'shipped',
                       created_at = @at, updated_at = @at, shipped_at = @shipped WHERE id = @id
                """, new { agent = _agent, channel, attribution = channel == "self" ? "owner" : "proxy", kind = channel == "self" ? "customer_user" : "agent", at, shipped = at + 86_400_000, id = o.Id });
            // A random cost per line: 40–90 % of its unit price, as an ERP's cost feed would give it.
            await using var c = await Host.Db.OpenAsync();
            var lines = (await Dapper.SqlMapper.QueryAsync<(long Id, long Qty, long Price, long Amount)>(c,
                "SELECT id, quantity, unit_price_fen, amount_fen FROM order_lines WHERE order_id = @id", new { id = o.Id })).ToList();
            long cost = 0;
            foreach (var l in lines)
            {
                var unitCost = l.Price * rnd.Next(40, 91) / 100;
                cost += unitCost * l.Qty;
                await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE order_lines SET unit_cost_fen = @unitCost WHERE id = @id", new { unitCost, id = l.Id });
            }
            var total = await Host.Scalar<long>("SELECT total_fen FROM orders WHERE id = @id", new { id = o.Id });
            _orders[key] = (o.Id, o.OrderNo, total, lines.Sum(l => l.Amount), cost);
        }
    }

    private static string Yuan(long fen) => (fen < 0 ? "-¥" : "¥") + (Math.Abs(fen) / 100m).ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture);
    private long Gp(params string[] keys) => keys.Sum(k => _orders[k].Revenue - _orders[k].Cost);

    private async Task Open(string path)
    {
        await SignIn("admin");
        await Page.GotoAsync("/console/#/reports/" + path);
        await Expect(Page.Locator("#report-body .loading")).ToHaveCountAsync(0);
    }

    private ILocator Row(string tableId, string text) => Page.Locator($"#{tableId} tbody tr", new() { HasText = text });
    private ILocator Cell(string tableId, string rowText, string column) => Row(tableId, rowText).Locator($"td[data-col='{column}']");

    [Test]
    public async Task The_gross_profit_page_shows_the_stores_figures_and_a_figure_opens_the_orders_behind_it()
    {
        await Open($"gross-profit?{March}&groupBy=store&agentId={_agent}");
        await Expect(Page.Locator("#kpi-gross-profit .value")).ToHaveTextAsync(Yuan(Gp("A1", "A2", "B")));
        await Expect(Page.Locator("#kpi-revenue .value")).ToHaveTextAsync(Yuan(_orders["A1"].Revenue + _orders["A2"].Revenue + _orders["B"].Revenue));
        await Expect(Page.Locator("#profit tbody tr")).ToHaveCountAsync(2);
        await Expect(Cell("profit", _storeFName, "毛利")).ToHaveTextAsync(Yuan(Gp("A1", "A2")));
        await Expect(Cell("profit", _storeFName, "订单数")).ToHaveTextAsync("2");
        await Expect(Page.Locator(".chart-svg svg rect")).ToHaveCountAsync(2);
        await Screenshot("gross-profit");

        await Cell("profit", _storeFName, "毛利").Locator("a").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"#/orders\\?.*customerId={_storeF}"));
        await Expect(Page.Locator("#order-customer-filter")).ToBeVisibleAsync();
        // Gross profit counts by 发货 date, so the orders behind it are the period's shipped orders.
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/orders\\?.*dateBy=shipped"));
        await Expect(Page.Locator("#order-date-by")).ToHaveValueAsync("shipped");
        await Expect(Page.Locator("tr[data-order-no]")).ToHaveCountAsync(2);
        await Expect(Page.Locator($"tr[data-order-no='{_orders["A1"].No}']")).ToBeVisibleAsync();
        await Expect(Page.Locator($"tr[data-order-no='{_orders["A2"].No}']")).ToBeVisibleAsync();
        await Screenshot("orders-behind-the-figure");
    }

    [Test]
    public async Task The_scorecard_ranks_the_agent_and_its_xlsx_export_has_the_same_cells()
    {
        await Open($"scorecard?{March}");
        var row = Row("scorecard", "报表测试员");
        await Expect(row.Locator("td[data-col='排名']")).ToHaveTextAsync("1");
        await Expect(row.Locator("td[data-col='毛利']")).ToHaveTextAsync(Yuan(Gp("A1", "A2", "B")));
        await Expect(row.Locator("td[data-col='上期毛利']")).ToHaveTextAsync(Yuan(Gp("B0")));
        await Expect(row.Locator("td[data-col='活跃门店']")).ToHaveTextAsync("2");
        await Expect(row.Locator("td[data-col='转自助订货']")).ToHaveTextAsync("1");
        await Screenshot("scorecard");

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.Locator("#scorecard [data-export]").ClickAsync());
        Assert.That(download.SuggestedFilename, Is.EqualTo("业务员记分卡 2020-03-01 至 2020-03-31.xlsx"));
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "scorecard.xlsx");
        await download.SaveAsAsync(path);
        TestContext.AddTestAttachment(path, "scorecard export");
        using var wb = new XLWorkbook(path);
        var ws = wb.Worksheet(1);
        var header = ws.Row(2).CellsUsed().Select(c => c.GetString()).ToList();
        var sheetRow = ws.RowsUsed().Single(r => r.Cell(header.IndexOf("业务员") + 1).GetString() == "报表测试员 (RPT)");
        Assert.That(sheetRow.Cell(header.IndexOf("毛利") + 1).GetValue<decimal>(), Is.EqualTo(Gp("A1", "A2", "B") / 100m));
        Assert.That(sheetRow.Cell(header.IndexOf("活跃门店") + 1).GetValue<int>(), Is.EqualTo(2));
        Assert.That(sheetRow.Cell(header.IndexOf("转自助订货") + 1).GetValue<int>(), Is.EqualTo(1));

        // The active-stores figure opens the agent's orders of the period.
        await row.Locator("td[data-col='活跃门店'] a").ClickAsync();
        await Expect(Page.Locator("tr[data-order-no]")).ToHaveCountAsync(3);
    }

    [Test]
    public async Task The_period_reports_show_what_the_agents_stores_ordered()
    {
        var total = _orders["A1"].Total + _orders["A2"].Total + _orders["B"].Total;
        await Open($"agents?{March}&agentId={_agent}");
        await Expect(Cell("agents", "报表测试员", "归属销售额")).ToHaveTextAsync(Yuan(total));
        await Expect(Cell("agents", "报表测试员", "代客下单")).ToHaveTextAsync(Yuan(_orders["A1"].Total));
        await Expect(Cell("agents", "报表测试员", "订单")).ToHaveTextAsync("3");
        await Screenshot("agents");

        await Page.GotoAsync($"/console/#/reports/sales?{March}&groupBy=day&agentId={_agent}");
        await Expect(Page.Locator("#kpi-sales-orders .value")).ToHaveTextAsync("3 单");
        await Expect(Page.Locator("#kpi-sales-revenue .value")).ToHaveTextAsync(Yuan(total));
        await Expect(Cell("sales", "2020-03-12", "销售额")).ToHaveTextAsync(Yuan(_orders["A2"].Total));
        await Screenshot("sales");

        await Page.GotoAsync($"/console/#/reports/key-customers?{March}");
        await Expect(Page.Locator("#kpi-total .value")).ToHaveTextAsync(Yuan(total));
        await Expect(Page.Locator("#kpi-key-count .value")).ToContainTextAsync("/ 2 家");
        await Screenshot("key-customers");

        await Page.GotoAsync("/console/#/reports/retention");
        // S first ordered in February 2020 and again in March: 1 of 1 after a month; F's cohort is March, nothing in April.
        await Expect(Cell("cohorts", "2020-02", "新客数")).ToHaveTextAsync("1");
        await Expect(Cell("cohorts", "2020-02", "1 个月")).ToHaveTextAsync("100.00%");
        await Expect(Cell("cohorts", "2020-03", "1 个月")).ToHaveTextAsync("0.00%");
        await Expect(Page.Locator(".chart-svg svg polyline").First).ToBeAttachedAsync();
        await Screenshot("retention");
    }

    [Test]
    public async Task The_store_pages_and_the_whole_company_pages_render_their_figures()
    {
        using var admin = Host.Http(await Host.StaffToken("admin"));
        var insight = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync($"/api/admin/customers/{_storeF}/insight")).RootElement;
        await Open($"insight?store={_storeFCode}");
        await Expect(Page.Locator("#store-name")).ToContainTextAsync(_storeFCode);
        await Expect(Page.Locator("#kpi-orders .value")).ToHaveTextAsync($"{insight.GetProperty("orderCount").GetInt64()} 单");
        await Expect(Page.Locator("#kpi-this-year .value")).ToHaveTextAsync(Yuan(insight.GetProperty("thisYear").GetProperty("revenueFen").GetInt64()));
        await Screenshot("insight");

        await Page.GotoAsync($"/console/#/reports/cross-sell?store={_storeFCode}");
        var gaps = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync($"/api/admin/customers/{_storeF}/cross-sell")).RootElement.GetArrayLength();
        await Expect(Page.Locator("#gaps tbody tr")).ToHaveCountAsync(Math.Max(1, gaps));
        await Screenshot("cross-sell");

        var ageing = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync("/api/admin/reports/receivables-ageing")).RootElement;
        await Page.GotoAsync("/console/#/reports/ageing");
        await Expect(Page.Locator("#kpi-ageing-total .value")).ToHaveTextAsync(Yuan(ageing.GetProperty("totals").GetProperty("totalFen").GetInt64()));
        await Screenshot("ageing");

        var lifecycle = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync("/api/admin/reports/lifecycle")).RootElement;
        await Page.GotoAsync("/console/#/reports/lifecycle");
        await Expect(Page.Locator("#stages tbody tr")).ToHaveCountAsync(Math.Max(1, lifecycle.GetProperty("stores").GetArrayLength()));
        await Screenshot("lifecycle");
    }

    [Test]
    public async Task The_warehouse_has_no_reports_menu_and_finance_has()
    {
        await SignIn("warehouse");
        await Expect(Page.Locator("nav.menu a", new() { HasText = "报表" })).ToHaveCountAsync(0);
        await SignOut();
        await SignIn("finance");
        await Page.Locator("nav.menu a", new() { HasText = "报表" }).ClickAsync();
        await Expect(Page.Locator(".report-tabs .tab.active")).ToHaveTextAsync("客户生命周期");
    }
}

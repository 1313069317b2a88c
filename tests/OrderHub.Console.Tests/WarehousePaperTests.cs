using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrderHub.Console.Tests;

/// <summary>
/// The warehouse's paper and the batch actions in the console, in a real browser: orders are ticked in the order list,
/// printed as a pick list and as delivery notes, rendered by Chromium to PDF (page.PdfAsync, the print CSS and the
/// chosen paper size), and the PDF's text is read back with pdftotext (Debian poppler-utils) and checked.
/// </summary>
[NonParallelizable]
public class WarehousePaperTests : ConsoleTestBase
{
    private static int _nextStore = 30;

    private static string Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo($"/usr/bin/{tool}") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), $"{tool}: {p.StandardError.ReadToEnd()}");
        return output;
    }

    [OneTimeSetUp]
    public void NeedsPoppler()
    {
        if (File.Exists("/usr/bin/pdftotext")) return;
        const string message = "pdftotext is not installed: the print tests need Debian's poppler-utils (apt-get install -y poppler-utils; .ci/run installs it).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
        Assert.Ignore(message);
    }

    /// <summary>Renders the current page to PDF with its own @page size and returns (text laid out, page count, page size line).</summary>
    private async Task<(string Text, int Pages, string PageSize)> Pdf(string name)
    {
        var dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "pdf");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{TestContext.CurrentContext.Test.MethodName}-{name}.pdf");
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Page.PdfAsync(new PagePdfOptions { Path = path, PreferCSSPageSize = true, PrintBackground = true });
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });
        TestContext.AddTestAttachment(path, name);
        var info = Run("pdfinfo", path);
        var pages = int.Parse(Regex.Match(info, @"Pages:\s+(\d+)").Groups[1].Value);
        var size = Regex.Match(info, @"Page size:\s+(.*)").Groups[1].Value.Trim();
        return (Run("pdftotext", "-layout", path, "-"), pages, size);
    }

    private async Task TickAndPrint(IEnumerable<string> orderNos, string button)
    {
        await Page.GotoAsync("/console/#/orders?status=all");
        foreach (var no in orderNos)
            await Page.Locator($"tr[data-order-no='{no}'] input.pick").CheckAsync();
        await Expect(Page.Locator("#selected-count")).ToContainTextAsync($"已选 {orderNos.Count()} 个订单");
        await Page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Expect(Page.Locator(".paper-sheets[data-ready='true']")).ToBeVisibleAsync();
    }

    /// <summary>The page width in points from pdfinfo's "Page size: 594.96 x 841.92 pts (A4)".</summary>
    private static double Width(string pageSize) => double.Parse(pageSize.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The line of the laid-out PDF text that holds the SKU.</summary>
    private static string LineOf(string text, string sku) =>
        text.Split('\n').FirstOrDefault(l => l.Contains(sku, StringComparison.Ordinal)) ?? throw new AssertionException($"{sku} is not in the PDF:\n{text}");

    [Test]
    public async Task The_warehouse_prints_a_pick_list_of_ticked_orders_summed_by_product_on_A4_and_on_241_mm_paper()
    {
        var rnd = new Random(Environment.TickCount);
        var orders = new List<(long Id, string OrderNo, IReadOnlyDictionary<string, long> Quantities)>();
        for (var i = 0; i < 3; i++) orders.Add(await Host.PlaceRandomOrderAsync(_nextStore++, rnd));
        TestContext.Progress.WriteLine("orders: " + string.Join("; ", orders.Select(o => o.OrderNo + " " + string.Join(",", o.Quantities.Select(q => $"{q.Key}×{q.Value}")))));

        await SignIn("warehouse");
        await TickAndPrint(orders.Select(o => o.OrderNo), "打印拣货单");
        await Screenshot("pick-list");

        var (text, _, a4) = await Pdf("pick-list-a4");
        Assert.That(Width(a4), Is.EqualTo(595.3).Within(1.0), $"A4 is 210 mm = 595 pt wide: {a4}");
        Assert.That(text, Does.Contain("拣 货 单").Or.Contain("拣货单"));
        // Every product of every order, once, with the sum of what the orders hold (gifts included).
        var ids = string.Join(",", orders.Select(o => o.Id));
        var expected = new Dictionary<string, (string Name, long Qty)>();
        foreach (var o in orders)
        foreach (var (sku, _) in o.Quantities)
            expected[sku] = (await Host.Scalar<string>("SELECT name FROM products WHERE sku = @sku", new { sku }),
                await Host.Scalar<long>($"SELECT SUM(l.quantity) FROM order_lines l WHERE l.sku = @sku AND l.order_id IN ({ids})", new { sku }));
        Assert.That(expected.Values.Sum(v => v.Qty), Is.EqualTo(orders.Sum(o => o.Quantities.Values.Sum())), "the orders hold what was asked");
        foreach (var (sku, (name, qty)) in expected)
        {
            var line = LineOf(text, sku);
            Assert.That(line.Replace(" ", ""), Does.Contain(name.Replace(" ", "")[..Math.Min(6, name.Replace(" ", "").Length)]), $"name of {sku}");
            Assert.That(Regex.Matches(line, @"(?<![\w.])\d+(?![\w.])").Select(m => long.Parse(m.Value)), Does.Contain(qty), $"summed quantity of {sku}: {line}");
            Assert.That(text.Split('\n').Count(l => l.Contains(sku, StringComparison.Ordinal)), Is.EqualTo(1), $"{sku} is one row");
        }
        Assert.That(text, Does.Contain("拣货人签字"));

        // The same list on 241 mm continuous paper: the page is 241 mm wide.
        await Page.SelectOptionAsync("#paper", "241");
        await Expect(Page).ToHaveURLAsync(new Regex("paper=241"));
        var (text241, _, size241) = await Pdf("pick-list-241");
        Assert.That(Width(size241), Is.EqualTo(683.15).Within(1.0), $"241 mm = 683 pt wide: {size241}");
        Assert.That(Width(size241), Is.Not.EqualTo(Width(a4)).Within(10.0), "the paper choice changes the page");
        foreach (var (sku, (_, qty)) in expected)
            Assert.That(Regex.Matches(LineOf(text241, sku), @"(?<![\w.])\d+(?![\w.])").Select(m => long.Parse(m.Value)), Does.Contain(qty));
    }

    [Test]
    public async Task Delivery_notes_print_one_page_per_order_with_its_lines_address_and_signature_lines()
    {
        var rnd = new Random(Environment.TickCount + 1);
        var orders = new List<(long Id, string OrderNo, IReadOnlyDictionary<string, long> Quantities)>();
        for (var i = 0; i < 2; i++) orders.Add(await Host.PlaceRandomOrderAsync(_nextStore++, rnd));

        await SignIn("warehouse");
        await TickAndPrint(orders.Select(o => o.OrderNo), "打印发货单");
        await Screenshot("delivery-notes");
        var (text, pages, _) = await Pdf("delivery-notes");
        Assert.That(pages, Is.EqualTo(orders.Count), "each delivery note on its own page");
        var pageTexts = text.Split('\f');
        for (var i = 0; i < orders.Count; i++)
        {
            var o = orders[i];
            var pageText = pageTexts[i];
            Assert.That(pageText, Does.Contain(o.OrderNo));
            var address = await Host.Scalar<string>("SELECT delivery_address FROM orders WHERE id = @Id", new { o.Id });
            Assert.That(Regex.Replace(pageText, @"\s+", ""), Does.Contain(Regex.Replace(address, @"\s+", "")), "the order's delivery address");
            foreach (var (sku, qty) in o.Quantities)
                Assert.That(Regex.Matches(LineOf(pageText, sku), @"(?<![\w.])\d+(?![\w.])").Select(m => long.Parse(m.Value)), Does.Contain(qty), $"{o.OrderNo} {sku}");
            Assert.That(pageText, Does.Contain("送货人签字").And.Contain("收货人签字"));
        }
    }

    [Test]
    public async Task A_clerk_approves_ticked_orders_in_one_step_and_sees_which_failed_and_why()
    {
        var rnd = new Random(42);
        var a = await Host.PlaceRandomOrderAsync(_nextStore++, rnd);
        var b = await Host.PlaceRandomOrderAsync(_nextStore++, rnd);

        await SignIn("clerk");
        await Expect(Page.Locator(".queues .tab.active")).ToContainTextAsync("待业务审核");
        await Page.Locator($"tr[data-order-no='{a.OrderNo}'] input.pick").CheckAsync();
        await Page.Locator($"tr[data-order-no='{b.OrderNo}'] input.pick").CheckAsync();
        // A colleague approves b first (another tab): the batch must say so for b and still approve a.
        using (var other = Host.Http(await Host.StaffToken("admin")))
            Assert.That((int)(await other.PostAsync($"/api/admin/orders/{b.Id}/approve-sales", null)).StatusCode, Is.EqualTo(200));
        await Page.GetByRole(AriaRole.Button, new() { Name = "批量业务审核通过" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "执行" }).ClickAsync();
        var result = Page.Locator(".batch-result");
        await Expect(result).ToContainTextAsync("成功 1 个，失败 1 个");
        await Expect(result.Locator($"li[data-order-id='{a.Id}']")).ToContainTextAsync("待财务审核");
        await Expect(result.Locator($"li[data-order-id='{b.Id}']")).ToContainTextAsync("待财务审核");
        await Expect(result.Locator($"li[data-order-id='{b.Id}'] .reason")).ToContainTextAsync("不能");
        await Screenshot("batch-result");
        Assert.That(await Host.Scalar<string>("SELECT status FROM orders WHERE id = @Id", new { a.Id }), Is.EqualTo("pending_finance_review"));
        await Expect(Page.Locator($"tr[data-order-no='{a.OrderNo}']")).ToHaveCountAsync(0);

        // The export of the list as the clerk sees it: a CSV with a BOM and the order's lines.
        await Page.Locator(".queues .tab", new() { HasText = "全部" }).ClickAsync();
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "导出 CSV" }).ClickAsync());
        Assert.That(download.SuggestedFilename, Does.StartWith("订单明细_").And.EndWith(".csv"));
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
        var csv = Encoding.UTF8.GetString(bytes);
        foreach (var sku in a.Quantities.Keys) Assert.That(csv, Does.Contain($"{a.OrderNo},").And.Contain(sku));
    }
}

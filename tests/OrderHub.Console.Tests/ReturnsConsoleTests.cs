using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrderHub.Console.Tests;

/// <summary>退货 in the console: the clerk approves, the warehouse receives the quantities that came, finance credits.</summary>
public class ReturnsConsoleTests : ConsoleTestBase
{
    [Test]
    public async Task A_clerk_approves_the_warehouse_receives_and_finance_credits_a_return_in_the_returns_page()
    {
        var (orderId, orderNo, customerId) = await Host.PlaceOrderAsync(store: 6);
        using (var admin = Host.Http(await Host.StaffToken("admin")))
        {
            Assert.That((await admin.PostAsync($"/api/admin/orders/{orderId}/approve-sales", null)).IsSuccessStatusCode);
            Assert.That((await admin.PostAsJsonAsync($"/api/admin/orders/{orderId}/approve-finance", new { @override = true })).IsSuccessStatusCode);
            Assert.That((await admin.PostAsync($"/api/admin/orders/{orderId}/ship", null)).IsSuccessStatusCode);
        }
        var (lineId, quantity, amount) = await LineAsync(orderId);
        var discount = await Host.Scalar<long>("SELECT discount_fen FROM orders WHERE id = @orderId", new { orderId });
        Assume.That(discount, Is.EqualTo(0), "the chosen item has no promotion");

        // the store asks in the mini-program's way (its API)
        using var store = Host.Http();
        var code = await Host.Scalar<string>("SELECT code FROM customers WHERE id = @customerId", new { customerId });
        var login = await store.PostAsJsonAsync("/api/auth/dev-login", new { customerCode = code });
        store.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/returns") { Content = JsonContent.Create(new { orderNo, lines = new[] { new { orderLineId = lineId, quantity } }, reason = "包装破损" }) };
        req.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var created = await store.SendAsync(req);
        var body = await created.Content.ReadAsStringAsync();
        Assert.That((int)created.StatusCode, Is.EqualTo(201), body);
        var returnNo = JsonDocument.Parse(body).RootElement.GetProperty("returnNo").GetString()!;
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
        var onHand = await OnHandAsync(orderId);

        await SignIn("clerk");
        await Page.GotoAsync("/console/#/returns");
        await Expect(Page.Locator(".tabs button.active")).ToContainTextAsync("待审核");
        await Page.Locator("tr", new() { HasText = returnNo }).ClickAsync();
        var detail = Page.Locator(".return-detail");
        await Expect(detail.Locator("h2")).ToContainTextAsync(returnNo);
        await Expect(detail).ToContainTextAsync("包装破损");
        await Expect(detail.GetByRole(AriaRole.Button, new() { Name = "收货" })).ToHaveCountAsync(0);
        await detail.GetByRole(AriaRole.Button, new() { Name = "审核通过" }).ClickAsync();
        await Expect(Page.Locator(".tabs button", new() { HasText = "待收货" })).ToContainTextAsync("1");
        await SignOut();

        await SignIn("warehouse");
        await Page.GotoAsync("/console/#/returns");
        await Expect(Page.Locator(".tabs button.active")).ToContainTextAsync("待收货");
        await Page.Locator("tr", new() { HasText = returnNo }).ClickAsync();
        await Expect(detail.GetByRole(AriaRole.Button, new() { Name = "审核通过" })).ToHaveCountAsync(0);
        await detail.GetByRole(AriaRole.Button, new() { Name = "收货" }).ClickAsync();
        var dialog = Page.Locator("form.dialog");
        await Expect(dialog.Locator("input[type=number]")).ToHaveValueAsync(quantity.ToString());
        await Screenshot("returns-receive");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认收货" }).ClickAsync();
        await Expect(detail.Locator("h2")).ToContainTextAsync("待退款");
        await SignOut();
        Assert.That(await OnHandAsync(orderId), Is.EqualTo(onHand + quantity), "received goods back on hand");

        await SignIn("finance");
        await Page.GotoAsync("/console/#/returns");
        await Expect(Page.Locator(".tabs button.active")).ToContainTextAsync("待退款");
        await Page.Locator("tr", new() { HasText = returnNo }).ClickAsync();
        await detail.GetByRole(AriaRole.Button, new() { Name = "退款/冲账" }).ClickAsync();
        await Page.Locator("form.dialog").GetByRole(AriaRole.Button, new() { Name = "确定" }).ClickAsync();
        await Expect(detail.Locator("h2")).ToContainTextAsync("已完成");
        await Expect(detail.Locator("ol.timeline li")).ToHaveCountAsync(4);
        await Screenshot("returns-completed");

        // everything shipped came back and nothing was paid: the ledger is credited the line amount, no money refunded
        Assert.That(await Host.Scalar<long>("SELECT amount_fen FROM ledger_entries WHERE external_ref = @r", new { r = $"return:{id}" }), Is.EqualTo(-amount));
        Assert.That(await Host.Scalar<long>("SELECT refund_fen FROM return_requests WHERE id = @id", new { id }), Is.EqualTo(0));
    }

    private async Task<(long LineId, long Quantity, long Amount)> LineAsync(long orderId)
    {
        var row = await Host.Scalar<string>("SELECT id || '|' || quantity || '|' || amount_fen FROM order_lines WHERE order_id = @orderId ORDER BY id LIMIT 1", new { orderId });
        var p = row.Split('|');
        return (long.Parse(p[0]), long.Parse(p[1]), long.Parse(p[2]));
    }

    private Task<long> OnHandAsync(long orderId) => Host.Scalar<long>("""
        SELECT s.on_hand FROM stock s JOIN orders o ON o.warehouse_id = s.warehouse_id
        JOIN order_lines l ON l.order_id = o.id AND l.product_id = s.product_id WHERE o.id = @orderId ORDER BY l.id LIMIT 1
        """, new { orderId });
}

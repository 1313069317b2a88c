using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrderHub.Application.Payments;
using OrderHub.WeChat.Fakes;
using static Microsoft.Playwright.Assertions;

namespace OrderHub.Console.Tests;

/// <summary>
/// Finance in the console, with WeChat Pay pointed at <see cref="FakeWeChatPayServer"/> (real keys and signatures):
/// refunds a store's WeChat top-up from the customer's 预存款 panel (the refundable amount shown, a too-large amount
/// refused with the reason), and posts a WeChat Pay refund by hand in ERP 同步 → 待过账退款 (no scheduled push here).
/// </summary>
public class PrepaidRefundConsoleTests : ConsoleTestBase
{
    private FakeWeChatPayServer _pay = null!;
    private string _dir = "";

    protected override ConsoleHost CreateHost()
    {
        _pay = FakeWeChatPayServer.StartAsync().GetAwaiter().GetResult();
        _dir = Directory.CreateTempSubdirectory("orderhub-console-pay-").FullName;
        File.WriteAllText(Path.Combine(_dir, "apiclient_key.pem"), _pay.MerchantPrivateKeyPem);
        File.WriteAllText(Path.Combine(_dir, "pub_key.pem"), _pay.PlatformPublicKeyPem);
        return new ConsoleHost(new Dictionary<string, string?>
        {
            ["WeChatPay:Enabled"] = "true",
            ["WeChatPay:AppId"] = FakeWeChatPayServer.AppId,
            ["WeChatPay:MchId"] = FakeWeChatPayServer.MchId,
            ["WeChatPay:MerchantSerialNo"] = FakeWeChatPayServer.MerchantSerialNo,
            ["WeChatPay:PrivateKeyPath"] = Path.Combine(_dir, "apiclient_key.pem"),
            ["WeChatPay:ApiV3Key"] = _pay.ApiV3Key,
            ["WeChatPay:PlatformPublicKeyPath"] = Path.Combine(_dir, "pub_key.pem"),
            ["WeChatPay:PlatformPublicKeyId"] = FakeWeChatPayServer.PlatformPublicKeyId,
            ["WeChatPay:ApiBaseUrl"] = _pay.BaseUrl,
            ["WeChatPay:NotifyUrl"] = "https://orderhub.test/api/wechat/pay/notify",
        });
    }

    [OneTimeTearDown]
    public async Task StopPay()
    {
        await _pay.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>A store (the n-th) tops up by WeChat Pay and WeChat Pay notifies OrderHub it is paid: (customer, payment id, out_trade_no).</summary>
    private async Task<(long CustomerId, long PaymentId, string OutTradeNo)> WeChatTopUpAsync(int n, long amountFen)
    {
        long customerId, userId;
        await using (var c = await Host.Db.OpenAsync())
        {
            (customerId, userId) = await c.QuerySingleAsync<(long, long)>("""
                SELECT c.id, MIN(u.id) FROM customers c JOIN customer_users u ON u.customer_id = c.id AND u.active = TRUE
                WHERE c.active = TRUE GROUP BY c.id ORDER BY c.id LIMIT 1 OFFSET @n
                """, new { n });
            await c.ExecuteAsync("UPDATE customer_users SET wechat_openid = @openId WHERE id = @userId", new { openId = $"o-console-{userId}", userId });
        }
        var start = await Host.Services.GetRequiredService<PaymentService>().TopUpAsync(customerId, userId, amountFen, Guid.NewGuid().ToString("N"));
        var outTradeNo = start.WeChatPayment!.OutTradeNo!;
        _pay.Pay(outTradeNo);
        using var http = Host.Http();
        Assert.That((int)(await FakeWeChatPayServer.DeliverAsync(http, _pay.TransactionNotification(outTradeNo))).StatusCode, Is.EqualTo(204));
        return (customerId, start.WeChatPayment.Id, outTradeNo);
    }

    [Test]
    public async Task Finance_refunds_part_of_a_WeChat_top_up_from_the_customer_page_and_the_refundable_amount_and_balance_follow()
    {
        var topUp = Random.Shared.NextInt64(300_00, 900_00) | 1; // odd fen
        var (customerId, paymentId, outTradeNo) = await WeChatTopUpAsync(9, topUp);
        var part = Random.Shared.NextInt64(1_00, topUp / 2) | 1;

        await SignIn("finance");
        await Page.GotoAsync($"/console/#/customers/{customerId}");
        var panel = Page.Locator("#prepaid");
        var row = panel.Locator($"tr[data-payment-id='{paymentId}']");
        await Expect(panel.Locator("#prepaid-balance")).ToHaveTextAsync(Yuan(topUp));
        await Expect(row.Locator(".refundable")).ToHaveTextAsync(Yuan(topUp));
        await Expect(row).ToContainTextAsync(outTradeNo);

        // too much: refused with the reason, nothing debited
        await row.GetByRole(AriaRole.Button, new() { Name = "退款" }).ClickAsync();
        var dialog = Page.Locator("form.dialog");
        await Expect(dialog).ToContainTextAsync("最多可退 " + Yuan(topUp));
        await dialog.Locator("input[name=amount]").FillAsync(Plain(topUp + 1));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "退款" }).ClickAsync();
        await Expect(Page.Locator(".toast").Last).ToContainTextAsync("可退金额不足");
        await Expect(panel.Locator("#prepaid-balance")).ToHaveTextAsync(Yuan(topUp));

        await row.GetByRole(AriaRole.Button, new() { Name = "退款" }).ClickAsync();
        await dialog.Locator("input[name=amount]").FillAsync(Plain(part));
        await dialog.Locator("input[name=reason]").FillAsync("门店多充");
        await Screenshot("prepaid-refund");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "退款" }).ClickAsync();
        await Expect(panel.Locator("#prepaid-balance")).ToHaveTextAsync(Yuan(topUp - part));
        await Expect(row.Locator(".refundable")).ToHaveTextAsync(Yuan(topUp - part));

        Assert.That(_pay.Refunds.Where(r => r.Transaction.OutTradeNo == outTradeNo).Select(r => r.Amount), Is.EqualTo(new[] { part }), "WeChat Pay asked once for the part");
        Assert.That(await Host.Scalar<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM prepaid_movements WHERE customer_id = @customerId", new { customerId }), Is.EqualTo(topUp - part));
    }

    [Test]
    public async Task Finance_lists_a_WeChat_refund_to_post_in_ERP_sync_and_marks_it_posted()
    {
        var topUp = Random.Shared.NextInt64(100_00, 500_00) | 1;
        var (customerId, paymentId, _) = await WeChatTopUpAsync(10, topUp);
        var refundFen = Random.Shared.NextInt64(1_00, topUp) | 1;
        _pay.RefundsSucceedAtOnce = true;
        RefundRow refund;
        try { refund = await Host.Services.GetRequiredService<PaymentService>().RefundAsync(paymentId, refundFen, "结业", new OrderHub.Application.Common.Actor("staff", 1, "财务"), Guid.NewGuid().ToString("N")); }
        finally { _pay.RefundsSucceedAtOnce = false; }
        Assert.That(refund.Status, Is.EqualTo(RefundState.Succeeded));
        var code = await Host.Scalar<string>("SELECT code FROM customers WHERE id = @customerId", new { customerId });

        await SignIn("finance");
        await Page.GotoAsync("/console/#/sync");
        var box = Page.Locator("#refunds-to-post");
        var row = box.Locator("tr", new() { HasText = refund.OutRefundNo });
        await Expect(row).ToContainTextAsync(code);
        await Expect(row).ToContainTextAsync(Yuan(refundFen));
        await Expect(row).ToContainTextAsync("—"); // a top-up's refund: no order, no return
        await row.GetByRole(AriaRole.Button, new() { Name = "标记已过账" }).ClickAsync();
        var dialog = Page.Locator("form.dialog");
        await dialog.Locator("input[name=erpReference]").FillAsync("SKTK-2026-0042");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "标记已过账" }).ClickAsync();
        await Expect(box.Locator("tr", new() { HasText = refund.OutRefundNo })).ToHaveCountAsync(0);
        Assert.That(await Host.Scalar<string>("SELECT erp_reference FROM payment_refunds WHERE id = @Id", new { refund.Id }), Is.EqualTo("SKTK-2026-0042"));
        Assert.That(await Host.Scalar<string>("SELECT erp_posted_by FROM payment_refunds WHERE id = @Id", new { refund.Id }), Is.Not.Null, "who posted it is kept");
    }

    private static string Yuan(long fen) => "¥" + (fen / 100m).ToString("N2", System.Globalization.CultureInfo.InvariantCulture);
    private static string Plain(long fen) => (fen / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}

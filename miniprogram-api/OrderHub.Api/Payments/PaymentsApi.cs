using System.ComponentModel;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Common;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.Payments;
using OrderHub.Settings;
using OrderHub.WeChat.Pay;

namespace OrderHub.Api.Payments;

/// <summary>Money: WeChat Pay for orders and top-ups, its notifications, the prepaid balance (预存款), refunds, payments to post in the ERP.</summary>
public static class PaymentsApi
{
    public const string HttpClientName = "wechatpay";

    /// <summary>Section <c>WeChatPay</c> (validated at start), the client, the service and the follow-up work (where WeChat Pay is on).</summary>
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<WeChatPaySettings>("WeChatPay");
        // the client logs method, API and status itself; no factory logging of headers (the Authorization header is a signature)
        services.AddHttpClient(HttpClientName, h => h.Timeout = TimeSpan.FromSeconds(15)).RemoveAllLoggers();
        services.AddSingleton(sp => new WeChatPayGateway(sp.GetRequiredService<WeChatPaySettings>(),
            () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<PaymentService>();
        services.AddSingleton<PaymentRefunds>();
        if (configuration.GetValue("WeChatPay:Enabled", false))
            services.AddScheduledWork<FollowUpPayments>("wechat-pay-follow-up", "WeChatPayFollowUp", JobSchedule.Every(60));
        return services;
    }

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        // WeChat Pay posts here: verified with the platform public key, decrypted with the API v3 key; a forgery is a 401.
        app.MapPost("/api/wechat/pay/notify", Notify).AllowAnonymous().WithTags("Payments")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status500InternalServerError)
            .WithName("WeChatPayNotify").WithSummary("WeChat Pay notifications (TRANSACTION.SUCCESS, REFUND.*): 204 when taken, 401 when the signature does not verify (nothing booked)");

        var mine = app.MapGroup("/api").WithTags("Payments").RequireAuthorization(Policies.Customer);
        mine.MapPost("/orders/{orderNo}/payments", PayOrder).WithIdempotencyKey().ProducesNotFound("订单不存在 / No such order").ProducesConflict("订单已付清、已结束、有待支付的微信支付或预存款不足 / The order is paid or ended, a WeChat payment is pending, or the prepaid balance is not enough").ProducesProblem(StatusCodes.Status502BadGateway)
            .WithName("PayOrder").WithSummary("Pay what is open on my order: useBalanceFen from the prepaid balance at once, the rest by WeChat Pay (answers the signed wx.requestPayment parameters); Idempotency-Key required");
        mine.MapGet("/orders/{orderNo}/payments", OrderPayments).ProducesNotFound("订单不存在 / No such order").ProducesProblem(StatusCodes.Status502BadGateway)
            .WithName("OrderPayments").WithSummary("My order's payments and refunds (pending WeChat payments are asked for first)");
        mine.MapPost("/prepaid/top-ups", TopUp).WithIdempotencyKey().ProducesStoreNotFound().ProducesConflict("请在微信小程序中登录后再充值 / Sign in from the WeChat mini-program to pay").ProducesProblem(StatusCodes.Status502BadGateway)
            .WithName("TopUp").WithSummary("Top up my prepaid balance by WeChat Pay (answers the signed wx.requestPayment parameters); Idempotency-Key required");
        mine.MapGet("/prepaid/top-ups/{paymentId:long}", TopUpStatus).ProducesStoreNotFound().ProducesNotFound("充值不存在 / No such top-up").ProducesProblem(StatusCodes.Status502BadGateway)
            .WithName("TopUpStatus").WithSummary("One of my top-ups, WeChat Pay asked first while it is pending (back from wx.requestPayment)");
        mine.MapGet("/prepaid", MyPrepaid).ProducesStoreNotFound().WithName("MyPrepaid").WithSummary("My prepaid balance (预存款) and its latest movements; balance = sum of movements");

        var admin = app.MapGroup("/api/admin").WithTags("Payments (back office)").RequireAuthorization(Policies.Staff);
        admin.MapGet("/customers/{id:long}/prepaid", CustomerPrepaid).ProducesNotFound("客户不存在 / No such customer").WithName("AdminCustomerPrepaid").WithSummary("A customer's prepaid balance and movements");
        admin.MapPost("/customers/{id:long}/prepaid/transfers", BookTransfer).RequireAuthorization(Policies.Finance).WithIdempotencyKey().ProducesNotFound("客户不存在 / No such customer")
            .WithName("AdminBookPrepaidTransfer").WithSummary("Book a bank transfer onto a customer's prepaid balance (a ledger payment and a top-up); Idempotency-Key required");
        admin.MapGet("/orders/{orderId:long}/payments", AdminOrderPayments).ProducesNotFound("订单不存在 / No such order").WithName("AdminOrderPayments").WithSummary("An order's payments and refunds");
        admin.MapPost("/payments/{id:long}/refunds", Refund).RequireAuthorization(Policies.Finance).WithIdempotencyKey().ProducesNotFound("付款不存在 / No such payment").ProducesConflict("只能退已支付的款项，且不超过可退金额 (充值不超过未用的预存款余额) / Only a paid payment, up to what is left of it (a top-up up to the unspent balance)").ProducesProblem(StatusCodes.Status502BadGateway)
            .WithName("AdminRefundPayment").WithSummary("Refund part or all of an order payment or a top-up, back where it came from (WeChat Pay or the balance; a transfer top-up is recorded as paid back by bank; a top-up's refund debits the balance at once, 409 with refundableFen beyond the unspent balance); Idempotency-Key required");
        admin.MapGet("/payments/to-post", ToPost).RequireAuthorization(Policies.Finance).WithName("AdminPaymentsToPost").WithSummary("WeChat payments not yet posted in the ERP (use the outTradeNo as the ERP receipt's reference)");
        admin.MapPost("/payments/{id:long}/posted", MarkPosted).RequireAuthorization(Policies.Finance).ProducesNotFound("付款不存在 / No such payment").ProducesConflict("只有已支付的微信支付需要记账 / Only a paid WeChat payment is posted").WithName("AdminMarkPaymentPosted").WithSummary("Mark a WeChat payment as posted in the ERP");
        admin.MapGet("/payments/refunds/to-post", RefundsToPost).RequireAuthorization(Policies.Finance).WithName("AdminRefundsToPost").WithSummary("WeChat Pay refunds not yet in the ERP (收款退款单; use the outRefundNo as the ERP document's reference)");
        admin.MapPost("/payments/refunds/{id:long}/posted", MarkRefundPosted).RequireAuthorization(Policies.Finance).ProducesNotFound("退款不存在 / No such refund").ProducesConflict("只有已成功的微信支付退款或银行转账退款需要过账 / Only a WeChat Pay or transfer refund that succeeded is posted").WithName("AdminMarkRefundPosted").WithSummary("Mark a WeChat Pay refund as posted in the ERP");
        return app;
    }

    public sealed record PayOrderRequest(
        [property: Description("先从预存款扣付的金额上限 (分)，不传或 0 为不用预存款；其余用微信支付 / Most to pay from the prepaid balance at once, in fen (omit or 0: none); the rest by WeChat Pay")] long? UseBalanceFen);
    public sealed record TopUpRequest(
        [property: Description("充值金额 (分)，1 至 100000000，用微信支付 / Amount to top up in fen, 1 to 100000000, paid by WeChat Pay")] long? AmountFen);
    public sealed record TransferRequest(long? AmountFen, string? Reference, string? Note);
    public sealed record RefundRequest(long? AmountFen, string? Reason);
    public sealed record PostedRequest(string? ErpReference);
    public sealed record PaymentListDto(IReadOnlyList<PaymentRow> Items);
    public sealed record RefundToPostListDto(IReadOnlyList<RefundToPost> Items);

    private static async Task<Results<NoContent, ProblemHttpResult>> Notify(HttpContext http, PaymentService payments, ILoggerFactory loggers)
    {
        using var reader = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var h = http.Request.Headers;
        try
        {
            await payments.HandleNotificationAsync(h["Wechatpay-Serial"], h["Wechatpay-Timestamp"], h["Wechatpay-Nonce"], h["Wechatpay-Signature"], body, http.RequestAborted);
            return TypedResults.NoContent();
        }
        catch (WeChatPayNotificationRejected e)
        {
            loggers.CreateLogger("OrderHub.Payments").LogWarning("WeChat Pay notification refused: {Reason}", e.Message);
            return Problems.Of(401, "通知签名验证失败", "The notification's signature does not verify", new Dictionary<string, object?> { ["code"] = "FAIL" });
        }
    }

    private static async Task<long?> OwnOrderIdAsync(Db db, long customerId, string orderNo)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long?>("SELECT id FROM orders WHERE order_no = @orderNo AND customer_id = @customerId", new { orderNo, customerId });
    }

    private static ProblemHttpResult NoSuchOrder() => Problems.Of(404, "订单不存在", "Order not found");

    private static async Task<Results<Ok<PayStart>, ProblemHttpResult>> PayOrder(string orderNo, PayOrderRequest? body, HttpContext http, ClaimsPrincipal user, PaymentService payments, Db db,
        CustomerContextQuery customers)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        var (store, denied) = await StoreAccess.ResolveAsync(user, null, customers, staffAllowed: false);
        if (denied is not null) return denied;
        var cid = store!.CustomerId;
        if (await OwnOrderIdAsync(db, cid, orderNo) is not { } orderId) return NoSuchOrder();
        try { return TypedResults.Ok(await payments.PayOrderAsync(cid, user.UserId_(), orderId, body?.UseBalanceFen ?? 0, key!, http.RequestAborted)); }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Results<Ok<OrderPayments>, ProblemHttpResult>> OrderPayments(string orderNo, ClaimsPrincipal user, PaymentService payments, Db db,
        CustomerContextQuery customers, CancellationToken ct)
    {
        var (store, denied) = await StoreAccess.ResolveAsync(user, null, customers, staffAllowed: false);
        if (denied is not null) return denied;
        var cid = store!.CustomerId;
        if (await OwnOrderIdAsync(db, cid, orderNo) is not { } orderId) return NoSuchOrder();
        return TypedResults.Ok(await payments.OrderPaymentsAfterCheckAsync(cid, orderId, ct));
    }

    private static async Task<Results<Ok<PayStart>, ProblemHttpResult>> TopUp(TopUpRequest? body, HttpContext http, ClaimsPrincipal user, PaymentService payments, CustomerContextQuery customers)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        var (store, denied) = await StoreAccess.ResolveAsync(user, null, customers, staffAllowed: false);
        if (denied is not null) return denied;
        var cid = store!.CustomerId;
        try { return TypedResults.Ok(await payments.TopUpAsync(cid, user.UserId_(), body?.AmountFen ?? 0, key!, http.RequestAborted)); }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Results<Ok<PrepaidAccount>, ProblemHttpResult>> MyPrepaid(ClaimsPrincipal user, PaymentService payments, CustomerContextQuery customers, CancellationToken ct)
    {
        var (store, denied) = await StoreAccess.ResolveAsync(user, null, customers, staffAllowed: false);
        return denied ?? (Results<Ok<PrepaidAccount>, ProblemHttpResult>)TypedResults.Ok(await payments.PrepaidAsync(store!.CustomerId, ct: ct));
    }

    private static async Task<Results<Ok<PaymentRow>, ProblemHttpResult>> TopUpStatus([Description("充值付款 id (POST /api/prepaid/top-ups 返回的 weChatPayment.id) / The top-up payment id (weChatPayment.id from POST /api/prepaid/top-ups)")] long paymentId,
        ClaimsPrincipal user, PaymentService payments, CustomerContextQuery customers, CancellationToken ct)
    {
        var (store, denied) = await StoreAccess.ResolveAsync(user, null, customers, staffAllowed: false);
        if (denied is not null) return denied;
        var p = await payments.GetByIdAsync(paymentId, ct);
        if (p.CustomerId != store!.CustomerId || p.Purpose != PaymentPurpose.TopUp) return Problems.Of(404, "充值不存在", "No such top-up");
        return TypedResults.Ok(await payments.RefreshAsync(paymentId, ct));
    }

    private static async Task<Results<Ok<PrepaidAccount>, ProblemHttpResult>> CustomerPrepaid(long id, PaymentService payments, Db db, CancellationToken ct)
    {
        await using (var c = await db.OpenAsync(ct))
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE id = @id", new { id }) == 0) return Problems.Of(404, "客户不存在", "Customer not found");
        return TypedResults.Ok(await payments.PrepaidAsync(id, ct: ct));
    }

    private static async Task<Results<Created<PaymentRow>, ProblemHttpResult>> BookTransfer(long id, TransferRequest? body, HttpContext http, ClaimsPrincipal user, PaymentService payments)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        try
        {
            var p = await payments.BookTransferTopUpAsync(id, body?.AmountFen ?? 0, body?.Reference?.Trim(), body?.Note?.Trim(), Caller.From(user).Actor, key!, http.RequestAborted);
            return p is null ? Problems.Of(404, "客户不存在", "Customer not found") : TypedResults.Created($"/api/admin/customers/{id}/prepaid", p);
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Ok<OrderPayments>> AdminOrderPayments(long orderId, PaymentService payments, CancellationToken ct) =>
        TypedResults.Ok(await payments.OrderPaymentsAsync(null, orderId, ct));

    private static async Task<Results<Ok<RefundRow>, ProblemHttpResult>> Refund(long id, RefundRequest? body, HttpContext http, ClaimsPrincipal user, PaymentService payments)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        try { return TypedResults.Ok(await payments.RefundAsync(id, body?.AmountFen ?? 0, string.IsNullOrWhiteSpace(body?.Reason) ? null : body.Reason.Trim(), Caller.From(user).Actor, key!, http.RequestAborted)); }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Ok<PaymentListDto>> ToPost(PaymentService payments, CancellationToken ct) => TypedResults.Ok(new PaymentListDto(await payments.ToPostAsync(ct: ct)));

    private static async Task<Ok<PaymentRow>> MarkPosted(long id, PostedRequest? body, ClaimsPrincipal user, PaymentService payments, CancellationToken ct) =>
        TypedResults.Ok(await payments.MarkPostedAsync(id, body?.ErpReference, Caller.From(user).Actor, ct));

    private static async Task<Ok<RefundToPostListDto>> RefundsToPost(PaymentRefunds refunds, CancellationToken ct) => TypedResults.Ok(new RefundToPostListDto(await refunds.ToPostAsync(ct: ct)));

    private static async Task<Ok<RefundToPost>> MarkRefundPosted(long id, PostedRequest? body, ClaimsPrincipal user, PaymentRefunds refunds, CancellationToken ct) =>
        TypedResults.Ok(await refunds.MarkPostedAsync(id, body?.ErpReference, Caller.From(user).Actor, ct));
}

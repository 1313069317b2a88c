using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.ChatCommerce;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Application.Customers;
using OrderHub.Application.Reports;
using OrderHub.Application.WeChat;
using OrderHub.Domain.Time;

namespace OrderHub.Api.ChatCommerce;

/// <summary>The agent's chat as the shop window (issue #20): WeChat Work callback, 联系我 QR, chat cards, chat-won figures.</summary>
public static class ChatCommerceApi
{
    public static IEndpointRouteBuilder MapChatCommerceApi(this IEndpointRouteBuilder app)
    {
        // WeChat Work → OrderHub (客户联系 → 接收事件服务器): public, verified by signature, timestamp and nonce
        var cb = app.MapGroup("/api/wecom/callback").WithTags("ChatCommerce").AllowAnonymous();
        cb.MapGet("", VerifyUrl).Produces<string>(200, "text/plain").WithName("WeComCallbackVerify").Declares(403, "签名不正确 / Bad signature").Declares(503, "未配置回调 / Callback not configured").WithSummary("WeChat Work's URL verification: answers the decrypted echostr");
        cb.MapPost("", Receive).Produces<string>(200, "text/plain").WithName("WeComCallback").Declares(403, "签名不正确、超时或重放 / Bad signature, stale or replayed").Declares(503, "未配置回调 / Callback not configured").WithSummary("WeChat Work events (add_external_contact): bind the store, send the welcome card");

        var agent = app.MapGroup("/api/agent/chat").WithTags("ChatCommerce").RequireAuthorization(Policies.Agent);
        agent.MapPost("/contact-way", ContactWay).WithName("AgentContactWay").ProducesStoreNotFound().ProducesConflict("业务员未设置企业微信账号 / The agent has no WeChat Work userid").Declares(503, "未启用企业微信 / WeChat Work not enabled").WithSummary("My 联系我 QR (for one of my stores, or for me); a store owner who adds me through it is bound and welcomed");
        agent.MapPost("/cards", CreateCard).WithIdempotencyKey(optional: true).WithName("CreateChatCard").Declares(422, "幂等键已用于另一张卡片 / The Idempotency-Key was used for another card").ProducesStoreNotFound().ProducesNotFound("商品、促销或订单不存在 / No such product, promotion or order").WithSummary("A mini-program card for one send in a store's chat (product, promotion, usual order, order status) with its own share code");
        agent.MapGet("/js-sdk-config", JsSdkConfig).WithName("AgentChatJsSdkConfig").Declares(503, "未启用企业微信 / WeChat Work not enabled").WithSummary("wx.config and wx.agentConfig signatures for the chat toolbar page at url (jsapi_ticket and the app's ticket, SHA1 as published)");
        agent.MapGet("/contacts/{externalUserId}/store", ChatToolbarApi.Store).WithName("AgentChatContactStore").ProducesNotFound(ChatToolbarApi.ContactNotFound).WithSummary("聊天工具栏: the store of the chat's external contact — receivable, last order, usual order, due restocks, open orders, promotions (my stores only)");
        agent.MapGet("/figures", AgentFigures).WithName("AgentChatWonFigures").WithSummary("My chat figures: cards sent → opened → ordered, chat-won revenue, per store");

        app.MapPost("/api/chat-cards/{code}/opened", Opened).WithTags("ChatCommerce").RequireAuthorization(Policies.Customer)
            .WithName("ChatCardOpened").ProducesNotFound("卡片不存在 / No such card").WithSummary("The store opened a chat card (the mini-program reports the share code it was opened with)");
        app.MapGet("/api/admin/reports/chat-won", StaffFigures).WithTags("ChatCommerce").RequireAuthorization(Policies.Staff)
            .WithName("ChatWonReport").WithSummary("An agent's chat figures: cards sent → opened → ordered, chat-won revenue, per store");
        return app;
    }

    public static IServiceCollection AddChatCommerce(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ChatCards>();
        services.AddSingleton<MassMessages>();
        services.AddSingleton<AgentChatGroups>();
        // 群发 results are read back from WeChat Work only where it is switched on
        if (configuration.GetValue("WeCom:Enabled", false))
            services.AddScheduledWork<CheckWeComMassMessages>(MassMessageResultsJob, "WeComMassMessageResults", JobSchedule.Every(300));
        services.AddSingleton<CardCover>();
        services.AddSingleton<WeComCallbacks>();
        services.AddSingleton<ChatToolbarStores>();
        return services;
    }

    /// <summary>Key of the scheduled work that reads 群发 results back.</summary>
    public const string MassMessageResultsJob = "wecom-mass-message-results";

    public sealed record ContactWayRequest([property: Description("门店 id (为该门店印的码)；不填为业务员自己的码 / Store id for a store's own QR; empty for the agent's own")] long? CustomerId);

    public sealed record ContactWayDto(
        [property: Description("联系我二维码图片地址 / URL of the 联系我 QR picture")] string QrCode,
        [property: Description("二维码的 state (标明业务员与门店) / The QR's state (names the agent and store)")] string State,
        [property: Description("门店 id，业务员自己的码为空 / Store id, empty for the agent's own QR")] long? CustomerId);

    public sealed record CardRequest(
        [property: Description("门店 id / Store id")] long CustomerId,
        [property: Description("卡片类型：product / promotion / usual_order / order_status / community_post / Card kind")] string Kind,
        [property: Description("商品 sku、促销 id、订单号或社区文章 id (常购清单不填) / The sku, promotion id, order number or community post id (none for usual_order)")] string? Subject);

    public sealed record ChatCardDto(
        [property: Description("本次发送的分享码 / Share code of this send")] string Code,
        [property: Description("卡片类型 / Card kind")] string Kind,
        [property: Description("卡片标题 / Card title")] string Title,
        [property: Description("小程序页面 (含分享码) / Mini-program page, share code included")] string Page,
        [property: Description("企业微信要求的页面写法 (路径后加 .html)，用于 sendChatMessage / The page as WeChat Work wants it (.html after the path), for sendChatMessage")] string WeComPage,
        [property: Description("小程序 AppID / Mini-program AppID")] string AppId,
        [property: Description("分享码过期时间 (上海时间) / Share code expires at (Asia/Shanghai)")] string ExpiresAt);

    public sealed record ChatWonStoreDto(
        [property: Description("门店 id / Store id")] long CustomerId,
        [property: Description("门店名称 / Store name")] string Name,
        [property: Description("发出的卡片 / Cards sent")] int CardsSent,
        [property: Description("被打开的卡片 / Cards opened")] int CardsOpened,
        [property: Description("从卡片下的订单 / Orders from cards")] int Orders,
        [property: Description("聊天成交金额 (分) / Chat-won revenue (fen)")] long RevenueFen,
        [property: Description("已发货聊天成交订单的毛利 (分，扣除已完成退货) / Gross profit of the shipped chat-won orders, less completed returns (fen)")] long GrossProfitFen,
        [property: Description("ERP 未给成本的已发货行数 (按零成本计) / Shipped lines without a cost from the ERP (counted at zero cost)")] int LinesWithoutCost);

    public sealed record ChatWonDto(
        [property: Description("业务员 id / Agent id")] long AgentId,
        [property: Description("起始日 / From (Shanghai day)")] string From,
        [property: Description("截止日 / To (Shanghai day)")] string To,
        [property: Description("发出的卡片 / Cards sent")] int CardsSent,
        [property: Description("被打开的卡片 / Cards opened")] int CardsOpened,
        [property: Description("聊天成交订单 / Chat-won orders")] int Orders,
        [property: Description("聊天成交金额 (分) / Chat-won revenue (fen)")] long RevenueFen,
        [property: Description("聊天成交金额 / Chat-won revenue, formatted")] string RevenueText,
        [property: Description("收到卡片的门店 / Stores that got cards")] int StoresReached,
        [property: Description("从卡片下单的门店 / Stores that ordered from a card")] int StoresOrdered,
        [property: Description("各门店 / Per store")] IReadOnlyList<ChatWonStoreDto> Stores,
        [property: Description("已发货聊天成交订单的毛利 (分，扣除已完成退货) / Gross profit of the shipped chat-won orders, less completed returns (fen)")] long GrossProfitFen,
        [property: Description("ERP 未给成本的已发货行数 (按零成本计) / Shipped lines without a cost from the ERP (counted at zero cost)")] int LinesWithoutCost);

    // WeChat Work wants the bare plaintext (no quotes, no BOM, no newline), and "success" for an event
    private static ContentHttpResult VerifyUrl(HttpContext http, WeComCallbacks callbacks)
    {
        var q = http.Request.Query;
        return TypedResults.Text(callbacks.VerifyUrl(q["msg_signature"], q["timestamp"], q["nonce"], q["echostr"]), "text/plain", System.Text.Encoding.UTF8);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Receive(HttpContext http, WeComCallbacks callbacks, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(ct);
        if (body.Length > 64 * 1024) return Problems.Of(403, "企业微信回调被拒绝：消息过大", "WeChat Work callback refused: too large");
        var q = http.Request.Query;
        await callbacks.ReceiveAsync(q["msg_signature"], q["timestamp"], q["nonce"], body, ct);
        return TypedResults.Text("success", "text/plain", System.Text.Encoding.UTF8);
    }

    private static async Task<Results<Ok<ContactWayDto>, ProblemHttpResult>> ContactWay(ContactWayRequest body, ClaimsPrincipal user, CustomerContextQuery customers,
        WeComCallbacks callbacks, IMapper mapper, CancellationToken ct)
    {
        if (body.CustomerId is not null)
        {
            var (_, problem) = await StoreAccess.ResolveAsync(user, body.CustomerId, customers, staffAllowed: false);
            if (problem is not null) return problem;
        }
        return TypedResults.Ok(mapper.Map<ContactWayDto>(await callbacks.ContactWayAsync(user.UserId_(), body.CustomerId, ct)));
    }

    private static async Task<Results<Created<ChatCardDto>, ProblemHttpResult>> CreateCard(CardRequest body, HttpContext http, ClaimsPrincipal user, CustomerContextQuery customers,
        ChatCards cards, WeChatClients clients, IMapper mapper, CancellationToken ct)
    {
        var (customer, problem) = await StoreAccess.ResolveAsync(user, body.CustomerId, customers, staffAllowed: false);
        if (problem is not null) return problem;
        if (!ChatCardKind.Sendable.Contains(body.Kind ?? ""))
            return Problems.BadRequest("卡片类型应为 product / promotion / usual_order / order_status / community_post", "kind must be product, promotion, usual_order, order_status or community_post");
        string? key = null;
        if (http.Request.Headers.ContainsKey(IdempotencyHeader.Name))
        {
            (key, var keyProblem) = IdempotencyHeader.Read(http.Request);
            if (keyProblem is not null) return keyProblem;
        }
        ChatCard card;
        try { card = await cards.CreateAsync(user.UserId_(), customer!.CustomerId, body.Kind!, body.Subject, ct, key); }
        catch (OrderHub.Application.Common.IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
        var dto = mapper.Map<ChatCardDto>(card, o => o.Items[nameof(ChatCardDto.AppId)] = clients.WeChat.AppId);
        return TypedResults.Created($"/api/chat-cards/{card.Code}", dto);
    }

    public sealed record JsSdkConfigDto(
        [property: Description("企业ID，wx.config 的 appId / CorpID, wx.config's appId")] string CorpId,
        [property: Description("应用 AgentId，wx.agentConfig 的 agentid / The app's AgentId for wx.agentConfig")] string AgentId,
        [property: Description("签名时间戳 (秒) / Timestamp of the signatures (seconds)")] long Timestamp,
        [property: Description("随机串 / Nonce string")] string NonceStr,
        [property: Description("wx.config 的签名 (企业 jsapi_ticket) / wx.config signature (the corp's jsapi_ticket)")] string Signature,
        [property: Description("wx.agentConfig 的签名 (应用 jsapi_ticket) / wx.agentConfig signature (the app's jsapi_ticket)")] string AgentSignature);

    private static async Task<Results<Ok<JsSdkConfigDto>, ValidationProblem, ProblemHttpResult>> JsSdkConfig([Description("聊天工具栏页面的完整地址 (# 之后不计) / The toolbar page's full address (the #fragment is left out)")] string? url, WeChatClients clients, TimeProvider clock, CancellationToken ct)
    {
        if (url is null || url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var page) || page.Scheme is not ("https" or "http"))
            return Problems.Validation(new() { ["url"] = ["页面地址应为完整的 http(s) 地址 / url must be the page's absolute http(s) address"] });
        var client = clients.WeComContacts(); // 503 when WeChat Work is off
        try
        {
            var (corpTicket, agentTicket) = await client.GetJsApiTicketsAsync(ct);
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            var nonce = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            return TypedResults.Ok(new JsSdkConfigDto(clients.WeCom.CorpId, clients.WeCom.AgentId, timestamp, nonce,
                OrderHub.WeChat.WeComExternalContactClient.JsApiSignature(corpTicket, nonce, timestamp, url),
                OrderHub.WeChat.WeComExternalContactClient.JsApiSignature(agentTicket, nonce, timestamp, url)));
        }
        catch (OrderHub.WeChat.WeChatApiException ex)
        {
            var p = WeChatErrors.ToProblem(ex);
            return Problems.Of(503, p.Zh, p.En, p.Extensions);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Opened(string code, ClaimsPrincipal user, ChatCards cards, CustomerContextQuery customers, CancellationToken ct)
    {
        var (store, denied) = await StoreAccess.ResolveAsync(user, null, customers, staffAllowed: false);
        if (denied is not null) return denied;
        return await cards.RecordOpenAsync(code, store!.CustomerId, ct) ? TypedResults.NoContent() : Problems.NotFound("卡片不存在", "No such card");
    }

    private static Task<Results<Ok<ChatWonDto>, ValidationProblem>> AgentFigures(string? from, string? to, ClaimsPrincipal user, ChatCards cards, TimeProvider clock, IMapper mapper, CancellationToken ct) =>
        Figures(user.UserId_(), from, to, cards, clock, mapper, ct);

    private static Task<Results<Ok<ChatWonDto>, ValidationProblem>> StaffFigures(long agentId, string? from, string? to, ChatCards cards, TimeProvider clock, IMapper mapper, CancellationToken ct) =>
        Figures(agentId, from, to, cards, clock, mapper, ct);

    private static async Task<Results<Ok<ChatWonDto>, ValidationProblem>> Figures(long agentId, string? from, string? to, ChatCards cards, TimeProvider clock, IMapper mapper, CancellationToken ct)
    {
        var (period, errors) = ReportPeriod.Parse(from, to, ShanghaiTime.Today(clock));
        if (errors.Count > 0 || period is null) return Problems.Validation(errors);
        var figures = await cards.FiguresAsync(agentId, period.StartMs, period.EndMs, ct);
        return TypedResults.Ok(mapper.Map<ChatWonDto>(figures, o => o.Items["period"] = period));
    }
}

/// <summary>Chat-commerce view records → API contract.</summary>
public sealed class ChatCommerceMappingProfile : Profile
{
    public ChatCommerceMappingProfile()
    {
        CreateMap<AgentContactWay, ChatCommerceApi.ContactWayDto>();
        CreateMap<ChatCard, ChatCommerceApi.ChatCardDto>()
            .ForCtorParam(nameof(ChatCommerceApi.ChatCardDto.AppId), o => o.MapFrom((_, ctx) => (string)ctx.Items[nameof(ChatCommerceApi.ChatCardDto.AppId)]))
            .ForCtorParam(nameof(ChatCommerceApi.ChatCardDto.ExpiresAt), o => o.MapFrom(s => ShanghaiTime.Format(s.ExpiresAtMs)));
        CreateMap<ChatWonStore, ChatCommerceApi.ChatWonStoreDto>();
        CreateMap<ChatWonFigures, ChatCommerceApi.ChatWonDto>()
            .ForCtorParam(nameof(ChatCommerceApi.ChatWonDto.From), o => o.MapFrom((_, ctx) => StatementPeriodText(ctx, p => p.From)))
            .ForCtorParam(nameof(ChatCommerceApi.ChatWonDto.To), o => o.MapFrom((_, ctx) => StatementPeriodText(ctx, p => p.To)))
            .ForCtorParam(nameof(ChatCommerceApi.ChatWonDto.RevenueText), o => o.MapFrom(s => Domain.Money.Format(s.RevenueFen)));
        // 聊天工具栏: the chat's store (orders and restock items by their own areas' maps)
        CreateMap<ChatToolbarUsualItem, ChatToolbarApi.ChatToolbarUsualItemDto>()
            .ForCtorParam(nameof(ChatToolbarApi.ChatToolbarUsualItemDto.UnitPriceText), o => o.MapFrom(s => Domain.Money.Format(s.UnitPriceFen)));
        CreateMap<ChatToolbarPromotion, ChatToolbarApi.ChatToolbarPromotionDto>()
            .ForCtorParam(nameof(ChatToolbarApi.ChatToolbarPromotionDto.EndsAt), o => o.MapFrom(s => ShanghaiTime.Format(s.EndsAtMs)));
        CreateMap<ChatToolbarStore, ChatToolbarApi.ChatToolbarStoreDto>()
            .ForCtorParam(nameof(ChatToolbarApi.ChatToolbarStoreDto.CustomerId), o => o.MapFrom(s => s.Store.Id))
            .ForCtorParam(nameof(ChatToolbarApi.ChatToolbarStoreDto.Code), o => o.MapFrom(s => s.Store.Code))
            .ForCtorParam(nameof(ChatToolbarApi.ChatToolbarStoreDto.Name), o => o.MapFrom(s => s.Store.Name))
            .ForCtorParam(nameof(ChatToolbarApi.ChatToolbarStoreDto.ContactName), o => o.MapFrom(s => s.Store.ContactName))
            .ForCtorParam(nameof(ChatToolbarApi.ChatToolbarStoreDto.ReceivableFen), o => o.MapFrom(s => s.Store.BalanceFen))
            .ForCtorParam(nameof(ChatToolbarApi.ChatToolbarStoreDto.ReceivableText), o => o.MapFrom(s => Domain.Money.Format(s.Store.BalanceFen)))
            .ForCtorParam(nameof(ChatToolbarApi.ChatToolbarStoreDto.CreditLimitFen), o => o.MapFrom(s => s.Store.CreditLimitFen))
            .ForCtorParam(nameof(ChatToolbarApi.ChatToolbarStoreDto.OpenOrderCount), o => o.MapFrom(s => s.Store.OpenOrders));
    }

    private static string StatementPeriodText(ResolutionContext ctx, Func<ReportPeriod, DateOnly> day) =>
        day((ReportPeriod)ctx.Items["period"]).ToString("yyyy-MM-dd");
}

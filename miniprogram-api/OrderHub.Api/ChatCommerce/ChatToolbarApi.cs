using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Ordering;
using OrderHub.Api.Reports;
using OrderHub.Application.ChatCommerce;
using OrderHub.Application.Customers;

namespace OrderHub.Api.ChatCommerce;

/// <summary>
/// The chat toolbar (聊天工具栏, issue #20): the page WeChat Work opens beside a chat with a store (static files under
/// wwwroot/chat-toolbar, served at /chat-toolbar/) and the one endpoint it needs besides the JS-SDK signatures and the cards
/// (route in <see cref="ChatCommerceApi"/>): which store the chat's external contact is and what to know about it.
/// Setup in WeChat Work's admin: README.md, "WeChat and WeChat Work" → 聊天工具栏.
/// </summary>
public static class ChatToolbarApi
{
    public const string PagePath = "/chat-toolbar";
    public const string ContactNotFound = "该联系人未关联门店，或门店不属于你 / The contact is not linked to a store, or the store is not yours";

    public sealed record ChatToolbarUsualItemDto(
        [property: Description("商品编码 / SKU")] string Sku,
        [property: Description("商品名称 / Product name")] string Name,
        [property: Description("单位 / Unit")] string Unit,
        [property: Description("上次数量 (常用单加入购物车的数量) / Quantity last time (what the usual-order card puts in the cart)")] long LastQuantity,
        [property: Description("订过的次数 / Times ordered")] long TimesOrdered,
        [property: Description("该门店今天的单价 (分) / The store's unit price today (fen)")] long UnitPriceFen,
        [property: Description("单价文字 / Unit price as text")] string UnitPriceText);

    public sealed record ChatToolbarPromotionDto(
        [property: Description("促销 id (发送促销卡片用) / Promotion id (for a promotion card)")] long Id,
        [property: Description("促销名称 / Promotion name")] string Name,
        [property: Description("促销类型文字 / Promotion kind as text")] string KindLabel,
        [property: Description("角标文字 / Badge text")] string Badge,
        [property: Description("结束时间 (上海时间) / Ends at (Asia/Shanghai)")] string EndsAt);

    public sealed record ChatToolbarStoreDto(
        [property: Description("门店 id / Store id")] long CustomerId,
        [property: Description("门店编码 / Store code")] string Code,
        [property: Description("门店名称 / Store name")] string Name,
        [property: Description("联系人 / Contact name")] string? ContactName,
        [property: Description("应收款 (分，门店欠款) / Receivable in fen (what the store owes)")] long ReceivableFen,
        [property: Description("应收款文字 / Receivable as text")] string ReceivableText,
        [property: Description("信用额度 (分)；0 为不限 / Credit limit in fen; 0 when none")] long CreditLimitFen,
        [property: Description("未完成订单数 / Open orders")] long OpenOrderCount,
        [property: Description("最近一单；没有为 null / The last order; null when none")] OrderSummaryDto? LastOrder,
        [property: Description("常用单 (常购清单与上次数量) / The usual order (常购清单 with last quantities)")] IReadOnlyList<ChatToolbarUsualItemDto> UsualItems,
        [property: Description("该补货的商品 / Products due for restocking")] IReadOnlyList<RestockItemDto> DueRestocks,
        [property: Description("未完成的订单与状态 (最近的订单中) / Open orders with their statuses (among the recent ones)")] IReadOnlyList<OrderSummaryDto> OpenOrders,
        [property: Description("该门店可用的促销 / Promotions live for the store")] IReadOnlyList<ChatToolbarPromotionDto> Promotions);

    /// <summary>GET /api/agent/chat/contacts/{externalUserId}/store: the chat's store, for its agent only (404 otherwise).</summary>
    public static async Task<Results<Ok<ChatToolbarStoreDto>, ProblemHttpResult>> Store(
        [Description("聊天对象的外部联系人 userid (getCurExternalContact) / The chat's external contact userid (getCurExternalContact)")] string externalUserId,
        ClaimsPrincipal user, ChatToolbarStores toolbar, CustomerContextQuery customers, IMapper mapper, CancellationToken ct)
    {
        if (await toolbar.LinkedStoreAsync(externalUserId, ct) is not { } customerId)
            return Problems.NotFound("该联系人未关联门店", "The contact is not linked to a store");
        var (customer, denied) = await StoreAccess.ResolveAsync(user, customerId, customers, staffAllowed: false);
        if (denied is not null) return denied;
        return await toolbar.SummaryAsync(user.UserId_(), customer!, ct) is { } summary
            ? TypedResults.Ok(mapper.Map<ChatToolbarStoreDto>(summary))
            : Problems.NotFound("客户不存在或不属于调用者", "No such customer (store), or not one the caller may act for");
    }

    /// <summary>Serves wwwroot/chat-toolbar at /chat-toolbar/ (no build step), with a CSP that lets in WeChat Work's JS-SDK.</summary>
    public static WebApplication UseChatToolbarPage(this WebApplication app)
    {
        var root = new[] { app.Environment.WebRootPath, Path.Combine(app.Environment.ContentRootPath, "wwwroot"), Path.Combine(AppContext.BaseDirectory, "wwwroot") }
            .Where(d => !string.IsNullOrEmpty(d)).Select(d => Path.Combine(d!, "chat-toolbar"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "index.html")));
        if (root is null)
        {
            app.Logger.LogWarning("Chat toolbar files not found (wwwroot/chat-toolbar); /chat-toolbar is not served");
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = PagePath, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = PagePath,
            FileProvider = files,
            OnPrepareResponse = ctx =>
            {
                var h = ctx.Context.Response.Headers;
                h.CacheControl = "no-cache";
                h["X-Content-Type-Options"] = "nosniff";
                h["Referrer-Policy"] = "no-referrer";
                if (ctx.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                    h["Content-Security-Policy"] = "default-src 'self'; script-src 'self' https://res.wx.qq.com https://open.work.weixin.qq.com; " +
                        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'";
            },
        });
        return app;
    }
}

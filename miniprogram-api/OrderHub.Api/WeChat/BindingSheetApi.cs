using System.Net;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Data;
using OrderHub.Application.WeChat;
using OrderHub.Domain.Time;
using QRCoder;

namespace OrderHub.Api.WeChat;

/// <summary>
/// 批量打印绑定二维码: the back office prints binding QR codes for many stores at once (go-live: hand each store its code).
/// Each store gets a fresh binding code under its own agent (a code belongs to the store's agent, as one an agent makes
/// in the mini-program); the answer is a print-ready A4 page of plain QR codes that open the mini-program's binding.
/// Stores without an agent are listed as skipped: assign them first. Printing again makes new codes (the old ones stay valid
/// until they expire), so a retried request does no harm.
/// </summary>
public static class BindingSheetApi
{
    public sealed record BindingSheetRequest(IReadOnlyList<long>? CustomerIds);

    public static IEndpointRouteBuilder MapBindingSheetApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/admin/binding-sheets", Sheet).WithTags("WeChat").RequireAuthorization(Policies.Admin)
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithName("AdminBindingSheet").WithSummary("批量打印门店绑定二维码 / A print-ready page of binding QR codes for many stores (at most 200)");
        return app;
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem>> Sheet(BindingSheetRequest? body, BindingCodes codes, WeChatClients clients, Db db,
        CancellationToken ct)
    {
        var ids = body?.CustomerIds?.Distinct().ToList() ?? [];
        if (ids.Count is 0 or > 200 || ids.Any(id => id <= 0))
            return Problems.Validation(new() { ["customerIds"] = ["请选择 1 到 200 个门店 / name 1 to 200 stores by id"] });
        await using var c = await db.OpenAsync(ct);
        var stores = (await c.QueryAsync<(long Id, string Code, string Name, long? AgentId, string? AgentName)>($"""
            SELECT cu.id, cu.code, cu.name, cu.agent_id, a.name FROM customers cu LEFT JOIN agents a ON a.id = cu.agent_id AND a.active = TRUE
            WHERE cu.active = TRUE AND {db.Dialect.InList("cu.id", "ids")} ORDER BY cu.code
            """, new { ids = ids.ToArray() })).ToList();

        var html = new StringBuilder("""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>门店绑定二维码</title>
            <style>@page{size:A4;margin:12mm}body{font-family:sans-serif;margin:0}.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:8mm}
            .card{border:1px dashed #999;padding:4mm;text-align:center;break-inside:avoid}.card img{width:45mm;height:45mm}
            .name{font-weight:bold}.small{font-size:9pt;color:#555}.skipped{margin-top:8mm;font-size:10pt}</style></head><body>
            <h1>门店绑定二维码 / Store binding codes</h1><div class="grid">
            """);
        var skipped = new List<string>();
        foreach (var s in stores)
        {
            if (s.AgentId is not { } agentId) { skipped.Add($"{s.Code} {s.Name}"); continue; }
            var (code, _) = await codes.CreateAsync(agentId, s.Id, null, ct);
            var link = clients.WeChat.BindingQrLink.Replace("{code}", Uri.EscapeDataString(code.Code), StringComparison.Ordinal);
            using var data = new QRCodeGenerator().CreateQrCode(link, QRCodeGenerator.ECCLevel.M);
            var png = Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(8));
            html.Append($"""
                <div class="card" data-store="{WebUtility.HtmlEncode(s.Code)}"><img alt="绑定二维码 {WebUtility.HtmlEncode(s.Code)}" src="data:image/png;base64,{png}">
                <div class="name">{WebUtility.HtmlEncode(s.Name)}</div><div class="small">{WebUtility.HtmlEncode(s.Code)} · 业务员 {WebUtility.HtmlEncode(s.AgentName ?? "")}</div>
                <div class="small">微信扫码绑定门店，{ShanghaiTime.Format(code.ExpiresAtMs)} 前有效</div></div>
                """);
        }
        html.Append("</div>");
        if (skipped.Count > 0)
            html.Append($"""<p class="skipped">未打印（门店没有业务员，请先分配）/ Not printed (no agent): {WebUtility.HtmlEncode(string.Join("、", skipped))}</p>""");
        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }
}

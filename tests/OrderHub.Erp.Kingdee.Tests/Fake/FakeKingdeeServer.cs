using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderHub.Erp.Kingdee.Tests.Fake;

public enum FakeFailMode { None, Http500, Hang }

/// <summary>
/// A fake Kingdee K/3 Cloud WebAPI on a real Kestrel server at 127.0.0.1 on a free port, written from the published
/// protocol: POST JSON to {base}/k3cloud/{stub}.common.kdsvc; login by ValidateUser or LoginByAppSecret answering
/// LoginResultType and setting the cookie kdservice-sessionid; every other call needs that cookie and otherwise gets the
/// "会话信息已丢失，请重新登录" ResponseStatus (MsgCode 1); ExecuteBillQuery returns an array of arrays in FieldKeys
/// order (errors as [[{"Result":{"ResponseStatus":...}}]]); Save / Submit / Audit of SAL_SaleOrder return
/// Result.ResponseStatus with IsSuccess, Errors[{FieldName, Message, DIndex}] and SuccessEntitys[{Id, Number, DIndex}].
/// Error message texts for validation are the fake's own (Kingdee's exact wording varies by version).
/// </summary>
public sealed class FakeKingdeeServer : IAsyncDisposable
{
    public const string AcctId = "65f0a1b2c3d4e5";
    public const string User = "orderhub";
    public const string Password = "s3cret!";
    public const string AppId = "245801_ORDERHUB";
    public const string AppSecret = "0123456789abcdef0123456789abcdef";
    public const string Org = "100";

    private readonly object _sync = new();
    private readonly HashSet<string> _sessions = [];
    private WebApplication? _app;
    private long _nextId = 100001;
    private int _nextBillNo = 1;

    public string ReferenceField { get; }
    public string BaseUrl { get; private set; } = "";

    public FakeFailMode FailMode { get; set; }
    /// <summary>The next Save commits the order and then never answers (the client times out).</summary>
    public bool CommitThenHangOnNextSave { get; set; }
    /// <summary>The next Save finds its session expired (as after a server-side session timeout).</summary>
    public bool ExpireSessionAtNextSave { get; set; }
    /// <summary>When set, Audit answers IsSuccess=false with this message.</summary>
    public string? AuditRejection { get; set; }
    /// <summary>The fake's clock, in server-local (China) time.</summary>
    public Func<DateTime> Now { get; set; } = () => Truncate(DateTime.UtcNow.AddHours(8));

    public int LoginCount { get; private set; }
    public int SaveCount { get; private set; }
    public List<(string FormId, string Filter, int StartRow, int Limit)> Queries { get; } = [];

    public FakeForm Materials { get; } = new("BD_MATERIAL",
        ["FMATERIALID", "FNumber", "FName", "FSpecification", "FBaseUnitId.FNumber", "FMaterialGroup.FName", "FForbidStatus", "FDocumentStatus", "FModifyDate", "FUseOrgId.FNumber"]);
    public FakeForm Inventory { get; } = new("STK_Inventory",
        ["FID", "FMaterialId.FNumber", "FStockId.FNumber", "FStockOrgId.FNumber", "FBaseQty", "FUpdateTime"]);
    public FakeForm PriceLists { get; } = new("BD_SAL_PriceList",
        ["FID", "FNumber", "FName", "FCurrencyId.FNumber", "FDocumentStatus", "FForbidStatus", "FModifyDate"],
        new Dictionary<string, string[]>
        {
            ["FPriceListEntry"] = ["FPriceListEntry_FEntryID", "FMaterialId.FNumber", "FPrice", "FFromQty", "FEntryForbidStatus"],
            ["FCustomerEntity"] = ["FCustID.FNumber", "FCustTypeID.FNumber"],
        });
    public FakeForm Customers { get; } = new("BD_Customer",
        ["FCUSTID", "FNumber", "FName", "FTEL", "FADDRESS", "FCustTypeId.FNumber", "FForbidStatus", "FDocumentStatus", "FModifyDate", "FUseOrgId.FNumber", "F_ORH_CreditLimit", "F_ORH_Receivable"]);
    public FakeForm ReceiveBills { get; } = new("AR_RECEIVEBILL",
        ["FID", "FBillNo", "FDate", "FCONTACTUNIT.FNumber", "FCONTACTUNITTYPE", "FREALRECAMOUNTFOR", "FREMARK", "FDocumentStatus", "FApproveDate", "FModifyDate"]);
    public FakeForm SaleOrders { get; }

    private FakeKingdeeServer(string referenceField)
    {
        ReferenceField = referenceField;
        SaleOrders = new FakeForm("SAL_SaleOrder",
            ["FID", "FBillNo", "FDocumentStatus", "FCloseStatus", "FCancelStatus", "FModifyDate", "FApproveDate", "FCloseDate", "FCancelDate",
             "FDate", "FCustId.FNumber", "FSaleOrgId.FNumber", "FNote", "FReceiveAddress", "FBillTypeID.FNumber", referenceField],
            new Dictionary<string, string[]>
            {
                ["FSaleOrderEntry"] = ["FSaleOrderEntry_FEntryID", "FMaterialId.FNumber", "FUnitID.FNumber", "FQty", "FBaseUnitQty", "FTaxPrice",
                                       "FBaseDeliQty", "FBaseStockOutQty", "FSOStockId.FNumber", "FIsFree"],
            });
    }

    private IEnumerable<FakeForm> Forms => [Materials, Inventory, PriceLists, Customers, ReceiveBills, SaleOrders];

    public static async Task<FakeKingdeeServer> StartAsync(string referenceField = "F_ORH_OrderNo")
    {
        var server = new FakeKingdeeServer(referenceField);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/k3cloud/{stub}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/k3cloud/";
        server._app = app;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        FailMode = FakeFailMode.None;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await _app.StopAsync(cts.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>Forgets every session, as a Kingdee server does when sessions time out or the server restarts.</summary>
    public void ExpireSessions() { lock (_sync) _sessions.Clear(); }

    public static DateTime Truncate(DateTime d) => new(d.Ticks - d.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified);

    // ================================================================= dispatch

    private async Task HandleAsync(HttpContext ctx, string stub)
    {
        var aborted = ctx.RequestAborted;
        switch (FailMode)
        {
            case FakeFailMode.Http500:
                ctx.Response.StatusCode = 500;
                await ctx.Response.WriteAsync("<html><body>Server Error in '/K3Cloud' Application.</body></html>", aborted);
                return;
            case FakeFailMode.Hang:
                await HangAsync(aborted);
                return;
        }

        JsonNode? body;
        try { body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: aborted); }
        catch (JsonException) { body = null; }

        var name = stub.ToLowerInvariant();
        if (!name.EndsWith(".common.kdsvc")) { ctx.Response.StatusCode = 404; return; }
        name = name[..^".common.kdsvc".Length];

        JsonNode result;
        switch (name)
        {
            case "kingdee.bos.webapi.servicesstub.authservice.validateuser":
                result = Login(ctx, body, appSecret: false);
                break;
            case "kingdee.bos.webapi.servicesstub.authservice.loginbyappsecret":
                result = Login(ctx, body, appSecret: true);
                break;
            case "kingdee.bos.webapi.servicesstub.dynamicformservice.executebillquery":
                result = HasSession(ctx) ? Query(body) : Wrap(SessionLost());
                break;
            case "kingdee.bos.webapi.servicesstub.dynamicformservice.save":
                if (ExpireSessionAtNextSave) { ExpireSessionAtNextSave = false; ExpireSessions(); }
                if (!HasSession(ctx)) { result = SessionLost(); break; }
                result = Save(body);
                if (CommitThenHangOnNextSave)
                {
                    CommitThenHangOnNextSave = false;
                    await HangAsync(aborted); // committed, but the answer never leaves
                    return;
                }
                break;
            case "kingdee.bos.webapi.servicesstub.dynamicformservice.submit":
                result = HasSession(ctx) ? Submit(body) : SessionLost();
                break;
            case "kingdee.bos.webapi.servicesstub.dynamicformservice.audit":
                result = HasSession(ctx) ? Audit(body) : SessionLost();
                break;
            default:
                ctx.Response.StatusCode = 404;
                return;
        }
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await ctx.Response.WriteAsync(result.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), aborted);
    }

    private static async Task HangAsync(CancellationToken aborted)
    {
        try { await Task.Delay(Timeout.Infinite, aborted); } catch (OperationCanceledException) { }
    }

    // ================================================================= login and session

    private JsonNode Login(HttpContext ctx, JsonNode? body, bool appSecret)
    {
        // Accepts the named form {"acctID","username","password"|"appId","appSecret","lcid"} and the positional
        // form {"parameters":[acctID, username, password|appId, (appSecret,) lcid]}, both published.
        string? Arg(string name, int position)
        {
            if (body is JsonObject o)
            {
                foreach (var (k, v) in o)
                    if (k.Equals(name, StringComparison.OrdinalIgnoreCase)) return v?.ToString();
                var p = o["parameters"];
                if (p is JsonValue pv && pv.GetValueKind() == JsonValueKind.String) p = JsonNode.Parse(pv.GetValue<string>());
                if (p is JsonArray a && position < a.Count) return a[position]?.ToString();
            }
            return null;
        }

        var ok = Arg("acctID", 0) == AcctId && Arg("username", 1) == User &&
                 (appSecret ? Arg("appId", 2) == AppId && Arg("appSecret", 3) == AppSecret : Arg("password", 2) == Password);
        if (!ok)
        {
            return new JsonObject
            {
                ["Message"] = appSecret ? "第三方系统登录授权验证失败！" : "用户名或密码错误！",
                ["MessageCode"] = null, ["LoginResultType"] = appSecret ? -1 : 0, ["Context"] = null,
                ["KDSVCSessionId"] = null, ["IsSuccessByAPI"] = false,
            };
        }
        var session = Guid.NewGuid().ToString("N");
        lock (_sync) { _sessions.Add(session); LoginCount++; }
        ctx.Response.Headers.Append("Set-Cookie", $"kdservice-sessionid={session}; path=/");
        return new JsonObject
        {
            ["Message"] = null, ["MessageCode"] = "CheckPasswordPolicy", ["LoginResultType"] = 1,
            ["Context"] = new JsonObject { ["UserLocale"] = "zh-CN", ["DBid"] = AcctId, ["SessionId"] = session, ["UserName"] = User },
            ["KDSVCSessionId"] = session, ["IsSuccessByAPI"] = true,
        };
    }

    private bool HasSession(HttpContext ctx)
    {
        var s = ctx.Request.Cookies["kdservice-sessionid"];
        lock (_sync) return s is not null && _sessions.Contains(s);
    }

    private static JsonObject Status(bool ok, IEnumerable<JsonObject>? errors = null, IEnumerable<JsonObject>? entities = null, int msgCode = 0) => new()
    {
        ["Result"] = new JsonObject
        {
            ["ResponseStatus"] = new JsonObject
            {
                ["ErrorCode"] = ok ? 0 : 500,
                ["IsSuccess"] = ok,
                ["Errors"] = new JsonArray((errors ?? []).Cast<JsonNode?>().ToArray()),
                ["SuccessEntitys"] = new JsonArray((entities ?? []).Cast<JsonNode?>().ToArray()),
                ["SuccessMessages"] = new JsonArray(),
                ["MsgCode"] = msgCode,
            },
        },
    };

    private static JsonObject Error(string message, string? field = null, int index = 0) =>
        new() { ["FieldName"] = field, ["Message"] = message, ["DIndex"] = index };

    private static JsonObject SessionLost() => Status(false, [Error("会话信息已丢失，请重新登录")], msgCode: 1);

    private static JsonArray Wrap(JsonObject status) => new(new JsonArray(status));

    // ================================================================= ExecuteBillQuery

    private JsonNode Query(JsonNode? body)
    {
        var data = body?["data"] is JsonObject d ? d : body as JsonObject;
        var formId = data?["FormId"]?.ToString() ?? "";
        var form = Forms.FirstOrDefault(f => f.Id.Equals(formId, StringComparison.OrdinalIgnoreCase));
        if (form is null) return Wrap(Status(false, [Error("业务对象不存在")]));

        var fieldKeys = (data?["FieldKeys"]?.ToString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var filterText = data?["FilterString"] is JsonValue fv ? fv.ToString() : "";
        var orderText = data?["OrderString"]?.ToString() ?? "";
        var startRow = ReadInt(data?["StartRow"]);
        var limit = ReadInt(data?["Limit"]);
        lock (_sync) Queries.Add((form.Id, filterText, startRow, limit));

        FakeFilter filter;
        try { filter = FakeFilter.Parse(filterText); }
        catch (FormatException e) { return Wrap(Status(false, [Error($"过滤条件语法错误：{e.Message}")])); }

        var order = orderText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(o => o.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => (Key: p[0], Desc: p.Length > 1 && p[1].Equals("DESC", StringComparison.OrdinalIgnoreCase))).ToList();

        var used = fieldKeys.Concat(filter.Fields).Concat(order.Select(o => o.Key)).ToList();
        var unknown = used.FirstOrDefault(k => !form.Knows(k));
        if (unknown is not null) return Wrap(Status(false, [Error($"字段“{unknown}”在业务对象“{form.Id}”中不存在")]));
        if (fieldKeys.Length == 0) return Wrap(Status(false, [Error("FieldKeys不能为空")]));

        List<Dictionary<string, object?>> rows;
        lock (_sync) rows = form.Flatten(used).Where(r => filter.Predicate(r)).ToList();
        IEnumerable<Dictionary<string, object?>> sorted = rows;
        if (order.Count > 0)
        {
            var list = rows.ToList();
            list.Sort((a, b) =>
            {
                foreach (var (key, desc) in order)
                {
                    var c = FakeValues.Ordered(a.GetValueOrDefault(key), b.GetValueOrDefault(key))
                            ?? (a.GetValueOrDefault(key) is null ? (b.GetValueOrDefault(key) is null ? 0 : -1) : 1);
                    if (c != 0) return desc ? -c : c;
                }
                return 0;
            });
            sorted = list;
        }
        var effectiveLimit = limit <= 0 ? 10000 : Math.Min(limit, 10000);
        var result = new JsonArray();
        foreach (var row in sorted.Skip(Math.Max(0, startRow)).Take(effectiveLimit))
            result.Add(new JsonArray(fieldKeys.Select(k => ToJson(row.GetValueOrDefault(k))).ToArray()));
        return result;
    }

    private static int ReadInt(JsonNode? n) =>
        n is null ? 0 : int.TryParse(n.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : 0;

    private static JsonNode? ToJson(object? v) => v switch
    {
        null => null,
        DateTime d => JsonValue.Create(d.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)),
        decimal m => JsonValue.Create(m),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        bool b => JsonValue.Create(b),
        _ => JsonValue.Create(v.ToString()),
    };

    // ================================================================= Save / Submit / Audit (SAL_SaleOrder)

    private JsonNode Save(JsonNode? body)
    {
        if (!string.Equals(body?["formid"]?.ToString(), "SAL_SaleOrder", StringComparison.OrdinalIgnoreCase))
            return Status(false, [Error("业务对象不存在")]);
        var model = body?["data"]?["Model"] as JsonObject;
        if (model is null) return Status(false, [Error("Model不能为空")]);

        static string? Number(JsonNode? n) => n is JsonObject o ? (o["FNumber"] ?? o["FNUMBER"])?.ToString() : null;

        lock (_sync)
        {
            var errors = new List<JsonObject>();
            var customer = Number(model["FCustId"]);
            if (string.IsNullOrEmpty(customer))
                errors.Add(Error("字段“客户”是必填项", "FCustId"));
            else if (!Customers.Docs.Any(c => Eq(c["FNumber"], customer) && Eq(c["FDocumentStatus"], "C") && Eq(c["FForbidStatus"], "A")))
                errors.Add(Error($"字段“客户”的值“{customer}”不存在，或未审核，或已禁用", "FCustId"));

            var entries = model["FSaleOrderEntry"] as JsonArray ?? [];
            if (entries.Count == 0) errors.Add(Error("订单明细不能为空", "FSaleOrderEntry"));
            var lines = new List<Dictionary<string, object?>>();
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                var material = Number(e?["FMaterialId"]);
                var known = Materials.Docs.FirstOrDefault(m => Eq(m["FNumber"], material) && Eq(m["FDocumentStatus"], "C") && Eq(m["FForbidStatus"], "A"));
                if (known is null) errors.Add(Error($"第{i + 1}行字段“物料编码”的值“{material}”不存在，或未审核，或已禁用", "FMaterialId", i));
                var qty = e?["FQty"]?.GetValue<decimal>() ?? 0;
                if (qty <= 0) errors.Add(Error($"第{i + 1}行销售数量必须大于0", "FQty", i));
                lines.Add(FakeDoc.Row(
                    ("FSaleOrderEntry_FEntryID", _nextId++),
                    ("FMaterialId.FNumber", material),
                    ("FUnitID.FNumber", Number(e?["FUnitID"]) ?? known?["FBaseUnitId.FNumber"]),
                    ("FQty", qty), ("FBaseUnitQty", qty),
                    ("FTaxPrice", e?["FTaxPrice"]?.GetValue<decimal>() ?? 0m),
                    ("FIsFree", e?["FIsFree"]?.GetValue<bool>() ?? false),
                    ("FBaseDeliQty", 0m), ("FBaseStockOutQty", 0m),
                    ("FSOStockId.FNumber", Number(e?["FSOStockId"]))));
            }
            if (errors.Count > 0) return Status(false, errors);

            var now = Now();
            var doc = new FakeDoc
            {
                ["FID"] = _nextId++,
                ["FBillNo"] = $"XSDD{_nextBillNo++:000000}",
                ["FDocumentStatus"] = "A", ["FCloseStatus"] = "A", ["FCancelStatus"] = "A",
                ["FModifyDate"] = now, ["FApproveDate"] = null, ["FCloseDate"] = null, ["FCancelDate"] = null,
                ["FDate"] = DateTime.TryParse(model["FDate"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : now.Date,
                ["FCustId.FNumber"] = customer,
                ["FSaleOrgId.FNumber"] = Number(model["FSaleOrgId"]),
                ["FBillTypeID.FNumber"] = Number(model["FBillTypeID"]),
                ["FNote"] = model["FNote"]?.ToString(),
                ["FReceiveAddress"] = model["FReceiveAddress"]?.ToString(),
                [ReferenceField] = model[ReferenceField]?.ToString(),
            };
            doc.Entity("FSaleOrderEntry").AddRange(lines);
            SaleOrders.Docs.Add(doc);
            SaveCount++;
            return Status(true, entities: [Entity(doc)]);
        }
    }

    private JsonNode Submit(JsonNode? body) => Transition(body, from: ["A", "D"], to: "B", "提交", null);

    private JsonNode Audit(JsonNode? body) => Transition(body, from: ["B"], to: "C", "审核", AuditRejection);

    private JsonNode Transition(JsonNode? body, string[] from, string to, string verb, string? rejection)
    {
        var data = body?["data"];
        var numbers = (data?["Numbers"] as JsonArray)?.Select(n => n?.ToString()).ToList() ?? [];
        var ids = (data?["Ids"]?.ToString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lock (_sync)
        {
            var docs = SaleOrders.Docs.Where(d => numbers.Contains(d["FBillNo"]?.ToString()) || ids.Contains(d["FID"]?.ToString())).ToList();
            if (docs.Count == 0) return Status(false, [Error($"{verb}失败：单据不存在")]);
            if (rejection is not null) return Status(false, [Error(rejection)]);
            var errors = new List<JsonObject>();
            foreach (var d in docs.Where(d => !from.Contains(d["FDocumentStatus"]?.ToString())))
                errors.Add(Error($"单据编号为“{d["FBillNo"]}”的单据，当前状态不允许{verb}"));
            if (errors.Count > 0) return Status(false, errors);
            foreach (var d in docs)
            {
                d["FDocumentStatus"] = to;
                if (to == "C") d["FApproveDate"] = Now();
            }
            return Status(true, entities: docs.Select(Entity));
        }
    }

    private static JsonObject Entity(FakeDoc d) =>
        new() { ["Id"] = (long)d["FID"]!, ["Number"] = d["FBillNo"]?.ToString(), ["DIndex"] = 0 };

    private static bool Eq(object? a, string? b) => string.Equals(a?.ToString(), b, StringComparison.OrdinalIgnoreCase);

    // ================================================================= seeding and ERP-side actions

    public long NewId() { lock (_sync) return _nextId++; }

    public FakeDoc AddMaterial(string number, string name, string unit, DateTime modified, string? spec = null, string? group = null,
        string forbid = "A", string status = "C", string org = Org)
    {
        var d = new FakeDoc
        {
            ["FMATERIALID"] = NewId(), ["FNumber"] = number, ["FName"] = name, ["FSpecification"] = spec,
            ["FBaseUnitId.FNumber"] = unit, ["FMaterialGroup.FName"] = group, ["FForbidStatus"] = forbid,
            ["FDocumentStatus"] = status, ["FModifyDate"] = modified, ["FUseOrgId.FNumber"] = org,
        };
        lock (_sync) Materials.Docs.Add(d);
        return d;
    }

    public FakeDoc AddCustomer(string number, string name, DateTime modified, string? type = null, string? phone = null,
        string? address = null, decimal creditLimit = 0, decimal receivable = 0, string forbid = "A", string org = Org)
    {
        var d = new FakeDoc
        {
            ["FCUSTID"] = NewId(), ["FNumber"] = number, ["FName"] = name, ["FTEL"] = phone, ["FADDRESS"] = address,
            ["FCustTypeId.FNumber"] = type, ["FForbidStatus"] = forbid, ["FDocumentStatus"] = "C", ["FModifyDate"] = modified,
            ["FUseOrgId.FNumber"] = org, ["F_ORH_CreditLimit"] = creditLimit, ["F_ORH_Receivable"] = receivable,
        };
        lock (_sync) Customers.Docs.Add(d);
        return d;
    }

    public FakeDoc AddStock(string material, string stock, decimal qty, DateTime updated, string org = Org)
    {
        var d = new FakeDoc
        {
            ["FID"] = Guid.NewGuid().ToString(), ["FMaterialId.FNumber"] = material, ["FStockId.FNumber"] = stock,
            ["FStockOrgId.FNumber"] = org, ["FBaseQty"] = qty, ["FUpdateTime"] = updated,
        };
        lock (_sync) Inventory.Docs.Add(d);
        return d;
    }

    public FakeDoc AddPriceList(string number, DateTime modified, IEnumerable<(string Material, decimal Price, decimal FromQty)> entries,
        IEnumerable<string>? customers = null, IEnumerable<string>? customerTypes = null, string status = "C", string forbid = "A")
    {
        var d = new FakeDoc
        {
            ["FID"] = NewId(), ["FNumber"] = number, ["FName"] = number, ["FCurrencyId.FNumber"] = "PRE001",
            ["FDocumentStatus"] = status, ["FForbidStatus"] = forbid, ["FModifyDate"] = modified,
        };
        foreach (var (m, p, q) in entries)
            d.Entity("FPriceListEntry").Add(FakeDoc.Row(("FPriceListEntry_FEntryID", NewId()), ("FMaterialId.FNumber", m),
                ("FPrice", p), ("FFromQty", q), ("FEntryForbidStatus", "A")));
        foreach (var c in customers ?? []) d.Entity("FCustomerEntity").Add(FakeDoc.Row(("FCustID.FNumber", c), ("FCustTypeID.FNumber", null)));
        foreach (var t in customerTypes ?? []) d.Entity("FCustomerEntity").Add(FakeDoc.Row(("FCustID.FNumber", null), ("FCustTypeID.FNumber", t)));
        lock (_sync) PriceLists.Docs.Add(d);
        return d;
    }

    public FakeDoc AddReceiveBill(string billNo, string customer, decimal amount, DateTime date, DateTime? approved, string? remark = null,
        string contactType = "BD_Customer")
    {
        var d = new FakeDoc
        {
            ["FID"] = NewId(), ["FBillNo"] = billNo, ["FDate"] = date, ["FCONTACTUNIT.FNumber"] = customer,
            ["FCONTACTUNITTYPE"] = contactType, ["FREALRECAMOUNTFOR"] = amount, ["FREMARK"] = remark,
            ["FDocumentStatus"] = approved is null ? "A" : "C", ["FApproveDate"] = approved, ["FModifyDate"] = approved ?? date,
        };
        lock (_sync) ReceiveBills.Docs.Add(d);
        return d;
    }

    public FakeDoc Order(string billNo)
    {
        lock (_sync) return SaleOrders.Docs.Single(d => Eq(d["FBillNo"], billNo));
    }

    public List<FakeDoc> OrdersWithReference(string orderNumber)
    {
        lock (_sync) return SaleOrders.Docs.Where(d => Eq(d[ReferenceField], orderNumber)).ToList();
    }

    /// <summary>ERP-side: outbound (销售出库) write-back of out-stocked quantity per line; closes the order when all is out.</summary>
    public void OutStock(string billNo, params decimal[] perLine)
    {
        lock (_sync)
        {
            var d = Order(billNo);
            var lines = d.Entity("FSaleOrderEntry");
            for (var i = 0; i < perLine.Length && i < lines.Count; i++)
                lines[i]["FBaseStockOutQty"] = (decimal)lines[i]["FBaseStockOutQty"]! + perLine[i];
            if (lines.All(l => (decimal)l["FBaseStockOutQty"]! >= (decimal)l["FBaseUnitQty"]!))
            {
                d["FCloseStatus"] = "B";
                d["FCloseDate"] = Now();
            }
        }
    }

    public void DeliveryNotice(string billNo, params decimal[] perLine)
    {
        lock (_sync)
        {
            var lines = Order(billNo).Entity("FSaleOrderEntry");
            for (var i = 0; i < perLine.Length && i < lines.Count; i++) lines[i]["FBaseDeliQty"] = perLine[i];
        }
    }

    public void Close(string billNo) { lock (_sync) { var d = Order(billNo); d["FCloseStatus"] = "B"; d["FCloseDate"] = Now(); } }

    public void Void(string billNo) { lock (_sync) { var d = Order(billNo); d["FCancelStatus"] = "B"; d["FCancelDate"] = Now(); } }
}

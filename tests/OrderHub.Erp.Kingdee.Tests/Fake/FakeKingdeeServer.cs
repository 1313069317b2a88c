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
/// A fake Kingdee K/3 Cloud WebAPI on a real Kestrel server at 127.0.0.1 on a free port, as strict as we can make it from
/// what Kingdee and the community publish. Sources are named next to each rule; wording of error messages is the fake's
/// own unless a source is named (Kingdee's exact wording varies by version), but MsgCodes and shapes follow the sources.
/// <list type="bullet">
/// <item>POST JSON to {base}/k3cloud/{stub}.common.kdsvc; login by ValidateUser or LoginByAppSecret answering LoginResultType
///   ([published] Kingdee WebAPI SDK docs, e.g. the ExecuteBillQuery page quoted on codetd.com/article/8002203).</item>
/// <item>The login sets several cookies, and every later call needs all of them: kdservice-sessionid (K/3 Cloud's
///   session), ASP.NET_SessionId (the IIS/ASP.NET session K/3 Cloud's services run in) and, as a data centre behind a
///   load balancer does, the balancer's sticky-node cookie. A call missing any of them lands on a node/session that does
///   not know it and gets "会话信息已丢失，请重新登录" (MsgCode 1). [issue #22 review; ASP.NET_SessionId is the ASP.NET
///   default session cookie; node cookie as set by common balancers]</item>
/// <item>ExecuteBillQuery answers [[v1, v2…], …] in FieldKeys order; a field key the form does not have is refused with
///   [[{"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,"Errors":[{"FieldName":key,"Message":…}],"MsgCode":9}}}]]
///   (MsgCode 9 = 字段不存在, issue #22 review).</item>
/// <item>QueryBusinessInfo answers Result.NeedReturnData {Id, Entrys:[{Key, EntryPkFieldName, Fields:[{Key, MustInput}]}]}
///   (shape as used by community Kingdee tooling, e.g. a kingdee MCP server's QueryBusinessInfo fixture:
///   "Result.NeedReturnData.Entrys[].Fields[].Key").</item>
/// <item>Save / Submit / Audit of SAL_SaleOrder return Result.ResponseStatus with IsSuccess, Errors[{FieldName, Message,
///   DIndex}] and SuccessEntitys[{Id, Number, DIndex}] ([published] Save API doc, "返回结果" section). Save refuses a model
///   without FSaleOrgId or FSalerId (both 必录 on the standard sales order: SAL_SaleOrder metadata lists FSaleOrgId
///   MustInput; FSalerId per issue #22 review) and unknown base data.</item>
/// <item>FDocumentStatus Z 暂存, A 创建, B 审核中, C 已审核, D 重新审核: Save → A; Submit A/D → B; Audit B → C;
///   UnAudit C → D ([published] document status enumeration of K/3 Cloud bills).</item>
/// </list>
/// </summary>
public sealed class FakeKingdeeServer : IAsyncDisposable
{
    public const string AcctId = "65f0a1b2c3d4e5";
    public const string User = "orderhub";
    public const string Password = "s3cret!";
    public const string AppId = "245801_ORDERHUB";
    public const string AppSecret = "0123456789abcdef0123456789abcdef";
    public const string Org = "100";
    /// <summary>A salesman (销售员) number known to the fake; tests configure it as the default salesman.</summary>
    public const string Salesman = "XSY001";
    public const string SessionCookie = "kdservice-sessionid";
    public const string AspNetCookie = "ASP.NET_SessionId";
    public const string NodeCookie = "KDLB_NODE";

    private readonly object _sync = new();
    /// <summary>kdservice-sessionid → the ASP.NET session and balancer node it was issued with.</summary>
    private readonly Dictionary<string, (string AspNet, string Node)> _sessions = [];
    private WebApplication? _app;
    private long _nextId = 100001;
    private int _nextBillNo = 1;
    private int _nextOutNo = 1;

    public string ReferenceField { get; }
    public string BaseUrl { get; private set; } = "";

    public FakeFailMode FailMode { get; set; }
    /// <summary>The next Save commits the order and then never answers (the client times out).</summary>
    public bool CommitThenHangOnNextSave { get; set; }
    /// <summary>The next Save finds its session expired (as after a server-side session timeout).</summary>
    public bool ExpireSessionAtNextSave { get; set; }
    /// <summary>The next Audit answers HTTP 500 without auditing (the order stays submitted, B 审核中).</summary>
    public bool FailNextAuditWithHttp500 { get; set; }
    /// <summary>The next accepted call moves the session to another balancer node and sets the new node cookie on its answer.</summary>
    public bool MoveNodeOnNextCall { get; set; }
    /// <summary>When set, Audit answers IsSuccess=false with this message.</summary>
    public string? AuditRejection { get; set; }
    /// <summary>The fake's clock, in server-local (China) time.</summary>
    public Func<DateTime> Now { get; set; } = () => Truncate(DateTime.UtcNow.AddHours(8));

    public int LoginCount { get; private set; }
    public int SaveCount { get; private set; }
    public List<(string FormId, string Filter, int StartRow, int Limit)> Queries { get; } = [];
    /// <summary>Every ExecuteBillQuery's FormId and the keys it named (FieldKeys, FilterString, OrderString), in order.</summary>
    public List<(string FormId, string[] FieldKeys)> QueriedKeys { get; } = [];
    /// <summary>Every form id QueryBusinessInfo was asked about.</summary>
    public List<string> BusinessInfoAsked { get; } = [];

    /// <summary>Salesman (销售员) numbers that exist in the data centre.</summary>
    public HashSet<string> Salesmen { get; } = new(StringComparer.OrdinalIgnoreCase) { Salesman };
    /// <summary>Sales organisation numbers that exist.</summary>
    public HashSet<string> Orgs { get; } = new(StringComparer.OrdinalIgnoreCase) { Org, "200" };

    // ----------------------------------------------------------------- forms and their field keys
    // Field keys below are the standard ones as they appear in Kingdee's WebAPI docs and in public integration code
    // (ExecuteBillQuery FieldKeys, Save models, plug-in SQL over the forms' tables). Where a key is only our reading, it
    // says so; the adapter's start-up check (QueryBusinessInfo) is what settles it on a real data centre.

    // BD_MATERIAL: FNumber, FName, FSpecification, FMaterialGroup, FForbidStatus, FDocumentStatus, FModifyDate,
    // FUseOrgId, FMasterId; FBaseUnitId sits in the sub-head SubHeadEntity (基本). Public ExecuteBillQuery samples.
    public FakeForm Materials { get; } = new("BD_MATERIAL", "FMATERIALID", new Dictionary<string, string[]>
    {
        ["FBillHead"] = ["FNumber", "FName", "FSpecification", "FMaterialGroup.FName", "FMaterialGroup.FNumber", "FForbidStatus",
                         "FDocumentStatus", "FModifyDate", "FUseOrgId.FNumber", "FCreateOrgId.FNumber", "FMasterId"],
        ["SubHeadEntity"] = ["FBaseUnitId.FNumber", "FErpClsID"],
        // 销售 sub-head: the unit the material is sold in (销售单位) [assumed key FSaleUnitId, as in public Save samples of BD_MATERIAL].
        ["SubHeadEntity1"] = ["FSaleUnitId.FNumber"],
    });

    // BD_UNITCONVERTRATE (单位换算): a material's conversion, 1 FCurrentUnitId = FConvertNumerator / FConvertDenominator
    // FDestUnitId [assumed keys, after the form's fields in community plug-in SQL over T_BD_UNITCONVERTRATE].
    public FakeForm UnitConvertRates { get; } = new("BD_UNITCONVERTRATE", "FUNITCONVERTRATEID",
        ["FMaterialId.FNumber", "FCurrentUnitId.FNumber", "FDestUnitId.FNumber", "FConvertNumerator", "FConvertDenominator",
         "FForbidStatus", "FDocumentStatus"]);

    // STK_Inventory (即时库存): FID, FStockOrgId, FMaterialId, FStockId, FLot, FStockStatusId, FOwnerId, FBaseQty, FQty,
    // FBaseUnitId, FAuxPropID — the keys public ExecuteBillQuery code reads (e.g. "FMaterialId.FNumber,FStockId.FNumber,
    // FQty,FBaseQty", "FStockLocId,FStockStatusId.FNumber,FLot.FNumber,FBaseQty"). No FUpdateTime: no published query
    // uses it as a field key; community SQL shows the table column T_STK_INVENTORY.FUPDATETIME labelled 最后入库时间
    // (last inbound), which is not a change date for outbound anyway.
    public FakeForm Inventory { get; } = new("STK_Inventory", "FID",
        ["FMaterialId.FNumber", "FStockId.FNumber", "FStockOrgId.FNumber", "FLot.FNumber", "FStockStatusId.FNumber",
         "FOwnerId.FNumber", "FBaseQty", "FQty", "FBaseUnitId.FNumber", "FAuxPropID"]);

    // BD_SAL_PriceList (销售价目表): header FNumber, FName, FCurrencyId, FEffectiveDate, FExpiryDate, FPriceObject,
    // FLimitCustomer ('' none, '1' customers, '2' customer types), FLimitSalesMan, FIsIncludedTax, FDocumentStatus,
    // FForbidStatus, FModifyDate (public ExecuteBillQuery "FName,FNumber,…,FCurrencyId,FEffectiveDate,FExpiryDate,
    // FPriceObject,FLimitCustomer,FLimitSalesMan,FPriceType,…,FModifyDate,FID"). Price lines are the entity FEntity
    // (table T_SAL_PRICELISTENTRY: FMaterialId, FPrice, FFromQty, FToQty, FEntryEffectiveDate, FEntryExpiryDate,
    // FRowAuditStatus — community plug-in SQL "c.frowauditstatus = 'A' … c.feffectivedate <= … c.fexpriydate >= …");
    // customers FEntity2 (T_SAL_APPLYCUSTOMER: FCustId, FCustTypeId), salesmen FEntity1 (T_SAL_APPLYSALESMAN: FSalerId)
    // (community SQL "t0.FLIMITCUSTOMER='1' and t1.fcustid=… t0.FLIMITSALESMAN='1' and t2.FSALERID=…").
    // FEntryForbidStatus (行禁用) is our reading of the line's forbid flag (table column FFORBIDSTATUS).
    public FakeForm PriceLists { get; } = new("BD_SAL_PriceList", "FID",
        ["FNumber", "FName", "FCurrencyId.FNumber", "FDocumentStatus", "FForbidStatus", "FModifyDate", "FEffectiveDate",
         "FExpiryDate", "FIsIncludedTax", "FLimitCustomer", "FLimitSalesMan", "FPriceObject", "FPriceType"],
        new Dictionary<string, string[]>
        {
            ["FEntity"] = ["FMaterialId.FNumber", "FUnitID.FNumber", "FPrice", "FDownPrice", "FFromQty", "FToQty",
                           "FEntryEffectiveDate", "FEntryExpiryDate", "FRowAuditStatus", "FEntryForbidStatus"],
            ["FEntity1"] = ["FSalerId.FNumber"],
            ["FEntity2"] = ["FCustId.FNumber", "FCustTypeId.FNumber"],
        });

    // BD_Customer: FNumber, FName, FTEL, FADDRESS, FCustTypeId, FSELLER (销售员), FTRADINGCURRID, FForbidStatus,
    // FDocumentStatus, FModifyDate, FUseOrgId; F_ORH_* are custom fields a distributor adds (F_ prefix = 扩展字段).
    public FakeForm Customers { get; } = new("BD_Customer", "FCUSTID",
        ["FNumber", "FName", "FTEL", "FADDRESS", "FCustTypeId.FNumber", "FSELLER.FNumber", "FTRADINGCURRID.FNumber",
         "FForbidStatus", "FDocumentStatus", "FModifyDate", "FUseOrgId.FNumber", "F_ORH_CreditLimit", "F_ORH_Receivable", "F_ORH_HeadOffice"]);

    // AR_RECEIVEBILL (收款单): FBillNo, FDate, FCONTACTUNITTYPE, FCONTACTUNIT, FCURRENCYID, FREALRECAMOUNTFOR, FREMARK,
    // FDocumentStatus, FApproveDate, FModifyDate; for Save (node-k3cloud receiveBillSave.js, which marks FBillTypeID, FDATE,
    // FCONTACTUNITTYPE/FCONTACTUNIT, FPAYUNITTYPE/FPAYUNIT, FCURRENCYID, FPAYORGID, FSETTLECUR and the entry's FSETTLETYPEID
    // and FPURPOSEID required): FBillTypeID, FPAYUNITTYPE, FPAYUNIT, FSETTLECUR, FPAYORGID, FSETTLEORGID, FSALEORGID and
    // entries FRECEIVEBILLENTRY (FSETTLETYPEID, FPURPOSEID, FRECTOTALAMOUNTFOR 应收金额, FACCOUNTID). 实收 FREALRECAMOUNTFOR is
    // the sum of the entries' amounts (no handling charge here).
    public FakeForm ReceiveBills { get; } = new("AR_RECEIVEBILL", "FID",
        new Dictionary<string, string[]>
        {
            ["FBillHead"] = ["FBillNo", "FDate", "FCONTACTUNIT.FNumber", "FCONTACTUNITTYPE", "FCURRENCYID.FNumber", "FREALRECAMOUNTFOR", "FREMARK",
                             "FDocumentStatus", "FApproveDate", "FModifyDate", "FBillTypeID.FNumber", "FPAYUNITTYPE", "FPAYUNIT.FNumber",
                             "FSETTLECUR.FNumber", "FPAYORGID.FNumber", "FSETTLEORGID.FNumber", "FSALEORGID.FNumber"],
        },
        new Dictionary<string, string[]>
        {
            ["FRECEIVEBILLENTRY"] = ["FSETTLETYPEID.FNumber", "FPURPOSEID.FNumber", "FRECTOTALAMOUNTFOR", "FACCOUNTID.FNumber"],
        });

    // AR_REFUNDBILL (收款退款单), from public integration DTOs of its Save model: header FBillNo, FBillTypeID, FDATE (业务日期,
    // 必填), FCONTACTUNITTYPE/FCONTACTUNIT (往来单位, 必填), FRECTUNITTYPE/FRECTUNIT (收款单位, 必填), FCURRENCYID (必填),
    // FSETTLECUR (结算币别, 必填), FPAYORGID, FSETTLEORGID, FSALEORGID, FREMARK, FDocumentStatus, FApproveDate, FModifyDate;
    // entries FREFUNDBILLENTRY (FSETTLETYPEID, FPURPOSEID, FREFUNDAMOUNTFOR 应退金额 必填, FNOTE 必填, FACCOUNTID).
    public FakeForm RefundBills { get; } = new("AR_REFUNDBILL", "FID",
        new Dictionary<string, string[]>
        {
            ["FBillHead"] = ["FBillNo", "FDate", "FCONTACTUNIT.FNumber", "FCONTACTUNITTYPE", "FCURRENCYID.FNumber", "FREMARK",
                             "FDocumentStatus", "FApproveDate", "FModifyDate", "FBillTypeID.FNumber", "FRECTUNITTYPE", "FRECTUNIT.FNumber",
                             "FSETTLECUR.FNumber", "FPAYORGID.FNumber", "FSETTLEORGID.FNumber", "FSALEORGID.FNumber",
                             "F_ORH_OrderHubNo"], // a custom text field (扩展字段) a distributor may add for OrderHub's number
        },
        new Dictionary<string, string[]>
        {
            ["FREFUNDBILLENTRY"] = ["FSETTLETYPEID.FNumber", "FPURPOSEID.FNumber", "FREFUNDAMOUNTFOR", "FNOTE", "FACCOUNTID.FNumber"],
        });

    // SAL_RETURNSTOCK (销售退货单), from a public Save sample and DTOs marking FSaleOrgId and FRetcustId 必填项: header FBillNo,
    // FBillTypeID, FDate, FSaleOrgId, FStockOrgId, FRetcustId, FReturnReason, FHeadNote, FDocumentStatus, FApproveDate,
    // FModifyDate; sub-head SubHeadEntity (FSettleCurrId, FSettleOrgId); lines FEntity (FMaterialId, FUnitID, FRealQty,
    // FTaxPrice, FIsFree, FReturnType, FStockId, FStockStatusId, FOrderNo 订单单号). The fake refuses a line without FReturnType
    // or with a quantity not above zero, an unknown material or customer, and a missing organisation.
    public FakeForm ReturnStocks { get; private set; } = new("SAL_RETURNSTOCK", "FID",
        new Dictionary<string, string[]>
        {
            ["FBillHead"] = ["FBillNo", "FBillTypeID.FNumber", "FDate", "FSaleOrgId.FNumber", "FStockOrgId.FNumber", "FRetcustId.FNumber",
                             "FReturnReason.FNumber", "FHeadNote", "FDocumentStatus", "FApproveDate", "FModifyDate"],
            ["SubHeadEntity"] = ["FSettleCurrId.FNumber", "FSettleOrgId.FNumber"],
        },
        new Dictionary<string, string[]>
        {
            ["FEntity"] = ["FMaterialId.FNumber", "FUnitID.FNumber", "FRealQty", "FTaxPrice", "FIsFree", "FReturnType.FNumber",
                           "FStockId.FNumber", "FStockStatusId.FNumber", "FOrderNo"],
        });

    // SAL_OUTSTOCK (销售出库单): header FBillNo, FDate, FSaleOrgId, FStockOrgId, FCustomerID, FDocumentStatus,
    // FApproveDate, FModifyDate, FCancelStatus; lines FEntity with FMaterialID, FRealQty (实发数量), FStockID, FIsFree,
    // FSoorDerno (订单单号) and FSOEntryId (销售订单EntryId) — public Save models and queries ("FSoorDerno", "FSOEntryId",
    // "FRealQty … 注意不是FQty", qeasy SAL_OUTSTOCK field list "SubHeadEntity.FEntity.FRealQty 实发数量").
    public FakeForm OutStocks { get; } = new("SAL_OUTSTOCK", "FID",
        ["FBillNo", "FDate", "FSaleOrgId.FNumber", "FStockOrgId.FNumber", "FCustomerID.FNumber", "FDocumentStatus",
         "FApproveDate", "FModifyDate", "FCancelStatus"],
        new Dictionary<string, string[]>
        {
            ["FEntity"] = ["FMaterialID.FNumber", "FRealQty", "FStockID.FNumber", "FIsFree", "FSoorDerno", "FSOEntryId"],
        });

    // SAL_DELIVERYNOTICE (发货通知单): header as above; lines FEntity with FMaterialID, FQty, FOrderNo, FSOEntryId.
    public FakeForm DeliveryNotices { get; } = new("SAL_DELIVERYNOTICE", "FID",
        ["FBillNo", "FDate", "FSaleOrgId.FNumber", "FCustomerID.FNumber", "FDocumentStatus", "FApproveDate", "FModifyDate", "FCancelStatus"],
        new Dictionary<string, string[]>
        {
            ["FEntity"] = ["FMaterialID.FNumber", "FQty", "FOrderNo", "FSOEntryId"],
        });

    public FakeForm SaleOrders { get; }

    private FakeKingdeeServer(string referenceField)
    {
        ReferenceField = referenceField;
        // SAL_SaleOrder: header FBillNo, FBillTypeID, FDate, FSaleOrgId, FCustId, FSalerId, FSaleDeptId, FReceiveAddress,
        // FNote, FDocumentStatus, FCloseStatus, FCancelStatus, FModifyDate, FApproveDate, FCloseDate, FCancelDate; sub-head
        // FSaleOrderFinance (FSettleCurrId, FIsIncludedTax); lines FSaleOrderEntry (FMaterialId, FUnitID, FQty,
        // FBaseUnitQty, FTaxPrice, FIsFree, FDeliveryDate, FSettleOrgIds) — [published] Save API sample model.
        // FSOStockId (line warehouse) is our reading; the adapter makes it configurable. FBaseDeliQty / FBaseStockOutQty
        // (write-back of notified / out-stocked quantity) are kept as an earlier adapter read them [assumed]; an outbound
        // writes them back but changes no date on the order: nothing shows that posting it sets FCloseDate (issue #22).
        SaleOrders = new FakeForm("SAL_SaleOrder", "FID", new Dictionary<string, string[]>
        {
            ["FBillHead"] = ["FBillNo", "FBillTypeID.FNumber", "FDate", "FSaleOrgId.FNumber", "FCustId.FNumber", "FSalerId.FNumber",
                             "FSaleDeptId.FNumber", "FReceiveAddress", "FNote", "FDocumentStatus", "FCloseStatus", "FCancelStatus",
                             "FModifyDate", "FApproveDate", "FCloseDate", "FCancelDate", referenceField,
                             // custom text fields (扩展字段) a distributor adds for the invoice title: the published model has none
                             "F_ORH_InvoiceType", "F_ORH_InvoiceTitle", "F_ORH_TaxNo", "F_ORH_InvoiceBank", "F_ORH_InvoiceAccount",
                             "F_ORH_InvoiceAddress", "F_ORH_InvoicePhone"],
            ["FSaleOrderFinance"] = ["FSettleCurrId.FNumber", "FIsIncludedTax"],
        },
        new Dictionary<string, string[]>
        {
            ["FSaleOrderEntry"] = ["FMaterialId.FNumber", "FUnitID.FNumber", "FQty", "FBaseUnitQty", "FTaxPrice", "FIsFree",
                                   "FDeliveryDate", "FSettleOrgIds.FNumber", "FSOStockId.FNumber", "FBaseDeliQty", "FBaseStockOutQty"],
        });
    }

    private IEnumerable<FakeForm> Forms => [Materials, UnitConvertRates, Inventory, PriceLists, Customers, ReceiveBills, RefundBills, SaleOrders, OutStocks, DeliveryNotices, ReturnStocks];

    /// <summary>Replaces SAL_RETURNSTOCK with a variant (e.g. one with a custom field), as another data centre has it.</summary>
    public void ReplaceForm(FakeForm form)
    {
        if (!form.Id.Equals("SAL_RETURNSTOCK", StringComparison.OrdinalIgnoreCase)) throw new NotSupportedException(form.Id);
        lock (_sync) ReturnStocks = form;
    }

    public FakeForm Form(string formId) => Forms.First(f => f.Id.Equals(formId, StringComparison.OrdinalIgnoreCase));

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
            case "kingdee.bos.webapi.servicesstub.dynamicformservice.querybusinessinfo":
                result = HasSession(ctx) ? BusinessInfo(body) : SessionLost();
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
                if (HasSession(ctx) && FailNextAuditWithHttp500)
                {
                    FailNextAuditWithHttp500 = false;
                    ctx.Response.StatusCode = 500;
                    await ctx.Response.WriteAsync("<html><body>Server Error in '/K3Cloud' Application.</body></html>", aborted);
                    return;
                }
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
        var aspNet = Guid.NewGuid().ToString("N")[..24];
        var node = "k3node-" + Random.Shared.Next(1, 4);
        lock (_sync) { _sessions[session] = (aspNet, node); LoginCount++; }
        // Several Set-Cookie headers, as IIS + K/3 Cloud + a balancer send them.
        ctx.Response.Headers.Append("Set-Cookie", $"{AspNetCookie}={aspNet}; path=/; HttpOnly; SameSite=Lax");
        ctx.Response.Headers.Append("Set-Cookie", $"{SessionCookie}={session}; path=/");
        ctx.Response.Headers.Append("Set-Cookie", $"{NodeCookie}={node}; Path=/");
        return new JsonObject
        {
            ["Message"] = null, ["MessageCode"] = "CheckPasswordPolicy", ["LoginResultType"] = 1,
            ["Context"] = new JsonObject { ["UserLocale"] = "zh-CN", ["DBid"] = AcctId, ["SessionId"] = session, ["UserName"] = User },
            ["KDSVCSessionId"] = session, ["IsSuccessByAPI"] = true,
        };
    }

    /// <summary>All three cookies must come back, with the values issued together (or last set by an answer).</summary>
    private bool HasSession(HttpContext ctx)
    {
        var s = ctx.Request.Cookies[SessionCookie];
        var a = ctx.Request.Cookies[AspNetCookie];
        var n = ctx.Request.Cookies[NodeCookie];
        lock (_sync)
        {
            if (s is null || !_sessions.TryGetValue(s, out var issued) || issued.AspNet != a || issued.Node != n) return false;
            if (MoveNodeOnNextCall)
            {
                // A balancer re-pins the client (node drained, cookie re-issued): the next call must carry the new value.
                MoveNodeOnNextCall = false;
                var node = issued.Node + "-b";
                _sessions[s] = (issued.AspNet, node);
                ctx.Response.Headers.Append("Set-Cookie", $"{NodeCookie}={node}; Path=/");
            }
            return true;
        }
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

    // ================================================================= QueryBusinessInfo

    private JsonNode BusinessInfo(JsonNode? body)
    {
        var data = body?["data"] is JsonObject d ? d : body as JsonObject;
        var formId = data?["FormId"]?.ToString() ?? "";
        lock (_sync) BusinessInfoAsked.Add(formId);
        var form = Forms.FirstOrDefault(f => f.Id.Equals(formId, StringComparison.OrdinalIgnoreCase));
        if (form is null) return Status(false, [Error($"业务对象“{formId}”不存在")]);
        var entrys = new JsonArray();
        foreach (var (entity, pk, fields) in form.Metadata())
        {
            entrys.Add(new JsonObject
            {
                ["Key"] = entity,
                ["EntryPkFieldName"] = pk,
                ["Fields"] = new JsonArray(fields.Select(f => (JsonNode?)new JsonObject
                {
                    ["Key"] = f,
                    ["MustInput"] = form.Id == "SAL_SaleOrder" && f is "FSaleOrgId" or "FCustId" or "FSalerId" or "FDate" or "FBillTypeID" or "FMaterialId",
                }).ToArray()),
            });
        }
        var status = Status(true);
        status["Result"]!["NeedReturnData"] = new JsonObject { ["Id"] = form.Id, ["Entrys"] = entrys };
        return status;
    }

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
        lock (_sync) QueriedKeys.Add((form.Id, used.ToArray()));
        var unknown = used.FirstOrDefault(k => !form.Knows(k));
        if (unknown is not null)
            return Wrap(Status(false, [Error($"元数据中标识为{unknown}的字段不存在（业务对象 {form.Id}）", unknown)], msgCode: UnknownFieldMsgCode));
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

    /// <summary>MsgCode of "字段不存在" (issue #22 review: FPriceListEntry_FEntryID makes ExecuteBillQuery fail with MsgCode 9).</summary>
    public const int UnknownFieldMsgCode = 9;

    // ================================================================= Save / Submit / Audit (SAL_SaleOrder)

    private JsonNode Save(JsonNode? body)
    {
        var formId = body?["formid"]?.ToString();
        if (string.Equals(formId, "AR_RECEIVEBILL", StringComparison.OrdinalIgnoreCase)) return SaveReceiveBill(body);
        if (string.Equals(formId, "SAL_RETURNSTOCK", StringComparison.OrdinalIgnoreCase)) return SaveReturnStock(body);
        if (string.Equals(formId, "AR_REFUNDBILL", StringComparison.OrdinalIgnoreCase)) return SaveRefundBill(body);
        if (!string.Equals(formId, "SAL_SaleOrder", StringComparison.OrdinalIgnoreCase))
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

            // Sales organisation and salesman are must-input on SAL_SaleOrder (see the class comment).
            var org = Number(model["FSaleOrgId"]);
            if (string.IsNullOrEmpty(org)) errors.Add(Error("字段“销售组织”是必填项", "FSaleOrgId"));
            else if (!Orgs.Contains(org)) errors.Add(Error($"字段“销售组织”的值“{org}”不存在", "FSaleOrgId"));
            var saler = Number(model["FSalerId"]);
            if (string.IsNullOrEmpty(saler)) errors.Add(Error("字段“销售员”是必填项", "FSalerId"));
            else if (!Salesmen.Contains(saler)) errors.Add(Error($"字段“销售员”的值“{saler}”不存在，或未审核，或已禁用", "FSalerId"));

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
                    ("FQty", qty), ("FBaseUnitQty", qty * ToBase(material, Number(e?["FUnitID"]), known)),
                    ("FTaxPrice", e?["FTaxPrice"]?.GetValue<decimal>() ?? 0m),
                    ("FIsFree", e?["FIsFree"]?.GetValue<bool>() ?? false),
                    ("FSettleOrgIds.FNumber", Number(e?["FSettleOrgIds"])),
                    ("FBaseDeliQty", 0m), ("FBaseStockOutQty", 0m),
                    ("FSOStockId.FNumber", Number(e?["FSOStockId"]))));
            }
            if (errors.Count > 0) return Status(false, errors);

            var now = Now();
            var finance = model["FSaleOrderFinance"] as JsonObject;
            var doc = new FakeDoc
            {
                ["FID"] = _nextId++,
                ["FBillNo"] = $"XSDD{_nextBillNo++:000000}",
                ["FDocumentStatus"] = "A", ["FCloseStatus"] = "A", ["FCancelStatus"] = "A",
                ["FModifyDate"] = now, ["FApproveDate"] = null, ["FCloseDate"] = null, ["FCancelDate"] = null,
                ["FDate"] = DateTime.TryParse(model["FDate"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : now.Date,
                ["FCustId.FNumber"] = customer,
                ["FSaleOrgId.FNumber"] = org,
                ["FSalerId.FNumber"] = saler,
                ["FBillTypeID.FNumber"] = Number(model["FBillTypeID"]),
                ["FNote"] = model["FNote"]?.ToString(),
                ["FReceiveAddress"] = model["FReceiveAddress"]?.ToString(),
                ["FSettleCurrId.FNumber"] = Number(finance?["FSettleCurrId"]),
                ["FIsIncludedTax"] = finance?["FIsIncludedTax"]?.GetValue<bool>(),
                [ReferenceField] = model[ReferenceField]?.ToString(),
            };
            foreach (var key in SaleOrders.Heads["FBillHead"].Where(k => k.StartsWith("F_", StringComparison.Ordinal) && model[k] is JsonValue && !doc.Header.ContainsKey(k)))
                doc[key] = model[key]!.ToString(); // a custom text field as sent
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
        var form = Forms.FirstOrDefault(f => f.Id.Equals(body?["formid"]?.ToString(), StringComparison.OrdinalIgnoreCase));
        if (form is null) return Status(false, [Error("业务对象不存在")]);
        lock (_sync)
        {
            var docs = form.Docs.Where(d => numbers.Contains(d["FBillNo"]?.ToString()) || ids.Contains(d["FID"]?.ToString())).ToList();
            if (docs.Count == 0) return Status(false, [Error($"{verb}失败：单据不存在")]);
            if (rejection is not null) return Status(false, [Error(rejection)]);
            var errors = new List<JsonObject>();
            foreach (var d in docs.Where(d => !from.Contains(d["FDocumentStatus"]?.ToString())))
                errors.Add(Error($"单据编号为“{d["FBillNo"]}”的单据，当前状态不允许{verb}"));
            if (errors.Count > 0) return Status(false, errors);
            foreach (var d in docs)
            {
                d["FDocumentStatus"] = to;
                d["FModifyDate"] = Now();
                if (to == "C") d["FApproveDate"] = Now();
            }
            return Status(true, entities: docs.Select(Entity));
        }
    }

    /// <summary>Counts of Save calls per form other than sales orders (receipts, returns).</summary>
    public Dictionary<string, int> Saves { get; } = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _nextNo = new(StringComparer.OrdinalIgnoreCase);

    private static string? NumberOf(JsonNode? n) => n is JsonObject o ? (o["FNumber"] ?? o["FNUMBER"])?.ToString() : null;

    private bool KnownCustomer(string? number) =>
        Customers.Docs.Any(c => Eq(c["FNumber"], number) && Eq(c["FDocumentStatus"], "C") && Eq(c["FForbidStatus"], "A"));

    private FakeDoc? KnownMaterial(string? number) =>
        Materials.Docs.FirstOrDefault(m => Eq(m["FNumber"], number) && Eq(m["FDocumentStatus"], "C") && Eq(m["FForbidStatus"], "A"));

    private string NextBillNo(string prefix)
    {
        var n = _nextNo.TryGetValue(prefix, out var v) ? v + 1 : 1;
        _nextNo[prefix] = n;
        return $"{prefix}{n:000000}";
    }

    /// <summary>
    /// What differs between the two money bills' Save (AR_RECEIVEBILL 收款单, AR_REFUNDBILL 收款退款单): the form, the bill-number
    /// prefix, the party unit fields (付款单位 on a receipt, 收款单位 on a refund) and what the organisation is called, the entry
    /// entity with its amount field and labels, whether an entry needs a note (FNOTE, refund), and the header total a receipt keeps.
    /// </summary>
    private sealed record MoneyBill(FakeForm Form, string BillNoPrefix, (string Key, string Label)[] RequiredHead,
        string UnitTypeKey, string UnitKey, string UnitLabel, string OrgLabel,
        string EntryKey, string EmptyMessage, string PurposeLabel, bool NoteRequired, string AmountKey, string AmountLabel, string? TotalKey);

    /// <summary>AR_RECEIVEBILL Save: the required fields above, a known audited customer and organisation, a positive amount.</summary>
    private JsonNode SaveReceiveBill(JsonNode? body) => SaveMoneyBill(body, new MoneyBill(ReceiveBills, "SKD",
        [("FBillTypeID", "单据类型"), ("FDATE", "业务日期"), ("FCONTACTUNITTYPE", "往来单位类型"), ("FPAYUNITTYPE", "付款单位类型"),
         ("FCURRENCYID", "币别"), ("FSETTLECUR", "结算币别"), ("FPAYORGID", "收款组织")],
        "FPAYUNITTYPE", "FPAYUNIT", "付款单位", "收款组织",
        "FRECEIVEBILLENTRY", "收款单明细不能为空", "收款用途", NoteRequired: false, "FRECTOTALAMOUNTFOR", "应收金额", TotalKey: "FREALRECAMOUNTFOR"));

    /// <summary>AR_REFUNDBILL Save: the required fields above, a known audited customer and organisation, a positive amount and a note per entry.</summary>
    private JsonNode SaveRefundBill(JsonNode? body) => SaveMoneyBill(body, new MoneyBill(RefundBills, "SKTKD",
        [("FBillTypeID", "单据类型"), ("FDATE", "业务日期"), ("FCONTACTUNITTYPE", "往来单位类型"), ("FRECTUNITTYPE", "收款单位类型"),
         ("FCURRENCYID", "币别"), ("FSETTLECUR", "结算币别")],
        "FRECTUNITTYPE", "FRECTUNIT", "收款单位", "付款组织",
        "FREFUNDBILLENTRY", "退款单明细不能为空", "原收款用途", NoteRequired: true, "FREFUNDAMOUNTFOR", "应退金额", TotalKey: null));

    /// <summary>The one Save of a money bill (<see cref="MoneyBill"/>): Kingdee's messages for a missing field, an unknown customer,
    /// party or organisation, an empty entry list and a non-positive amount; otherwise a new bill (status A, created) with its entries.</summary>
    private JsonNode SaveMoneyBill(JsonNode? body, MoneyBill bill)
    {
        var model = body?["data"]?["Model"] as JsonObject;
        if (model is null) return Status(false, [Error("Model不能为空")]);
        lock (_sync)
        {
            var errors = new List<JsonObject>();
            foreach (var (key, label) in bill.RequiredHead)
                if (string.IsNullOrEmpty(model[key] is JsonObject ? NumberOf(model[key]) : model[key]?.ToString())) errors.Add(Error($"字段“{label}”是必填项", key));
            var customer = NumberOf(model["FCONTACTUNIT"]);
            if (!KnownCustomer(customer)) errors.Add(Error($"字段“往来单位”的值“{customer}”不存在，或未审核，或已禁用", "FCONTACTUNIT"));
            if (!KnownCustomer(NumberOf(model[bill.UnitKey]))) errors.Add(Error($"字段“{bill.UnitLabel}”的值不存在，或未审核，或已禁用", bill.UnitKey));
            var org = NumberOf(model["FPAYORGID"]);
            if (org is not null && !Orgs.Contains(org)) errors.Add(Error($"字段“{bill.OrgLabel}”的值“{org}”不存在", "FPAYORGID"));
            var entries = model[bill.EntryKey] as JsonArray ?? [];
            if (entries.Count == 0) errors.Add(Error(bill.EmptyMessage, bill.EntryKey));
            var rows = new List<Dictionary<string, object?>>();
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                if (string.IsNullOrEmpty(NumberOf(e?["FSETTLETYPEID"]))) errors.Add(Error($"第{i + 1}行字段“结算方式”是必填项", "FSETTLETYPEID", i));
                if (string.IsNullOrEmpty(NumberOf(e?["FPURPOSEID"]))) errors.Add(Error($"第{i + 1}行字段“{bill.PurposeLabel}”是必填项", "FPURPOSEID", i));
                if (bill.NoteRequired && string.IsNullOrEmpty(e?["FNOTE"]?.ToString())) errors.Add(Error($"第{i + 1}行字段“备注”是必填项", "FNOTE", i));
                var amount = e?[bill.AmountKey]?.GetValue<decimal>() ?? 0;
                if (amount <= 0) errors.Add(Error($"第{i + 1}行{bill.AmountLabel}必须大于0", bill.AmountKey, i));
                var fields = new List<(string, object?)> { ($"{bill.EntryKey}_FEntryID", _nextId++), ("FSETTLETYPEID.FNumber", NumberOf(e?["FSETTLETYPEID"])),
                    ("FPURPOSEID.FNumber", NumberOf(e?["FPURPOSEID"])), (bill.AmountKey, amount) };
                if (bill.NoteRequired) fields.Add(("FNOTE", e?["FNOTE"]?.ToString()));
                fields.Add(("FACCOUNTID.FNumber", NumberOf(e?["FACCOUNTID"])));
                rows.Add(FakeDoc.Row([.. fields]));
            }
            if (errors.Count > 0) return Status(false, errors);
            var now = Now();
            var doc = new FakeDoc
            {
                ["FID"] = _nextId++, ["FBillNo"] = NextBillNo(bill.BillNoPrefix), ["FDocumentStatus"] = "A", ["FApproveDate"] = null, ["FModifyDate"] = now,
                ["FDate"] = DateTime.TryParse(model["FDATE"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : now.Date,
                ["FBillTypeID.FNumber"] = NumberOf(model["FBillTypeID"]), ["FCONTACTUNITTYPE"] = model["FCONTACTUNITTYPE"]?.ToString(),
                ["FCONTACTUNIT.FNumber"] = customer, [bill.UnitTypeKey] = model[bill.UnitTypeKey]?.ToString(), [bill.UnitKey + ".FNumber"] = NumberOf(model[bill.UnitKey]),
                ["FCURRENCYID.FNumber"] = NumberOf(model["FCURRENCYID"]), ["FSETTLECUR.FNumber"] = NumberOf(model["FSETTLECUR"]),
                ["FPAYORGID.FNumber"] = org, ["FSETTLEORGID.FNumber"] = NumberOf(model["FSETTLEORGID"]), ["FSALEORGID.FNumber"] = NumberOf(model["FSALEORGID"]),
                ["FREMARK"] = model["FREMARK"]?.ToString(),
            };
            if (bill.TotalKey is { } total) doc[total] = rows.Sum(r => (decimal)r[bill.AmountKey]!);
            foreach (var key in bill.Form.Heads["FBillHead"].Where(k => !k.Contains('.') && model[k] is JsonValue && !doc.Header.ContainsKey(k)))
                doc[key] = model[key]!.ToString(); // a custom text field (the receipt or refund reference) as sent
            doc.Entity(bill.EntryKey).AddRange(rows);
            bill.Form.Docs.Add(doc);
            Saves[bill.Form.Id] = Saves.GetValueOrDefault(bill.Form.Id) + 1;
            return Status(true, entities: [Entity(doc)]);
        }
    }

    /// <summary>SAL_RETURNSTOCK Save (see <see cref="ReturnStocks"/>).</summary>
    private JsonNode SaveReturnStock(JsonNode? body)
    {
        var model = body?["data"]?["Model"] as JsonObject;
        if (model is null) return Status(false, [Error("Model不能为空")]);
        lock (_sync)
        {
            var errors = new List<JsonObject>();
            var customer = NumberOf(model["FRetcustId"]);
            if (string.IsNullOrEmpty(customer)) errors.Add(Error("字段“退货客户”是必填项", "FRetcustId"));
            else if (!KnownCustomer(customer)) errors.Add(Error($"字段“退货客户”的值“{customer}”不存在，或未审核，或已禁用", "FRetcustId"));
            foreach (var (key, label) in new[] { ("FSaleOrgId", "销售组织"), ("FStockOrgId", "库存组织") })
            {
                var org = NumberOf(model[key]);
                if (string.IsNullOrEmpty(org)) errors.Add(Error($"字段“{label}”是必填项", key));
                else if (!Orgs.Contains(org)) errors.Add(Error($"字段“{label}”的值“{org}”不存在", key));
            }
            var entries = model["FEntity"] as JsonArray ?? [];
            if (entries.Count == 0) errors.Add(Error("退货明细不能为空", "FEntity"));
            var rows = new List<Dictionary<string, object?>>();
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                var material = NumberOf(e?["FMaterialId"]);
                var known = KnownMaterial(material);
                if (known is null) errors.Add(Error($"第{i + 1}行字段“物料编码”的值“{material}”不存在，或未审核，或已禁用", "FMaterialId", i));
                var qty = e?["FRealQty"]?.GetValue<decimal>() ?? 0;
                if (qty <= 0) errors.Add(Error($"第{i + 1}行实退数量必须大于0", "FRealQty", i));
                if (string.IsNullOrEmpty(NumberOf(e?["FReturnType"]))) errors.Add(Error($"第{i + 1}行字段“退货类型”是必填项", "FReturnType", i));
                rows.Add(FakeDoc.Row(("FEntity_FEntryID", _nextId++), ("FMaterialId.FNumber", material),
                    ("FUnitID.FNumber", NumberOf(e?["FUnitID"]) ?? known?["FBaseUnitId.FNumber"]), ("FRealQty", qty),
                    ("FTaxPrice", e?["FTaxPrice"]?.GetValue<decimal>() ?? 0m), ("FIsFree", e?["FIsFree"]?.GetValue<bool>() ?? false),
                    ("FReturnType.FNumber", NumberOf(e?["FReturnType"])), ("FStockId.FNumber", NumberOf(e?["FStockId"])),
                    ("FStockStatusId.FNumber", NumberOf(e?["FStockStatusId"])), ("FOrderNo", e?["FOrderNo"]?.ToString())));
            }
            if (errors.Count > 0) return Status(false, errors);
            var now = Now();
            var sub = model["SubHeadEntity"] as JsonObject;
            var doc = new FakeDoc
            {
                ["FID"] = _nextId++, ["FBillNo"] = NextBillNo("XSTHD"), ["FDocumentStatus"] = "A", ["FApproveDate"] = null, ["FModifyDate"] = now,
                ["FDate"] = DateTime.TryParse(model["FDate"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : now.Date,
                ["FBillTypeID.FNumber"] = NumberOf(model["FBillTypeID"]), ["FSaleOrgId.FNumber"] = NumberOf(model["FSaleOrgId"]),
                ["FStockOrgId.FNumber"] = NumberOf(model["FStockOrgId"]), ["FRetcustId.FNumber"] = customer,
                ["FReturnReason.FNumber"] = NumberOf(model["FReturnReason"]), ["FHeadNote"] = model["FHeadNote"]?.ToString(),
                ["FSettleCurrId.FNumber"] = NumberOf(sub?["FSettleCurrId"]), ["FSettleOrgId.FNumber"] = NumberOf(sub?["FSettleOrgId"]),
            };
            foreach (var key in ReturnStocks.Heads["FBillHead"].Where(k => !k.Contains('.') && model[k] is JsonValue && !doc.Header.ContainsKey(k)))
                doc[key] = model[key]!.ToString();
            doc.Entity("FEntity").AddRange(rows);
            ReturnStocks.Docs.Add(doc);
            Saves[ReturnStocks.Id] = Saves.GetValueOrDefault(ReturnStocks.Id) + 1;
            return Status(true, entities: [Entity(doc)]);
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

    /// <summary>Base units in one <paramref name="unit"/> of a material: 1 for its base unit (or none), else its conversion (Kingdee refuses a unit without one; the fake counts 0).</summary>
    private decimal ToBase(string? material, string? unit, FakeDoc? known)
    {
        if (unit is null || known is null || Eq(known["FBaseUnitId.FNumber"], unit)) return 1m;
        var rate = UnitConvertRates.Docs.FirstOrDefault(r => Eq(r["FMaterialId.FNumber"], material) && Eq(r["FCurrentUnitId.FNumber"], unit) && Eq(r["FDestUnitId.FNumber"], known["FBaseUnitId.FNumber"]?.ToString()));
        return rate is null ? 0m : Convert.ToDecimal(rate["FConvertNumerator"]) / Convert.ToDecimal(rate["FConvertDenominator"]);
    }

    /// <summary>A material sold in <paramref name="saleUnit"/>, with its conversion to the base unit (numerator/denominator base units per sale unit).</summary>
    public void SetSaleUnit(FakeDoc material, string saleUnit, decimal numerator, decimal denominator = 1)
    {
        lock (_sync)
        {
            material["FSaleUnitId.FNumber"] = saleUnit;
            UnitConvertRates.Docs.Add(new FakeDoc
            {
                ["FUNITCONVERTRATEID"] = NewId(), ["FMaterialId.FNumber"] = material["FNumber"], ["FCurrentUnitId.FNumber"] = saleUnit,
                ["FDestUnitId.FNumber"] = material["FBaseUnitId.FNumber"], ["FConvertNumerator"] = numerator, ["FConvertDenominator"] = denominator,
                ["FForbidStatus"] = "A", ["FDocumentStatus"] = "C",
            });
        }
    }

    public FakeDoc AddCustomer(string number, string name, DateTime modified, string? type = null, string? phone = null,
        string? address = null, decimal creditLimit = 0, decimal receivable = 0, string forbid = "A", string org = Org, string? seller = null)
    {
        var d = new FakeDoc
        {
            ["FCUSTID"] = NewId(), ["FNumber"] = number, ["FName"] = name, ["FTEL"] = phone, ["FADDRESS"] = address,
            ["FCustTypeId.FNumber"] = type, ["FForbidStatus"] = forbid, ["FDocumentStatus"] = "C", ["FModifyDate"] = modified,
            ["FUseOrgId.FNumber"] = org, ["F_ORH_CreditLimit"] = creditLimit, ["F_ORH_Receivable"] = receivable,
            ["FSELLER.FNumber"] = seller, ["FTRADINGCURRID.FNumber"] = "PRE001",
        };
        lock (_sync) Customers.Docs.Add(d);
        return d;
    }

    /// <summary>One STK_Inventory row (a lot / stock status / owner of a material in a warehouse). It has no change date.</summary>
    public FakeDoc AddStock(string material, string stock, decimal qty, string org = Org)
    {
        var d = new FakeDoc
        {
            ["FID"] = Guid.NewGuid().ToString(), ["FMaterialId.FNumber"] = material, ["FStockId.FNumber"] = stock,
            ["FStockOrgId.FNumber"] = org, ["FBaseQty"] = qty, ["FQty"] = qty, ["FStockStatusId.FNumber"] = "KCZT01_SYS",
        };
        lock (_sync) Inventory.Docs.Add(d);
        return d;
    }

    /// <summary>Kingdee's default 失效日 of a new price list.</summary>
    public static readonly DateTime NoExpiry = new(2100, 1, 1);
    public static readonly DateTime LongAgo = new(2020, 1, 1);

    /// <summary>
    /// A sale price list: price lines in FEntity (valid over the list's dates, audited rows), the customers or customer
    /// types it is limited to in FEntity2 (FLimitCustomer '1' / '2'), the salesmen in FEntity1 (FLimitSalesMan '1').
    /// </summary>
    public FakeDoc AddPriceList(string number, DateTime modified, IEnumerable<(string Material, decimal Price, decimal FromQty)> entries,
        IEnumerable<string>? customers = null, IEnumerable<string>? customerTypes = null, IEnumerable<string>? salesmen = null,
        string status = "C", string forbid = "A", DateTime? effective = null, DateTime? expiry = null, bool includedTax = true,
        string currency = "PRE001")
    {
        var cust = customers?.ToList() ?? [];
        var types = customerTypes?.ToList() ?? [];
        var salers = salesmen?.ToList() ?? [];
        var d = new FakeDoc
        {
            ["FID"] = NewId(), ["FNumber"] = number, ["FName"] = number, ["FCurrencyId.FNumber"] = currency,
            ["FDocumentStatus"] = status, ["FForbidStatus"] = forbid, ["FModifyDate"] = modified,
            ["FEffectiveDate"] = effective ?? LongAgo, ["FExpiryDate"] = expiry ?? NoExpiry, ["FIsIncludedTax"] = includedTax,
            ["FLimitCustomer"] = cust.Count > 0 ? "1" : types.Count > 0 ? "2" : "", ["FLimitSalesMan"] = salers.Count > 0 ? "1" : "",
            ["FPriceObject"] = "A",
        };
        foreach (var (m, p, q) in entries)
            d.Entity("FEntity").Add(FakeDoc.Row(("FEntity_FEntryID", NewId()), ("FMaterialId.FNumber", m),
                ("FPrice", p), ("FFromQty", q), ("FToQty", 0m), ("FEntryEffectiveDate", effective ?? LongAgo),
                ("FEntryExpiryDate", expiry ?? NoExpiry), ("FRowAuditStatus", "A"), ("FEntryForbidStatus", "A")));
        foreach (var c in cust) d.Entity("FEntity2").Add(FakeDoc.Row(("FEntity2_FEntryID", NewId()), ("FCustId.FNumber", c), ("FCustTypeId.FNumber", null)));
        foreach (var t in types) d.Entity("FEntity2").Add(FakeDoc.Row(("FEntity2_FEntryID", NewId()), ("FCustId.FNumber", null), ("FCustTypeId.FNumber", t)));
        foreach (var s in salers) d.Entity("FEntity1").Add(FakeDoc.Row(("FEntity1_FEntryID", NewId()), ("FSalerId.FNumber", s)));
        lock (_sync) PriceLists.Docs.Add(d);
        return d;
    }

    public FakeDoc AddReceiveBill(string billNo, string customer, decimal amount, DateTime date, DateTime? approved, string? remark = null,
        string contactType = "BD_Customer", string currency = "PRE001")
    {
        var d = new FakeDoc
        {
            ["FID"] = NewId(), ["FBillNo"] = billNo, ["FDate"] = date, ["FCONTACTUNIT.FNumber"] = customer,
            ["FCONTACTUNITTYPE"] = contactType, ["FREALRECAMOUNTFOR"] = amount, ["FREMARK"] = remark, ["FCURRENCYID.FNumber"] = currency,
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

    /// <summary>
    /// ERP-side: a sales outbound document (销售出库单, SAL_OUTSTOCK) pushed down from the order, one line per order line
    /// with FRealQty, linked by FSoorDerno (the order's bill number) and FSOEntryId. Audited (C, FApproveDate = now)
    /// unless <paramref name="audited"/> is false. Nothing on the sales order itself changes: no date, no close status.
    /// </summary>
    public FakeDoc OutStock(string billNo, decimal[] perLine, bool audited = true)
    {
        lock (_sync)
        {
            var order = Order(billNo);
            var lines = order.Entity("FSaleOrderEntry");
            var now = Now();
            var d = new FakeDoc
            {
                ["FID"] = _nextId++, ["FBillNo"] = $"XSCKD{_nextOutNo++:000000}", ["FDate"] = now.Date,
                ["FSaleOrgId.FNumber"] = order["FSaleOrgId.FNumber"], ["FStockOrgId.FNumber"] = order["FSaleOrgId.FNumber"],
                ["FCustomerID.FNumber"] = order["FCustId.FNumber"], ["FDocumentStatus"] = audited ? "C" : "A",
                ["FApproveDate"] = audited ? now : null, ["FModifyDate"] = now, ["FCancelStatus"] = "A",
            };
            for (var i = 0; i < perLine.Length && i < lines.Count; i++)
            {
                if (perLine[i] == 0) continue;
                if (audited) lines[i]["FBaseStockOutQty"] = (decimal)lines[i]["FBaseStockOutQty"]! + perLine[i];
                d.Entity("FEntity").Add(FakeDoc.Row(("FEntity_FEntryID", _nextId++), ("FMaterialID.FNumber", lines[i]["FMaterialId.FNumber"]),
                    ("FRealQty", perLine[i]), ("FStockID.FNumber", lines[i]["FSOStockId.FNumber"]), ("FIsFree", false),
                    ("FSoorDerno", billNo), ("FSOEntryId", lines[i]["FSaleOrderEntry_FEntryID"])));
            }
            OutStocks.Docs.Add(d);
            return d;
        }
    }

    public FakeDoc OutStock(string billNo, params decimal[] perLine) => OutStock(billNo, perLine, audited: true);

    /// <summary>ERP-side: audits an outbound document now.</summary>
    public void AuditOutStock(FakeDoc outStock)
    {
        lock (_sync)
        {
            outStock["FDocumentStatus"] = "C"; outStock["FApproveDate"] = Now(); outStock["FModifyDate"] = Now();
            foreach (var line in outStock.Entity("FEntity"))
                foreach (var order in SaleOrders.Docs)
                    foreach (var ol in order.Entity("FSaleOrderEntry").Where(l => Equals(l["FSaleOrderEntry_FEntryID"], line["FSOEntryId"])))
                        ol["FBaseStockOutQty"] = (decimal)ol["FBaseStockOutQty"]! + (decimal)line["FRealQty"]!;
        }
    }

    /// <summary>ERP-side: an audited delivery notice (发货通知单, SAL_DELIVERYNOTICE) for the order's lines.</summary>
    public FakeDoc DeliveryNotice(string billNo, params decimal[] perLine)
    {
        lock (_sync)
        {
            var order = Order(billNo);
            var lines = order.Entity("FSaleOrderEntry");
            var now = Now();
            var d = new FakeDoc
            {
                ["FID"] = _nextId++, ["FBillNo"] = $"FHTZD{_nextOutNo++:000000}", ["FDate"] = now.Date,
                ["FSaleOrgId.FNumber"] = order["FSaleOrgId.FNumber"], ["FCustomerID.FNumber"] = order["FCustId.FNumber"],
                ["FDocumentStatus"] = "C", ["FApproveDate"] = now, ["FModifyDate"] = now, ["FCancelStatus"] = "A",
            };
            for (var i = 0; i < perLine.Length && i < lines.Count; i++)
            {
                lines[i]["FBaseDeliQty"] = (decimal)lines[i]["FBaseDeliQty"]! + perLine[i];
                d.Entity("FEntity").Add(FakeDoc.Row(("FEntity_FEntryID", _nextId++), ("FMaterialID.FNumber", lines[i]["FMaterialId.FNumber"]),
                    ("FQty", perLine[i]), ("FOrderNo", billNo), ("FSOEntryId", lines[i]["FSaleOrderEntry_FEntryID"])));
            }
            DeliveryNotices.Docs.Add(d);
            return d;
        }
    }

    public void Close(string billNo) { lock (_sync) { var d = Order(billNo); d["FCloseStatus"] = "B"; d["FCloseDate"] = Now(); } }

    public void Void(string billNo) { lock (_sync) { var d = Order(billNo); d["FCancelStatus"] = "B"; d["FCancelDate"] = Now(); } }

    /// <summary>ERP-side 反审核: C → D (重新审核).</summary>
    public void UnAudit(string billNo) { lock (_sync) { var d = Order(billNo); d["FDocumentStatus"] = "D"; d["FModifyDate"] = Now(); } }
}

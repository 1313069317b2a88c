namespace OrderHub.Erp.Kingdee;

/// <summary>
/// The parts of the Kingdee K/3 Cloud WebAPI this adapter uses. Facts marked [published] were checked against
/// public Kingdee WebAPI material (Kingdee's SDK samples and docs as quoted in public SDK ports and integration
/// code); facts marked [assumed] are our best reading and must be verified against a real data centre.
/// </summary>
internal static class KingdeeProtocol
{
    // [published] Every call is an HTTP POST of JSON to {ServerUrl}{stub}.common.kdsvc.
    public const string ValidateUser = "Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc";
    public const string LoginByAppSecret = "Kingdee.BOS.WebApi.ServicesStub.AuthService.LoginByAppSecret.common.kdsvc";
    public const string ExecuteBillQuery = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc";
    public const string Save = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc";
    public const string Submit = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Submit.common.kdsvc";
    public const string Audit = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Audit.common.kdsvc";
    // [published in community SDKs / tooling] QueryBusinessInfo {"data":{"FormId":F}} → Result.NeedReturnData
    // {Id, Entrys:[{Key, EntryPkFieldName, Fields:[{Key, MustInput, …}]}]}: the form's metadata as this data centre has it.
    public const string QueryBusinessInfo = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.QueryBusinessInfo.common.kdsvc";

    // [published] Login bodies: {"acctID","username","password","lcid"} / {"acctID","username","appId","appSecret","lcid"}.
    // The answer has LoginResultType (1 = success, 0 = wrong password, -1 = failure), KDSVCSessionId and Context;
    // the session travels as the cookie kdservice-sessionid set by the login response, beside ASP.NET_SessionId and, behind
    // a load balancer, the balancer's own cookies: the client sends back every cookie it was given (issue #22).
    public const string SessionCookie = "kdservice-sessionid";
    public const int LoginSuccess = 1;

    // [published] An expired or unknown session answers HTTP 200 with
    // {"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,"Errors":[{"Message":"会话信息已丢失，请重新登录"}],"MsgCode":1}}}
    // (wrapped as [[ ... ]] by ExecuteBillQuery).
    public const string SessionLostMessage = "会话信息已丢失";
    public const int SessionLostMsgCode = 1;

    // [published] Form ids.
    public const string Material = "BD_MATERIAL";
    public const string Inventory = "STK_Inventory";
    public const string SalePriceList = "BD_SAL_PriceList";
    public const string Customer = "BD_Customer";
    /// <summary>单位换算 (material unit conversions) [assumed form id and keys; check with QueryBusinessInfo].</summary>
    public const string UnitConvertRate = "BD_UNITCONVERTRATE";
    public const string SaleOrder = "SAL_SaleOrder";
    public const string ReceiveBill = "AR_RECEIVEBILL";
    /// <summary>收款退款单 (receivable refund bill).</summary>
    public const string RefundBill = "AR_REFUNDBILL";
    public const string OutStock = "SAL_OUTSTOCK";
    public const string DeliveryNotice = "SAL_DELIVERYNOTICE";
    public const string ReturnStock = "SAL_RETURNSTOCK";

    // [published in public integration code] AR_RECEIVEBILL entry FPURPOSEID (收付款用途): SFKYT01_SYS 销售收款,
    // SFKYT02_SYS 预收款; the contact unit type of a customer is its form id BD_Customer.
    public const string PurposeSale = "SFKYT01_SYS";
    public const string PurposeAdvance = "SFKYT02_SYS";
    // [published in a public SAL_RETURNSTOCK Save sample] entry FReturnType THLX01_SYS (退货), FStockStatusID KCZT01_SYS (可用).
    public const string ReturnTypeReturn = "THLX01_SYS";
    public const string StockStatusAvailable = "KCZT01_SYS";

    // [published] Document status FDocumentStatus: Z 暂存, A 创建, B 审核中, C 已审核, D 重新审核.
    // Forbid status FForbidStatus: A 启用 (enabled), B 禁用 (forbidden).
    // [published] SAL_SaleOrder FCloseStatus and FCancelStatus: A = open / not voided, B = closed / voided.
    public const string Audited = "C";
    public const string Enabled = "A";
    public const string Closed = "B";
    public const string Voided = "B";
    public const string Submitted = "B";
    public const string Created = "A";
    public const string ReAudit = "D";
    // [community plug-in SQL over T_SAL_PRICELISTENTRY: "frowauditstatus = 'A'"] a price line's row audit status A = audited.
    public const string RowAudited = "A";
    // [community plug-in SQL over T_SAL_PRICELIST] FLimitCustomer: '' / '0' none, '1' customers, '2' customer types
    // (客户类别); FLimitSalesMan '1' = limited to the salesmen of FEntity1.
    public const string LimitToCustomers = "1";
    public const string LimitToCustomerTypes = "2";
}

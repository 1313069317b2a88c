using System.Text.Json.Nodes;
using static OrderHub.Erp.Kingdee.KingdeeProtocol;

namespace OrderHub.Erp.Kingdee;

/// <summary>
/// Refunds (收款退款单, AR_REFUNDBILL) for money OrderHub paid back: Save + Submit + Audit, as receipts, with OrderHub's
/// refund number (out_refund_no) in <see cref="KingdeeOptions.RefundReferenceField"/>; found by that field first, so a
/// retry never makes a second one. The settlement type is the receipt's (<see cref="KingdeeOptions.ReceiptSettleTypes"/>).
/// </summary>
public sealed partial class KingdeeErpAdapter
{
    // [published: public Java/C# integration DTOs of AR_REFUNDBILL Save] header FBillTypeID, FDATE (必填), FCONTACTUNITTYPE,
    // FCONTACTUNIT (往来单位, 必填), FRECTUNITTYPE, FRECTUNIT (收款单位, 必填), FCURRENCYID (必填), FSETTLECUR (结算币别, 必填),
    // FPAYORGID (付款组织), FSETTLEORGID, FSALEORGID, FREMARK; entries FREFUNDBILLENTRY [{FSETTLETYPEID, FPURPOSEID,
    // FREFUNDAMOUNTFOR (应退金额, 必填), FNOTE (必填), FACCOUNTID}].
    internal static readonly string[] RefundHeaderKeys =
        ["FBillTypeID", "FDATE", "FCONTACTUNITTYPE", "FCONTACTUNIT", "FRECTUNITTYPE", "FRECTUNIT", "FCURRENCYID", "FSETTLECUR",
         "FPAYORGID", "FSETTLEORGID", "FSALEORGID", "FREMARK"];
    internal static readonly string[] RefundEntryKeys = ["FSETTLETYPEID", "FPURPOSEID", "FREFUNDAMOUNTFOR", "FNOTE"];
    internal const string RefundEntry = "FREFUNDBILLENTRY";

    public async Task<ErpRefundRef?> FindRefundAsync(string refundNumber, CancellationToken ct)
    {
        if (!_o.WriteRefunds) throw new ErpRefundsNotSupportedException(Name);
        var billNo = await FindAndCompleteAsync(RefundBill, _o.RefundReferenceField, refundNumber, "Refund", ct).ConfigureAwait(false);
        return billNo is null ? null : new ErpRefundRef(billNo, refundNumber);
    }

    public async Task<ErpRefundRef> PushRefundAsync(ErpRefund r, CancellationToken ct)
    {
        if (!_o.WriteRefunds) throw new ErpRefundsNotSupportedException(Name);
        if (r.AmountFen <= 0) throw new ErpRejectedException($"Refund {r.RefundNumber} has no positive amount.");
        var settleType = _o.ReceiptSettleTypes.TryGetValue(r.Method, out var st) && !string.IsNullOrWhiteSpace(st) ? st
            : throw new ErpRejectedException($"Refund {r.RefundNumber}: no settlement type for method {r.Method} (Erp:Kingdee:ReceiptSettleTypes).");
        var note = r.Note ?? $"OrderHub 退款 {r.RefundNumber}";
        var entry = new JsonObject
        {
            ["FSETTLETYPEID"] = Num(settleType),
            ["FPURPOSEID"] = Num(r.Purpose == ErpReceiptPurpose.Advance ? PurposeAdvance : PurposeSale),
            ["FREFUNDAMOUNTFOR"] = ErpMoney.ToYuan(r.AmountFen),
            ["FNOTE"] = note,
        };
        if (_o.ReceiptAccountNumber is { Length: > 0 } account) entry["FACCOUNTID"] = Num(account);
        var model = new JsonObject
        {
            ["FID"] = 0,
            ["FBillTypeID"] = new JsonObject { ["FNUMBER"] = _o.RefundBillType },
            ["FDATE"] = r.RefundedAt.ToOffset(_o.ServerUtcOffset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["FCONTACTUNITTYPE"] = Customer,
            ["FCONTACTUNIT"] = Num(r.CustomerCode),
            ["FRECTUNITTYPE"] = Customer,
            ["FRECTUNIT"] = Num(r.CustomerCode),
            ["FCURRENCYID"] = Num(_o.SettleCurrencyNumber),
            ["FSETTLECUR"] = Num(_o.SettleCurrencyNumber),
            ["FPAYORGID"] = Num(_o.OrgNumber),
            ["FSETTLEORGID"] = Num(_o.OrgNumber),
            ["FSALEORGID"] = Num(_o.OrgNumber),
        };
        if (!string.Equals(_o.RefundReferenceField, "FREMARK", StringComparison.OrdinalIgnoreCase)) model["FREMARK"] = note;
        model[_o.RefundReferenceField] = r.RefundNumber;
        model[RefundEntry] = new JsonArray(entry);

        var billNo = await SaveSubmitAuditAsync(RefundBill, model, "Refund", r.RefundNumber, ct).ConfigureAwait(false);
        return new ErpRefundRef(billNo, r.RefundNumber);
    }
}

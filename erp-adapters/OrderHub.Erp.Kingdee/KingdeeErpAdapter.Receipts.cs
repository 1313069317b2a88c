using System.Text.Json.Nodes;
using static OrderHub.Erp.Kingdee.KingdeeProtocol;

namespace OrderHub.Erp.Kingdee;

/// <summary>
/// Receipts (收款单, AR_RECEIVEBILL) for money OrderHub took: Save + Submit + Audit, as for sales orders, with OrderHub's
/// receipt number in <see cref="KingdeeOptions.ReceiptReferenceField"/>; the payments pull reads that field back as
/// <see cref="ErpPayment.SourceReference"/>, so the audited receipt is matched to the payment, not booked a second time.
/// </summary>
public sealed partial class KingdeeErpAdapter
{
    internal static readonly string[] FindReceiptFields = ["FID", "FBillNo", "FDocumentStatus"];

    // [published: node-k3cloud receiveBillSave.js, public Java integration DTOs] AR_RECEIVEBILL Save model: FBillTypeID,
    // FDATE, FCONTACTUNITTYPE/FCONTACTUNIT, FPAYUNITTYPE/FPAYUNIT, FCURRENCYID, FSETTLECUR, FPAYORGID, FSETTLEORGID,
    // FSALEORGID, FREMARK; entries FRECEIVEBILLENTRY [{FSETTLETYPEID, FPURPOSEID, FRECTOTALAMOUNTFOR, FACCOUNTID}].
    internal static readonly string[] ReceiptHeaderKeys =
        ["FBillTypeID", "FDATE", "FCONTACTUNITTYPE", "FCONTACTUNIT", "FPAYUNITTYPE", "FPAYUNIT", "FCURRENCYID", "FSETTLECUR",
         "FPAYORGID", "FSETTLEORGID", "FSALEORGID", "FREMARK"];
    internal static readonly string[] ReceiptEntryKeys = ["FSETTLETYPEID", "FPURPOSEID", "FRECTOTALAMOUNTFOR"];
    internal const string ReceiptEntry = "FRECEIVEBILLENTRY";

    public async Task<ErpReceiptRef?> FindReceiptAsync(string receiptNumber, CancellationToken ct)
    {
        if (!_o.WriteReceipts) throw new ErpReceiptsNotSupportedException(Name);
        var billNo = await FindAndCompleteAsync(ReceiveBill, _o.ReceiptReferenceField, receiptNumber, "Receipt", ct).ConfigureAwait(false);
        return billNo is null ? null : new ErpReceiptRef(billNo, receiptNumber);
    }

    public async Task<ErpReceiptRef> PushReceiptAsync(ErpReceipt r, CancellationToken ct)
    {
        if (!_o.WriteReceipts) throw new ErpReceiptsNotSupportedException(Name);
        if (r.AmountFen <= 0) throw new ErpRejectedException($"Receipt {r.ReceiptNumber} has no positive amount.");
        var settleType = _o.ReceiptSettleTypes.TryGetValue(r.Method, out var st) && !string.IsNullOrWhiteSpace(st) ? st
            : throw new ErpRejectedException($"Receipt {r.ReceiptNumber}: no settlement type for method {r.Method} (Erp:Kingdee:ReceiptSettleTypes).");
        var entry = new JsonObject
        {
            ["FSETTLETYPEID"] = Num(settleType),
            ["FPURPOSEID"] = Num(r.Purpose == ErpReceiptPurpose.Advance ? PurposeAdvance : PurposeSale),
            ["FRECTOTALAMOUNTFOR"] = ErpMoney.ToYuan(r.AmountFen),
        };
        if (_o.ReceiptAccountNumber is { Length: > 0 } account) entry["FACCOUNTID"] = Num(account);
        var model = new JsonObject
        {
            ["FID"] = 0,
            ["FBillTypeID"] = new JsonObject { ["FNUMBER"] = _o.ReceiptBillType },
            ["FDATE"] = r.ReceivedAt.ToOffset(_o.ServerUtcOffset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["FCONTACTUNITTYPE"] = Customer,
            ["FCONTACTUNIT"] = Num(r.CustomerCode),
            ["FPAYUNITTYPE"] = Customer,
            ["FPAYUNIT"] = Num(r.CustomerCode),
            ["FCURRENCYID"] = Num(_o.SettleCurrencyNumber),
            ["FSETTLECUR"] = Num(_o.SettleCurrencyNumber),
            ["FPAYORGID"] = Num(_o.OrgNumber),
            ["FSETTLEORGID"] = Num(_o.OrgNumber),
            ["FSALEORGID"] = Num(_o.OrgNumber),
        };
        if (!string.Equals(_o.ReceiptReferenceField, "FREMARK", StringComparison.OrdinalIgnoreCase) && r.Note is { Length: > 0 } note) model["FREMARK"] = note;
        model[_o.ReceiptReferenceField] = r.ReceiptNumber;
        model[ReceiptEntry] = new JsonArray(entry);

        var billNo = await SaveSubmitAuditAsync(ReceiveBill, model, "Receipt", r.ReceiptNumber, ct).ConfigureAwait(false);
        return new ErpReceiptRef(billNo, r.ReceiptNumber);
    }

    // ================================================================= shared by receipts and returns

    /// <summary>
    /// Finds the document of <paramref name="formId"/> whose <paramref name="referenceField"/> is <paramref name="number"/>;
    /// one an interrupted push left saved (A, D) is submitted and audited, a submitted one (B) audited.
    /// </summary>
    private async Task<string?> FindAndCompleteAsync(string formId, string referenceField, string number, string what, CancellationToken ct)
    {
        var rows = await _client.ExecuteBillQueryAsync(new KingdeeBillQuery(formId, FindReceiptFields,
            $"{referenceField} = {Q(number)}", "FID ASC", 0, 10), ct).ConfigureAwait(false);
        if (rows.Count == 0) return null;
        var billNo = rows[0].GetString("FBillNo")!;
        if (_o.CompleteInterruptedPushOnFind)
        {
            switch (rows[0].GetString("FDocumentStatus"))
            {
                case Created or ReAudit: await SubmitAuditAsync(formId, what, number, billNo, submit: true, ct).ConfigureAwait(false); break;
                case Submitted: await SubmitAuditAsync(formId, what, number, billNo, submit: false, ct).ConfigureAwait(false); break;
            }
        }
        return billNo;
    }

    private async Task<string> SaveSubmitAuditAsync(string formId, JsonObject model, string what, string number, CancellationToken ct)
    {
        var saved = await _client.SaveAsync(formId, model, ct).ConfigureAwait(false);
        var billNo = saved.SuccessEntities.FirstOrDefault()?.Number;
        if (string.IsNullOrEmpty(billNo))
            throw new ErpUnavailableException($"Kingdee saved {what.ToLowerInvariant()} {number} but returned no bill number.");
        await SubmitAuditAsync(formId, what, number, billNo, submit: true, ct).ConfigureAwait(false);
        return billNo;
    }

    private async Task SubmitAuditAsync(string formId, string what, string number, string billNo, bool submit, CancellationToken ct)
    {
        try
        {
            if (submit) await _client.SubmitAsync(formId, [billNo], ct).ConfigureAwait(false);
            await _client.AuditAsync(formId, [billNo], ct).ConfigureAwait(false);
        }
        catch (ErpRejectedException e)
        {
            throw new ErpRejectedException($"{what} {number} was saved in Kingdee as {billNo}, but it was not {(submit ? "submitted/audited" : "audited")}. {e.Message}", e);
        }
    }
}

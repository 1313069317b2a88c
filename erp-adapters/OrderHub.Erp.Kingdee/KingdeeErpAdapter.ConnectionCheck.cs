namespace OrderHub.Erp.Kingdee;

/// <summary>
/// The go-live connection check (console 上线检查 → 测试连接): signs in through <see cref="VerifySchemaAsync"/>, which asks the
/// data centre for the metadata of every form the adapter uses and names each field key it lacks, so a data centre's
/// variant fails loudly at go-live rather than at the first pull.
/// </summary>
public sealed partial class KingdeeErpAdapter : IErpConnectionCheck
{
    public async Task<ErpConnectionReport> CheckConnectionAsync(CancellationToken ct)
    {
        var problems = await VerifySchemaAsync(ct).ConfigureAwait(false);
        return new ErpConnectionReport(Name, _o.Username, $"{_o.AcctId} / {_o.OrgNumber}", _o.SettleCurrencyNumber, [],
            "the customers of sales organisation " + _o.OrgNumber, 0, 0, problems);
    }
}

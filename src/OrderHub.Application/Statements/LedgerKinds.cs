namespace OrderHub.Application.Statements;

/// <summary>The kinds of ledger entries (往来账) and how a statement names them.</summary>
public static class LedgerKinds
{
    public const string Opening = "opening";
    public const string Order = "order";
    public const string Payment = "payment";
    public const string Return = "return";
    public const string Credit = "credit";
    public const string Adjustment = "adjustment";
    /// <summary>Money given back by WeChat Pay (positive: the store was paid back what it had paid).</summary>
    public const string Refund = "refund";

    public static readonly string[] All = [Opening, Order, Payment, Return, Credit, Adjustment, Refund];

    /// <summary>Kinds finance records through the credits endpoint (always reduce what the store owes).</summary>
    public static readonly string[] CreditKinds = [Return, Credit, Adjustment];

    /// <summary>期初 / 订单 / 收款 / 退货 / 贷项 / 调整 / 退款.</summary>
    public static string Label(string kind) => kind switch
    {
        Opening => "期初",
        Order => "订单",
        Payment => "收款",
        Return => "退货",
        Credit => "贷项",
        Adjustment => "调整",
        Refund => "退款",
        _ => kind,
    };
}

/// <summary>How a store paid. Stored as the label in front of the entry's note ("【银行转账】…"), since the ledger has no method column.</summary>
public static class PaymentMethods
{
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["bank_transfer"] = "银行转账",
        ["cash"] = "现金",
        ["wechat"] = "微信",
        ["alipay"] = "支付宝",
        ["cheque"] = "支票",
        ["acceptance"] = "承兑汇票",
        ["other"] = "其他",
    };

    public static bool IsKnown(string? code) => code is not null && Labels.ContainsKey(code);

    /// <summary>"【银行转账】note" (or just "【银行转账】").</summary>
    public static string ComposeNote(string method, string? note) => $"【{Labels[method]}】{note}";

    /// <summary>Splits a payment note back into its method code and the free note.</summary>
    public static (string? Method, string? Note) SplitNote(string? stored)
    {
        if (stored is null || !stored.StartsWith('【')) return (null, stored);
        var end = stored.IndexOf('】');
        if (end < 0) return (null, stored);
        var label = stored[1..end];
        var code = Labels.FirstOrDefault(x => x.Value == label).Key;
        if (code is null) return (null, stored);
        var rest = stored[(end + 1)..];
        return (code, rest.Length == 0 ? null : rest);
    }
}

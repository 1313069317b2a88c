using OrderHub.Erp.Tryton.Feeds;
using OrderHub.Erp.Tryton.Rpc;
using static OrderHub.Erp.Tryton.Rpc.TrytonModelCalls;

namespace OrderHub.Erp.Tryton.Pullers;

/// <summary>
/// Payments: Tryton 6.0 (without account_payment/account_statement) has no payment document; a customer payment is
/// a posted move in a <c>cash</c> journal crediting the party's receivable account (what the invoice "Pay" wizard
/// or a manual cash entry writes). Each such move line is one payment, reference <c>aml:&lt;line id&gt;</c>,
/// paid at the move's date (midnight UTC). Feed key: the move line id.
/// </summary>
internal sealed class PaymentPuller
{
    private static readonly object?[] PaymentLines =
    [
        D("account.type.receivable", "=", true),
        D("credit", ">", 0m),
        D("party.code", "!=", null),
        D("move.journal.type", "=", "cash"),
        D("move.state", "=", "posted"),
    ];

    private readonly TrytonJsonRpcClient _rpc;
    private readonly IErpDataIssues _issues;
    private readonly ChangeFeed _feed;

    public PaymentPuller(TrytonJsonRpcClient rpc, TrytonOptions options, IErpDataIssues issues)
    {
        (_rpc, _issues) = (rpc, issues);
        _feed = new ChangeFeed(rpc, AllKeysAsync,
        [
            new ChangeSource("account.move.line", [.. PaymentLines], [], ChangeFeed.KeyFromField("id")),
            // Posting writes the move, not its lines.
            new ChangeSource("account.move", [D("journal.type", "=", "cash"), D("state", "=", "posted")], ["lines"],
                (moves, _) => Task.FromResult(moves.SelectMany(m => m.Ids("lines").Select(l => (l.ToString(), m.ChangedAt))))),
        ], options.PageSize);
    }

    public async Task<ErpPage<ErpPayment>> PullAsync(string? cursor, CancellationToken ct)
    {
        var page = await _feed.NextAsync(cursor, ct);
        var ids = page.Keys.Select(k => int.Parse(k.Key)).ToList();
        // Keys from moves include every line of the move; keep the receivable credit lines.
        var paymentIds = ids.Count == 0 ? [] : await _rpc.SearchAsync("account.move.line", [.. PaymentLines, D("id", "in", ids)], ct);
        var lines = await _rpc.ReadAsync("account.move.line", paymentIds, ["party", "credit", "debit", "date", "description"], ct);
        var parties = (await _rpc.ReadAsync("party.party", lines.Select(l => l.Int("party")).Distinct().ToList(), ["code"], ct, ChangeFeed.InactiveToo))
            .ToDictionary(p => p.Id, p => p.String("code")!);
        var items = lines.Select(l =>
        {
            var date = l.Raw("date") is DateOnly d ? d : DateOnly.MinValue;
            return new ErpPayment($"aml:{l.Id}", parties[l.Int("party")],
                ErpMoney.ToFen((l.DecimalOrNull("credit") ?? 0m) - (l.DecimalOrNull("debit") ?? 0m), SubFenPolicy.Round, _issues, "Payments", $"aml:{l.Id}", "amount"),
                new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), l.String("description"),
                // a person posting an online payment types OrderHub's receipt number as the line's description: linked, not booked twice
                SourceReference: l.String("description")?.Trim());
        }).ToList();
        return new ErpPage<ErpPayment>(items, page.NextCursor, page.HasMore);
    }

    private async Task<IEnumerable<string>> AllKeysAsync(CancellationToken ct) =>
        (await _rpc.SearchAsync("account.move.line", [.. PaymentLines], ct)).Select(id => id.ToString());
}

using Dapper;
using OrderHub.Application.Data;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Statements;

public sealed record StatementCustomer
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
}

/// <summary>One statement line: debit (借方) raises what the store owes, credit (贷方) lowers it; Balance is after this line.</summary>
public sealed record StatementLine(
    long EntryId, DateOnly Date, long OccurredAtMs, string Kind, string KindText, string? Reference, string? Note,
    long DebitFen, long CreditFen, long BalanceFen);

/// <summary>A period statement (对账单): opening balance, the period's entries in order, closing = opening + Σ lines.</summary>
public sealed record Statement(
    StatementCustomer Customer, StatementPeriod Period, long OpeningFen, IReadOnlyList<StatementLine> Lines,
    long DebitTotalFen, long CreditTotalFen, long ClosingFen, long GeneratedAtMs);

/// <summary>Period statements for one customer, on Asia/Shanghai calendar days.</summary>
public sealed class StatementService(Db db, TimeProvider clock)
{
    /// <summary>The statement, or null when the customer does not exist.</summary>
    public async Task<Statement?> GetAsync(long customerId, StatementPeriod period, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var customer = await c.QuerySingleOrDefaultAsync<StatementCustomer>(
            "SELECT id AS Id, code AS Code, name AS Name FROM customers WHERE id = @customerId", new { customerId });
        if (customer is null) return null;

        var args = new { customerId, start = period.StartMs, end = period.EndMs };
        var opening = await c.ExecuteScalarAsync<long>(
            "SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id = @customerId AND occurred_at < @start", args);
        var entries = await c.QueryAsync<LedgerEntry>($"""
            SELECT {LedgerService.Columns} FROM ledger_entries
            WHERE customer_id = @customerId AND occurred_at >= @start AND occurred_at < @end
            ORDER BY occurred_at, id
            """, args);

        var balance = opening;
        long debit = 0, credit = 0;
        var lines = new List<StatementLine>();
        foreach (var e in entries)
        {
            balance += e.AmountFen;
            var d = e.AmountFen > 0 ? e.AmountFen : 0;
            var cr = e.AmountFen < 0 ? -e.AmountFen : 0;
            debit += d;
            credit += cr;
            lines.Add(new StatementLine(e.Id, DateOnly.FromDateTime(ShanghaiTime.FromUnixMs(e.OccurredAtMs).DateTime), e.OccurredAtMs,
                e.Kind, LedgerKinds.Label(e.Kind), e.Reference, e.Note, d, cr, balance));
        }
        return new Statement(customer, period, opening, lines, debit, credit, balance, clock.GetUtcNow().ToUnixTimeMilliseconds());
    }
}

namespace OrderHub.Domain.Insight;

/// <summary>What a customer owes, by the age of the debits still open: 0–30, 31–60, 61–90 and over 90 days.</summary>
public sealed record AgeingBuckets(long Days0To30Fen, long Days31To60Fen, long Days61To90Fen, long Over90Fen)
{
    public static readonly AgeingBuckets Zero = new(0, 0, 0, 0);
    public long TotalFen => Days0To30Fen + Days31To60Fen + Days61To90Fen + Over90Fen;
    public AgeingBuckets Plus(AgeingBuckets b) =>
        new(Days0To30Fen + b.Days0To30Fen, Days31To60Fen + b.Days31To60Fen, Days61To90Fen + b.Days61To90Fen, Over90Fen + b.Over90Fen);
}

/// <summary>One ledger movement for ageing: its Shanghai date and amount (&gt; 0 debit, &lt; 0 payment/return/credit).</summary>
public readonly record struct LedgerMovement(DateOnly Day, long AmountFen);

/// <summary>
/// Receivables ageing (应收账龄) with FIFO settlement: payments and credits settle the oldest debits first, whenever they
/// were made, so what stays open is always the newest debits. The age of a debit is the number of Shanghai calendar days
/// from its date to the as-of date (0–30 → first bucket).
/// </summary>
public static class ReceivableAgeing
{
    /// <summary>The last age (days) of each bucket but the open-ended last one.</summary>
    public static readonly int[] Bounds = [30, 60, 90];

    /// <summary>The first day a debit dated on it still falls in bucket i (0, 1, 2) as of <paramref name="asOf"/>.</summary>
    public static DateOnly BucketStart(DateOnly asOf, int bucket) => asOf.AddDays(-Bounds[bucket]);

    /// <summary>FIFO ageing from every movement of one ledger.</summary>
    /// <returns>The open debits by age, and the unapplied credit when the customer has paid more than it owes.</returns>
    public static (AgeingBuckets Buckets, long CreditFen) Fifo(IEnumerable<LedgerMovement> movements, DateOnly asOf)
    {
        var list = movements.ToList();
        var credits = -list.Where(m => m.AmountFen < 0).Sum(m => m.AmountFen);
        var open = new long[4];
        foreach (var debit in list.Where(m => m.AmountFen > 0).OrderBy(m => m.Day))
        {
            var settled = Math.Min(credits, debit.AmountFen);
            credits -= settled;
            open[BucketOf(ReportCalendar.DaysBetween(debit.Day, asOf))] += debit.AmountFen - settled;
        }
        return (new AgeingBuckets(open[0], open[1], open[2], open[3]), credits);
    }

    /// <summary>
    /// The same result from totals a single SQL aggregate gives: the balance and the debits dated in each of the three
    /// recent buckets. Since credits settle the oldest debits, the balance is made of the newest debits: fill the buckets
    /// newest first.
    /// </summary>
    public static AgeingBuckets FromTotals(long balanceFen, long debits0To30Fen, long debits31To60Fen, long debits61To90Fen)
    {
        if (balanceFen <= 0) return AgeingBuckets.Zero;
        var left = balanceFen;
        long Take(long debits) { var t = Math.Min(left, Math.Max(0, debits)); left -= t; return t; }
        var b0 = Take(debits0To30Fen);
        var b1 = Take(debits31To60Fen);
        var b2 = Take(debits61To90Fen);
        return new AgeingBuckets(b0, b1, b2, left);
    }

    /// <summary>0: 0–30 days (and future-dated), 1: 31–60, 2: 61–90, 3: over 90.</summary>
    public static int BucketOf(int ageDays) => ageDays <= Bounds[0] ? 0 : ageDays <= Bounds[1] ? 1 : ageDays <= Bounds[2] ? 2 : 3;
}

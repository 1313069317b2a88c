using System.Data.Common;
using System.Text;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Statements;

/// <summary>One ledger row. AmountFen &gt; 0: the store owes more (shipped order); &lt; 0: payment, return, credit.</summary>
public sealed record LedgerEntry
{
    public long Id { get; init; }
    public long CustomerId { get; init; }
    public string Kind { get; init; } = "";
    public long AmountFen { get; init; }
    public long OccurredAtMs { get; init; }
    public long? OrderId { get; init; }
    public string? Reference { get; init; }
    public string? ExternalRef { get; init; }
    public string? Note { get; init; }
    public string CreatedBy { get; init; } = "";
    public long CreatedAtMs { get; init; }
}

public sealed record LedgerPage(IReadOnlyList<LedgerEntry> Items, string? NextCursor);

/// <summary>A payment (收款) as finance enters it. Amount in fen, &gt; 0; stored negative.</summary>
/// <param name="PaidOn">Shanghai date yyyy-MM-dd, not in the future; today when omitted.</param>
/// <param name="Method">A code of <see cref="PaymentMethods"/>.</param>
public sealed record PaymentInput(long? AmountFen, string? PaidOn, string? Method, string? Reference, string? Note);

/// <summary>A return (退货), credit note (贷项) or adjustment (调整) that lowers what the store owes. Amount &gt; 0; stored negative.</summary>
public sealed record CreditInput(string? Kind, long? AmountFen, string? Reference, string? Note, string? OccurredOn = null);

/// <param name="Replayed">True when the Idempotency-Key was seen before: this is the first request's entry again.</param>
public sealed record LedgerWriteResult(LedgerEntry Entry, bool Replayed);

/// <summary>
/// The customer ledger (往来账): its balance is always the sum of its entries. Finance records payments and credits here,
/// each with an Idempotency-Key so a retried request books once.
/// </summary>
public sealed class LedgerService(Db db, TimeProvider clock)
{
    public const long MaxAmountFen = 100_000_000;
    public const int MaxReference = 64;
    public const int MaxNote = 200;

    internal const string Columns = """
        id AS Id, customer_id AS CustomerId, kind AS Kind, amount_fen AS AmountFen, occurred_at AS OccurredAtMs, order_id AS OrderId,
        reference AS Reference, external_ref AS ExternalRef, note AS Note, created_by AS CreatedBy, created_at AS CreatedAtMs
        """;

    public async Task<long> BalanceAsync(long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await BalanceAsync(c, null, customerId);
    }

    internal static Task<long> BalanceAsync(DbConnection c, DbTransaction? tx, long customerId) =>
        c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE customer_id = @customerId", new { customerId }, tx);

    /// <summary>Entries newest first, keyset paged; the cursor is "occurredAtMs:id" of the last row.</summary>
    public async Task<LedgerPage> EntriesAsync(long customerId, string? after, int limit, CancellationToken ct = default)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM ledger_entries WHERE customer_id = @customerId");
        var args = new DynamicParameters(new { customerId, limit = limit + 1 });
        if (TryParseCursor(after, out var at, out var id))
        {
            sql.Append(" AND (occurred_at < @at OR (occurred_at = @at AND id < @id))");
            args.Add("at", at);
            args.Add("id", id);
        }
        sql.Append(" ORDER BY occurred_at DESC, id DESC LIMIT @limit");
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<LedgerEntry>(sql.ToString(), args)).ToList();
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new LedgerPage(rows, more ? $"{rows[^1].OccurredAtMs}:{rows[^1].Id}" : null);
    }

    public static bool TryParseCursor(string? cursor, out long occurredAtMs, out long id)
    {
        occurredAtMs = 0; id = 0;
        var parts = cursor?.Split(':');
        return parts is { Length: 2 } && long.TryParse(parts[0], out occurredAtMs) && long.TryParse(parts[1], out id);
    }

    public async Task<LedgerEntry?> GetAsync(long customerId, long entryId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<LedgerEntry>(
            $"SELECT {Columns} FROM ledger_entries WHERE id = @entryId AND customer_id = @customerId", new { entryId, customerId });
    }

    /// <summary>Per-field errors of a payment ("中文 / English"); empty when it is valid.</summary>
    public static Dictionary<string, string[]> Validate(PaymentInput p, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        CheckAmount(p.AmountFen, errors);
        if (!string.IsNullOrWhiteSpace(p.PaidOn)) CheckDate("paidOn", "收款日期", p.PaidOn, today, errors);
        if (string.IsNullOrWhiteSpace(p.Method))
            errors["method"] = [$"请选择收款方式 ({string.Join('|', PaymentMethods.Labels.Keys)}) / method is required"];
        else if (!PaymentMethods.IsKnown(p.Method))
            errors["method"] = [$"收款方式无效，可选 {string.Join('|', PaymentMethods.Labels.Keys)} / method must be one of {string.Join('|', PaymentMethods.Labels.Keys)}"];
        CheckText("reference", "参考号", p.Reference, MaxReference, errors);
        CheckText("note", "备注", p.Note, MaxNote, errors);
        return errors;
    }

    public static Dictionary<string, string[]> Validate(CreditInput p, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(p.Kind) || !LedgerKinds.CreditKinds.Contains(p.Kind))
            errors["kind"] = ["类型应为 return (退货)、credit (贷项) 或 adjustment (调整) / kind must be return, credit or adjustment"];
        CheckAmount(p.AmountFen, errors);
        if (!string.IsNullOrWhiteSpace(p.OccurredOn)) CheckDate("occurredOn", "日期", p.OccurredOn, today, errors);
        CheckText("reference", "参考号", p.Reference, MaxReference, errors);
        CheckText("note", "备注", p.Note, MaxNote, errors);
        return errors;
    }

    private static void CheckAmount(long? amountFen, Dictionary<string, string[]> errors)
    {
        if (amountFen is null) errors["amountFen"] = ["请填写金额 (分) / amountFen is required"];
        else if (amountFen <= 0 || amountFen > MaxAmountFen)
            errors["amountFen"] = [$"金额必须大于 0 且不超过 {MaxAmountFen} 分 (¥1,000,000.00) / amountFen must be between 1 and {MaxAmountFen}"];
    }

    private static void CheckDate(string field, string zh, string text, DateOnly today, Dictionary<string, string[]> errors)
    {
        if (StatementPeriod.ParseDate(field, zh, text, errors) is { } d && d > today)
            errors[field] = [$"{zh}不能晚于今天 / {field} cannot be in the future"];
    }

    private static void CheckText(string field, string zh, string? text, int max, Dictionary<string, string[]> errors)
    {
        if (text is not null && text.Length > max) errors[field] = [$"{zh}不能超过 {max} 个字符 / {field} must be at most {max} characters"];
    }

    /// <summary>Books a payment. Null when the customer does not exist.</summary>
    /// <exception cref="ArgumentException">The input is invalid (validate first with <see cref="Validate(PaymentInput, DateOnly)"/>).</exception>
    /// <exception cref="IdempotencyKeyReusedException">The key was used before for a different request.</exception>
    public Task<LedgerWriteResult?> RecordPaymentAsync(long customerId, PaymentInput p, Actor actor, string idempotencyKey, CancellationToken ct = default)
    {
        var today = ShanghaiTime.Today(clock);
        if (Validate(p, today).Count > 0) throw new ArgumentException("Invalid payment", nameof(p));
        var hash = Idempotency.Hash(customerId, p.AmountFen, p.PaidOn?.Trim(), p.Method, Clean(p.Reference), Clean(p.Note));
        return WriteAsync(customerId, $"ledger-payment:{actor.Kind}:{actor.Id}", idempotencyKey, hash, actor,
            LedgerKinds.Payment, -p.AmountFen!.Value, p.PaidOn, Clean(p.Reference), PaymentMethods.ComposeNote(p.Method!, Clean(p.Note)), ct);
    }

    /// <summary>Books a return, credit or adjustment (lowers the balance). Null when the customer does not exist.</summary>
    public Task<LedgerWriteResult?> RecordCreditAsync(long customerId, CreditInput p, Actor actor, string idempotencyKey, CancellationToken ct = default)
    {
        var today = ShanghaiTime.Today(clock);
        if (Validate(p, today).Count > 0) throw new ArgumentException("Invalid credit", nameof(p));
        var hash = Idempotency.Hash(customerId, p.Kind, p.AmountFen, p.OccurredOn?.Trim(), Clean(p.Reference), Clean(p.Note));
        return WriteAsync(customerId, $"ledger-credit:{actor.Kind}:{actor.Id}", idempotencyKey, hash, actor,
            p.Kind!, -p.AmountFen!.Value, p.OccurredOn, Clean(p.Reference), Clean(p.Note), ct);
    }

    private async Task<LedgerWriteResult?> WriteAsync(long customerId, string scope, string key, string hash, Actor actor,
        string kind, long amountFen, string? onDate, string? reference, string? note, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        if (await Idempotency.FindAsync(c, scope, key, hash, null) is { } done) return await ReplayAsync(c, done);

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var tx = await db.BeginWriteAsync(c, ct);
        var exists = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE id = @customerId", new { customerId }, tx) > 0;
        if (!exists) { await tx.RollbackAsync(ct); return null; }

        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO ledger_entries (customer_id, kind, amount_fen, occurred_at, reference, note, created_by, created_at)
            VALUES (@customerId, @kind, @amountFen, @occurredAt, @reference, @note, @createdBy, @now)
            RETURNING id
            """, new { customerId, kind, amountFen, occurredAt = OccurredAt(onDate, now), reference, note, createdBy = CreatedBy(actor), now }, tx);

        if (!await Idempotency.TryRecordAsync(c, tx, scope, key, hash, id, now))
        {
            await tx.RollbackAsync(ct);
            return await ReplayAsync(c, await Idempotency.FindAsync(c, scope, key, hash, null) ?? throw new InvalidOperationException("idempotency key vanished"));
        }
        await tx.CommitAsync(ct);
        var entry = await c.QuerySingleAsync<LedgerEntry>($"SELECT {Columns} FROM ledger_entries WHERE id = @id", new { id });
        return new LedgerWriteResult(entry, false);
    }

    private static async Task<LedgerWriteResult> ReplayAsync(DbConnection c, long entryId) =>
        new(await c.QuerySingleAsync<LedgerEntry>($"SELECT {Columns} FROM ledger_entries WHERE id = @entryId", new { entryId }), true);

    /// <summary>
    /// When an entry dated on a Shanghai day happened: now, if that day is today; otherwise the last millisecond of that day,
    /// so it falls in that day's statement after the day's orders.
    /// </summary>
    private long OccurredAt(string? onDate, long nowMs)
    {
        if (string.IsNullOrWhiteSpace(onDate)) return nowMs;
        var day = DateOnly.ParseExact(onDate.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return day >= ShanghaiTime.Today(clock) ? nowMs : ShanghaiTime.StartOfDayMs(day.AddDays(1)) - 1;
    }

    private static string CreatedBy(Actor actor) => actor.Id is { } id ? $"{actor.Kind}:{id} {actor.Name}" : $"{actor.Kind} {actor.Name}";

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.Customers;

/// <summary>An invoice title (发票抬头) as a store keeps it. Kind: <c>normal</c> (普票) or <c>special</c> (专票).</summary>
public sealed class InvoiceTitle
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public string? TaxNo { get; init; }
    public string? BankName { get; init; }
    public string? BankAccount { get; init; }
    public string? Address { get; init; }
    public string? Phone { get; init; }
    public bool IsDefault { get; init; }
}

public sealed record InvoiceTitleInput(string? Kind, string? Title, string? TaxNo, string? BankName, string? BankAccount, string? Address, string? Phone, bool IsDefault);

/// <summary>
/// A store's invoice titles (发票抬头), kept by the store (or its agent) in the mini-program; an order may name one and keeps
/// a copy of it as it was (<see cref="CopyToOrderAsync"/>). 专票 needs the tax number, bank, account, address and phone the
/// tax office prints on a special VAT invoice; 普票 needs a title, and a tax number when the buyer is a company (optional
/// here: a small shop may be a person). A removed title stays on the orders that used it.
/// </summary>
public sealed partial class InvoiceTitles(Db db, TimeProvider clock)
{
    public const string Normal = "normal";
    public const string Special = "special";
    public const int MaxPerStore = 20;

    /// <summary>统一社会信用代码 (18) or an old tax number (15 or 20): digits and capital letters.</summary>
    [GeneratedRegex("^[0-9A-Z]{15}$|^[0-9A-Z]{18}$|^[0-9A-Z]{20}$")]
    private static partial Regex TaxNoPattern();

    public static string KindText(string? kind) => kind switch { Normal => "普票", Special => "专票", _ => "" };

    public async Task<IReadOnlyList<InvoiceTitle>> ListAsync(long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<InvoiceTitle>(Select + " WHERE customer_id = @customerId AND active = TRUE ORDER BY is_default DESC, id", new { customerId })).ToList();
    }

    public async Task<InvoiceTitle?> GetAsync(long customerId, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<InvoiceTitle>(Select + " WHERE id = @id AND customer_id = @customerId AND active = TRUE", new { id, customerId });
    }

    /// <summary>Field errors ("中文 / English" per field); empty when the input is good.</summary>
    public static Dictionary<string, string[]> Validate(InvoiceTitleInput i)
    {
        var e = new Dictionary<string, string[]>();
        void Err(string field, string zh, string en) => e[field] = [$"{zh} / {en}"];
        if (i.Kind is not (Normal or Special)) Err("kind", "发票类型应为 normal (普票) 或 special (专票)", "kind must be normal or special");
        if (string.IsNullOrWhiteSpace(i.Title) || i.Title.Trim().Length > 100) Err("title", "请填写发票抬头 (最多 100 字)", "The title is required (at most 100 characters)");
        var tax = i.TaxNo?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(tax) && !TaxNoPattern().IsMatch(tax)) Err("taxNo", "税号应为 15、18 或 20 位数字或大写字母", "The tax number must be 15, 18 or 20 digits or capital letters");
        if (i.Kind == Special)
        {
            if (string.IsNullOrEmpty(tax)) Err("taxNo", "专票须填写税号", "A special VAT invoice needs the tax number");
            if (string.IsNullOrWhiteSpace(i.BankName)) Err("bankName", "专票须填写开户银行", "A special VAT invoice needs the bank");
            if (string.IsNullOrWhiteSpace(i.BankAccount)) Err("bankAccount", "专票须填写银行账号", "A special VAT invoice needs the bank account");
            if (string.IsNullOrWhiteSpace(i.Address)) Err("address", "专票须填写注册地址", "A special VAT invoice needs the registered address");
            if (string.IsNullOrWhiteSpace(i.Phone)) Err("phone", "专票须填写注册电话", "A special VAT invoice needs the registered phone");
        }
        foreach (var (field, value, max) in new[] { ("bankName", i.BankName, 100), ("bankAccount", i.BankAccount, 40), ("address", i.Address, 200), ("phone", i.Phone, 40) })
            if (value is { Length: > 0 } && value.Trim().Length > max) Err(field, $"最多 {max} 字", $"At most {max} characters");
        return e;
    }

    /// <returns>The new title's id (the first one's, when the same Idempotency-Key comes again).</returns>
    public async Task<long> CreateAsync(long customerId, InvoiceTitleInput i, string idempotencyScope, string idempotencyKey, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var hash = Idempotency.Hash(customerId, i);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        // A retried create answers the first one's id.
        if (await Idempotency.LockAndFindAsync(c, tx, idempotencyScope, idempotencyKey, hash) is { } done) return done;
        var count = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM invoice_titles WHERE customer_id = @customerId AND active = TRUE", new { customerId }, tx);
        if (count >= MaxPerStore) throw AppProblem.Conflict($"每个门店最多保存 {MaxPerStore} 个发票抬头", $"A store keeps at most {MaxPerStore} invoice titles");
        var isDefault = i.IsDefault || count == 0;
        if (isDefault) await ClearDefaultAsync(c, tx, customerId, now);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO invoice_titles (customer_id, kind, title, tax_no, bank_name, bank_account, address, phone, is_default, active, created_at, updated_at)
            VALUES (@customerId, @Kind, @Title, @TaxNo, @BankName, @BankAccount, @Address, @Phone, @isDefault, TRUE, @now, @now) RETURNING id
            """, Values(i, new { customerId, isDefault, now }), tx);
        if (!await Idempotency.TryRecordAsync(c, tx, idempotencyScope, idempotencyKey, hash, id, now))
            throw AppProblem.Conflict("同一请求正在处理，请稍后重试", "The same request is being handled; retry in a moment");
        await tx.CommitAsync(ct);
        return id;
    }

    /// <returns>False when the store has no such title.</returns>
    public async Task<bool> UpdateAsync(long customerId, long id, InvoiceTitleInput i, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (i.IsDefault) await ClearDefaultAsync(c, tx, customerId, now);
        var n = await c.ExecuteAsync("""
            UPDATE invoice_titles SET kind = @Kind, title = @Title, tax_no = @TaxNo, bank_name = @BankName, bank_account = @BankAccount,
                address = @Address, phone = @Phone, is_default = CASE WHEN @isDefault THEN TRUE ELSE is_default END, updated_at = @now
            WHERE id = @id AND customer_id = @customerId AND active = TRUE
            """, Values(i, new { customerId, id, isDefault = i.IsDefault, now }), tx);
        if (n == 0) return false;
        await tx.CommitAsync(ct);
        return true;
    }

    /// <returns>False when the store has no such title. Orders that used it keep their copy.</returns>
    public async Task<bool> RemoveAsync(long customerId, long id, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var n = await c.ExecuteAsync("UPDATE invoice_titles SET active = FALSE, is_default = FALSE, updated_at = @now WHERE id = @id AND customer_id = @customerId AND active = TRUE",
            new { id, customerId, now }, tx);
        if (n == 0) return false;
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Inside the order's transaction: copies the store's title onto the order as it is now.</summary>
    /// <exception cref="AppProblem">400 when the store has no such title.</exception>
    public static async Task CopyToOrderAsync(DbConnection c, DbTransaction tx, long orderId, long customerId, long invoiceTitleId)
    {
        var n = await c.ExecuteAsync("""
            UPDATE orders SET invoice_title_id = t.id, invoice_kind = t.kind, invoice_title = t.title, invoice_tax_no = t.tax_no,
                invoice_bank_name = t.bank_name, invoice_bank_account = t.bank_account, invoice_address = t.address, invoice_phone = t.phone
            FROM invoice_titles t
            WHERE orders.id = @orderId AND t.id = @invoiceTitleId AND t.customer_id = @customerId AND t.active = TRUE
            """, new { orderId, customerId, invoiceTitleId }, tx);
        if (n == 0)
            throw AppProblem.BadRequest("发票抬头不存在", "Unknown invoice title", new Dictionary<string, object?> { ["invoiceTitleId"] = invoiceTitleId });
    }

    private const string Select = """
        SELECT id AS Id, kind AS Kind, title AS Title, tax_no AS TaxNo, bank_name AS BankName, bank_account AS BankAccount,
               address AS Address, phone AS Phone, is_default AS IsDefault FROM invoice_titles
        """;

    private static Task ClearDefaultAsync(DbConnection c, DbTransaction tx, long customerId, long now) =>
        c.ExecuteAsync("UPDATE invoice_titles SET is_default = FALSE, updated_at = @now WHERE customer_id = @customerId AND is_default = TRUE", new { customerId, now }, tx);

    private static DynamicParameters Values(InvoiceTitleInput i, object extra)
    {
        static string? T(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var p = new DynamicParameters(extra);
        p.Add("Kind", i.Kind);
        p.Add("Title", T(i.Title));
        p.Add("TaxNo", T(i.TaxNo)?.ToUpperInvariant());
        // 普票 carries no bank details: what a 专票 left behind when switched to 普票 is dropped.
        var special = i.Kind == Special;
        p.Add("BankName", special ? T(i.BankName) : null);
        p.Add("BankAccount", special ? T(i.BankAccount) : null);
        p.Add("Address", special ? T(i.Address) : null);
        p.Add("Phone", special ? T(i.Phone) : null);
        return p;
    }
}

using System.Data.Common;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;

namespace OrderHub.Application.Customers;

public sealed class DeliveryAddress
{
    public long Id { get; init; }
    public string? Label { get; init; }
    public string ContactName { get; init; } = "";
    public string Phone { get; init; } = "";
    public string Address { get; init; } = "";
    public bool IsDefault { get; init; }
}

public sealed record DeliveryAddressInput(string? Label, string? ContactName, string? Phone, string? Address, bool IsDefault);

/// <summary>
/// A store's delivery addresses (收货地址), kept by the store or its agent: add, edit, remove, choose the default. Orders
/// keep their own copy (contact, phone, address) from the moment they are placed (<c>OrderPlacement</c>), so editing or
/// removing an address never changes an order; a removed address is hidden, not deleted, because orders name it.
/// Addresses the ERP brings (the customer feed) arrive the same way, once, for a store that has none.
/// </summary>
public sealed class DeliveryAddresses(Db db, TimeProvider clock)
{
    public const int MaxPerStore = 30;

    public async Task<IReadOnlyList<DeliveryAddress>> ListAsync(long customerId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<DeliveryAddress>(Select + " WHERE customer_id = @customerId AND active = TRUE ORDER BY is_default DESC, id", new { customerId })).ToList();
    }

    public async Task<DeliveryAddress?> GetAsync(long customerId, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<DeliveryAddress>(Select + " WHERE id = @id AND customer_id = @customerId AND active = TRUE", new { id, customerId });
    }

    public static Dictionary<string, string[]> Validate(DeliveryAddressInput i)
    {
        var e = new Dictionary<string, string[]>();
        void Err(string field, string zh, string en) => e[field] = [$"{zh} / {en}"];
        if (string.IsNullOrWhiteSpace(i.ContactName) || i.ContactName.Trim().Length > 40) Err("contactName", "请填写收货人 (最多 40 字)", "The contact name is required (at most 40 characters)");
        var phone = i.Phone?.Trim() ?? "";
        if (phone.Length is < 5 or > 20 || !phone.All(ch => char.IsAsciiDigit(ch) || ch is '-' or '+' or ' '))
            Err("phone", "请填写有效的联系电话", "A valid phone number is required");
        if (string.IsNullOrWhiteSpace(i.Address) || i.Address.Trim().Length > 200) Err("address", "请填写收货地址 (最多 200 字)", "The address is required (at most 200 characters)");
        if (i.Label is { Length: > 20 }) Err("label", "标签最多 20 字", "The label is at most 20 characters");
        return e;
    }

    public async Task<long> CreateAsync(long customerId, DeliveryAddressInput i, string idempotencyScope, string idempotencyKey, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var hash = Idempotency.Hash(customerId, i);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        // A retried create answers the first one's id.
        if (await Idempotency.LockAndFindAsync(c, tx, idempotencyScope, idempotencyKey, hash) is { } done) return done;
        var count = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_addresses WHERE customer_id = @customerId AND active = TRUE", new { customerId }, tx);
        if (count >= MaxPerStore) throw AppProblem.Conflict($"每个门店最多保存 {MaxPerStore} 个收货地址", $"A store keeps at most {MaxPerStore} delivery addresses");
        var isDefault = i.IsDefault || count == 0;
        if (isDefault) await ClearDefaultAsync(c, tx, customerId);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO customer_addresses (customer_id, label, contact_name, phone, address, is_default, active, created_at)
            VALUES (@customerId, @label, @contactName, @phone, @address, @isDefault, TRUE, @now) RETURNING id
            """, new { customerId, label = T(i.Label), contactName = T(i.ContactName), phone = T(i.Phone), address = T(i.Address), isDefault, now }, tx);
        if (!await Idempotency.TryRecordAsync(c, tx, idempotencyScope, idempotencyKey, hash, id, now))
            throw AppProblem.Conflict("同一请求正在处理，请稍后重试", "The same request is being handled; retry in a moment");
        await tx.CommitAsync(ct);
        return id;
    }

    public async Task<bool> UpdateAsync(long customerId, long id, DeliveryAddressInput i, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        if (i.IsDefault) await ClearDefaultAsync(c, tx, customerId);
        var n = await c.ExecuteAsync("""
            UPDATE customer_addresses SET label = @label, contact_name = @contactName, phone = @phone, address = @address,
                is_default = CASE WHEN @isDefault THEN TRUE ELSE is_default END
            WHERE id = @id AND customer_id = @customerId AND active = TRUE
            """, new { id, customerId, label = T(i.Label), contactName = T(i.ContactName), phone = T(i.Phone), address = T(i.Address), isDefault = i.IsDefault }, tx);
        if (n == 0) return false;
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Hides the address; when it was the default, the oldest remaining one becomes the default.</summary>
    public async Task<bool> RemoveAsync(long customerId, long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await db.BeginWriteAsync(c, ct);
        var n = await c.ExecuteAsync("UPDATE customer_addresses SET active = FALSE, is_default = FALSE WHERE id = @id AND customer_id = @customerId AND active = TRUE",
            new { id, customerId }, tx);
        if (n == 0) return false;
        await c.ExecuteAsync("""
            UPDATE customer_addresses SET is_default = TRUE
            WHERE id = (SELECT MIN(id) FROM customer_addresses WHERE customer_id = @customerId AND active = TRUE)
              AND NOT EXISTS (SELECT 1 FROM customer_addresses WHERE customer_id = @customerId AND active = TRUE AND is_default = TRUE)
            """, new { customerId }, tx);
        await tx.CommitAsync(ct);
        return true;
    }

    private const string Select = "SELECT id AS Id, label AS Label, contact_name AS ContactName, phone AS Phone, address AS Address, is_default AS IsDefault FROM customer_addresses";

    private static string? T(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static Task ClearDefaultAsync(DbConnection c, DbTransaction tx, long customerId) =>
        c.ExecuteAsync("UPDATE customer_addresses SET is_default = FALSE WHERE customer_id = @customerId AND is_default = TRUE", new { customerId }, tx);
}

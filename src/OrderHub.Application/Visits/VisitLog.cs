using System.Text.Json;
using Dapper;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Application.Media;

namespace OrderHub.Application.Visits;

/// <summary>巡店 (store visit) and 回访 (follow-up call).</summary>
public static class VisitKinds
{
    public const string StoreVisit = "store_visit";
    public const string Call = "call";
    public static readonly string[] All = [StoreVisit, Call];
    public static string Label(string kind) => kind switch { StoreVisit => "巡店", Call => "电话回访", _ => kind };
}

/// <summary>A visit or call as an agent logs it. <c>AtMs</c> null means now.
/// <c>PhotoIds</c> are images the agent uploaded (<see cref="ImageStore"/>, purpose visit_photo); <c>PhotoUrls</c> are links kept for older clients.</summary>
public sealed record VisitInput(string? Kind, long? AtMs, double? Latitude, double? Longitude, string? Note, IReadOnlyList<string>? PhotoUrls,
    IReadOnlyList<long>? PhotoIds = null);

public sealed record Visit(long Id, long AgentId, string AgentName, long CustomerId, string Kind, long AtMs, double? Latitude, double? Longitude,
    string? Note, IReadOnlyList<string> PhotoUrls, long CreatedAtMs, IReadOnlyList<StoredImage> Photos);

/// <param name="Replayed">The Idempotency-Key was seen before: this is the first request's visit again.</param>
public sealed record VisitWriteResult(Visit Visit, bool Replayed);

/// <summary>The agents' visit and call log. It feeds "days since last contact" and the visit counts of the reports.</summary>
public sealed class VisitLog(Db db, TimeProvider clock)
{
    public const int MaxNote = 500;
    public const int MaxPhotos = 9;
    public const int MaxUrl = 1000;
    /// <summary>Phones' clocks drift: a time up to this far ahead of the server still counts as now.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(2);

    /// <returns>Per-field errors, each "中文 / English"; empty when the input is valid.</returns>
    public static Dictionary<string, string[]> Validate(VisitInput v, long nowMs)
    {
        var e = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(v.Kind)) e["kind"] = ["请选择类型 (store_visit 巡店 / call 回访) / kind is required: store_visit or call"];
        else if (!VisitKinds.All.Contains(v.Kind)) e["kind"] = ["类型应为 store_visit (巡店) 或 call (回访) / kind must be store_visit or call"];
        if (v.AtMs is { } at && at > nowMs + (long)FutureTolerance.TotalMilliseconds) e["at"] = ["时间不能晚于现在 / at must not be in the future"];
        if (v.Latitude is { } lat && (double.IsNaN(lat) || lat < -90 || lat > 90)) e["latitude"] = ["纬度应在 -90 到 90 之间 / latitude must be between -90 and 90"];
        if (v.Longitude is { } lng && (double.IsNaN(lng) || lng < -180 || lng > 180)) e["longitude"] = ["经度应在 -180 到 180 之间 / longitude must be between -180 and 180"];
        if ((v.Latitude is null) != (v.Longitude is null) && !e.ContainsKey("latitude") && !e.ContainsKey("longitude"))
            e[v.Latitude is null ? "latitude" : "longitude"] = ["经纬度须同时填写 / latitude and longitude go together"];
        if (v.Note is { Length: > MaxNote }) e["note"] = [$"备注不能超过 {MaxNote} 个字符 / note must be at most {MaxNote} characters"];
        if (v.PhotoUrls is { } photos)
        {
            if (photos.Count > MaxPhotos) e["photoUrls"] = [$"照片最多 {MaxPhotos} 张 / at most {MaxPhotos} photos"];
            else if (photos.Any(p => !IsHttpUrl(p))) e["photoUrls"] = ["照片地址须为 http(s) 链接 / every photo URL must be an absolute http(s) URL"];
        }
        if (v.PhotoIds is { } ids)
        {
            if (ids.Count + (v.PhotoUrls?.Count ?? 0) > MaxPhotos) e["photoIds"] = [$"照片最多 {MaxPhotos} 张 / at most {MaxPhotos} photos"];
            else if (ids.Any(i => i <= 0) || ids.Distinct().Count() != ids.Count) e["photoIds"] = ["照片编号无效或重复 / photo ids must be positive and distinct"];
        }
        return e;
    }

    /// <summary>The ids among these that are not visit photos this agent uploaded (an agent attaches only its own uploads).</summary>
    public async Task<IReadOnlyList<long>> NotOwnPhotosAsync(long agentId, IReadOnlyList<long> photoIds, CancellationToken ct = default)
    {
        if (photoIds.Count == 0) return [];
        await using var c = await db.OpenAsync(ct);
        var found = await ImageStore.GetManyAsync(c, photoIds);
        return photoIds.Where(id => !found.TryGetValue(id, out var m)
            || m.Purpose != MediaPurpose.VisitPhoto || m.OwnerKind != "agent" || m.OwnerId != agentId).ToList();
    }


    private static bool IsHttpUrl(string? s) =>
        s is { Length: > 0 and <= MaxUrl } && Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp) && !string.IsNullOrEmpty(u.Host);

    /// <summary>Records a visit for a customer the caller has already checked is the agent's. Validate first.</summary>
    /// <param name="idempotencyKey">Optional; a retry with the same key returns the first visit.</param>
    /// <exception cref="IdempotencyKeyReusedException">The key was used before for a different visit.</exception>
    public async Task<VisitWriteResult> RecordAsync(long agentId, long customerId, VisitInput v, string? idempotencyKey, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var photos = (v.PhotoUrls ?? []).ToList();
        var note = string.IsNullOrWhiteSpace(v.Note) ? null : v.Note.Trim();
        var scope = $"visit:{agentId}";
        var photoIds = (v.PhotoIds ?? []).ToList();
        var hash = Idempotency.Hash(customerId, v.Kind, v.AtMs, v.Latitude, v.Longitude, note, string.Join('\n', photos), string.Join(',', photoIds));
        await using var c = await db.OpenAsync(ct);
        if (idempotencyKey is not null && await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null) is { } done)
            return new VisitWriteResult((await GetAsync(c, done))!, true);

        await using var tx = await db.BeginWriteAsync(c, ct);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO visits (agent_id, customer_id, kind, at, latitude, longitude, note, photo_urls, photo_ids, created_at)
            VALUES (@agentId, @customerId, @Kind, @at, @Latitude, @Longitude, @note, @photoJson, @photoIdJson, @now)
            RETURNING id
            """, new { agentId, customerId, v.Kind, at = v.AtMs ?? now, v.Latitude, v.Longitude, note, photoJson = JsonSerializer.Serialize(photos),
                photoIdJson = JsonSerializer.Serialize(photoIds), now }, tx);
        if (idempotencyKey is not null && !await Idempotency.TryRecordAsync(c, tx, scope, idempotencyKey, hash, id, now))
        {
            await tx.RollbackAsync(ct);
            var first = await Idempotency.FindAsync(c, scope, idempotencyKey, hash, null) ?? throw new InvalidOperationException("idempotency key vanished");
            return new VisitWriteResult((await GetAsync(c, first))!, true);
        }
        await tx.CommitAsync(ct);
        return new VisitWriteResult((await GetAsync(c, id))!, false);
    }

    /// <summary>A customer's visits and calls, newest first; <paramref name="before"/> is the keyset cursor (a visit id).</summary>
    public async Task<(IReadOnlyList<Visit> Items, long? Next)> ListAsync(long customerId, long? before, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<Row>(Select + """
             WHERE v.customer_id = @customerId AND (@before IS NULL OR v.id < @before)
             ORDER BY v.id DESC LIMIT @take
            """, new { customerId, before, take = limit + 1 })).ToList();
        var photos = await ImageStore.GetManyAsync(c, rows.SelectMany(r => r.Ids()).ToList());
        var visits = rows.Select(r => r.ToVisit(photos)).ToList();
        var more = visits.Count > limit;
        if (more) visits.RemoveAt(visits.Count - 1);
        return (visits, more ? visits[^1].Id : null);
    }

    private const string Select = """
        SELECT v.id AS Id, v.agent_id AS AgentId, a.name AS AgentName, v.customer_id AS CustomerId, v.kind AS Kind, v.at AS AtMs,
               v.latitude AS Latitude, v.longitude AS Longitude, v.note AS Note, v.photo_urls AS PhotoUrls, v.photo_ids AS PhotoIds, v.created_at AS CreatedAtMs
        FROM visits v JOIN agents a ON a.id = v.agent_id
        """;

    private static async Task<Visit?> GetAsync(System.Data.Common.DbConnection c, long id)
    {
        var row = await c.QuerySingleOrDefaultAsync<Row>(Select + " WHERE v.id = @id", new { id });
        return row?.ToVisit(await ImageStore.GetManyAsync(c, row.Ids()));
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public long AgentId { get; init; }
        public string AgentName { get; init; } = "";
        public long CustomerId { get; init; }
        public string Kind { get; init; } = "";
        public long AtMs { get; init; }
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public string? Note { get; init; }
        public string PhotoUrls { get; init; } = "[]";
        public string PhotoIds { get; init; } = "[]";
        public long CreatedAtMs { get; init; }
        public List<long> Ids() => JsonSerializer.Deserialize<List<long>>(PhotoIds) ?? [];
        public Visit ToVisit(Dictionary<long, StoredImage> photos) => new(Id, AgentId, AgentName, CustomerId, Kind, AtMs, Latitude, Longitude, Note,
            JsonSerializer.Deserialize<List<string>>(PhotoUrls) ?? [], CreatedAtMs,
            Ids().Where(photos.ContainsKey).Select(i => photos[i]).ToList());
    }
}

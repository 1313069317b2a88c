using System.Collections.Concurrent;
using System.Security.Claims;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Domain.People;

namespace OrderHub.Api.Auth;

/// <summary>
/// A valid token is not enough: the user behind it must still be active (and a store user must still belong to an
/// active store). Checked on every authenticated request, with the answer remembered for <c>Auth:UserCheckSeconds</c>
/// (default 5). The session behind the token is checked on every request (<see cref="AuthSessions"/>): disabling a user
/// or changing its password revokes its sessions, so those tokens stop at once whatever the cache holds.
/// </summary>
public sealed class ActiveUserCheck(RequestDelegate next, Db db, IConfiguration config, TimeProvider clock, AuthSessions sessions, CustomerContextQuery customers)
{
    private readonly ConcurrentDictionary<(string Role, long Id), (bool Active, DateTimeOffset Until)> _cache = new();

    public async Task InvokeAsync(HttpContext http)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true && long.TryParse(user.FindFirstValue(OrderHubClaims.UserId), out var id))
        {
            // The session first, on every request: a revoked session (password changed, user disabled, refresh token
            // reused) stops every token of it at once, on every node; one primary-key read. A store user's store is read
            // in the same round trip and kept for the request (StoreAccess needs it next).
            var sid = user.SessionIdOf();
            var live = false;
            if (sid is not null && user.Role() == Roles.Customer && user.CustomerIdOf() is { } storeId)
            {
                (live, var store) = await customers.SessionAndStoreAsync(sid, storeId, http.RequestAborted);
                CustomerContextQuery.KeepForThisRequest(storeId, store);
            }
            else if (sid is not null) live = await sessions.IsLiveAsync(sid, http.RequestAborted);
            if (!live)
            {
                await Problems.Unauthorized("登录已失效，请重新登录", "This sign-in has ended; sign in again").ExecuteAsync(http);
                return;
            }
            var key = (user.Role(), id);
            var now = clock.GetUtcNow();
            if (!_cache.TryGetValue(key, out var entry) || entry.Until <= now)
            {
                var identity = await AuthApi.Identity.ReloadAsync(db, key.Item1, id);
                var active = identity is not null && identity.CustomerId == user.CustomerIdOf();
                entry = (active, now.AddSeconds(config.GetValue("Auth:UserCheckSeconds", 5)));
                _cache[key] = entry;
            }
            if (!entry.Active)
            {
                await Problems.Unauthorized("账号已停用或已不属于该门店，请重新登录", "This account is disabled or no longer belongs to the store; sign in again").ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    }
}

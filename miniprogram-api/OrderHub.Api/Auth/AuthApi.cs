using System.ComponentModel;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Common;
using OrderHub.Application.Data;
using OrderHub.Domain.People;

namespace OrderHub.Api.Auth;

/// <summary>Sign-in and token refresh. Tokens are ASP.NET Core bearer tokens: short-lived access, longer refresh.</summary>
public static class AuthApi
{
    public sealed record DevLoginRequest(
        [property: Description("以该门店的第一个用户登录 (只在开发环境) / Sign in as this store's first user (Development only)")] string? CustomerCode,
        [property: Description("以该门店用户登录 / Sign in as this store user")] long? CustomerUserId,
        [property: Description("以该业务员登录 / Sign in as this agent")] string? AgentCode,
        [property: Description("以该员工登录 / Sign in as this staff member")] string? StaffLogin);

    public sealed record RefreshRequest(
        [property: Description("上次登录或刷新得到的刷新令牌 (只能用一次) / The refresh token from the last sign-in or refresh (good once)")] string RefreshToken);

    public sealed record MeResponse(
        [property: Description("角色：customer、agent、clerk、finance、warehouse、admin… / Role: customer, agent, clerk, finance, warehouse, admin…")] string Role,
        [property: Description("用户 id (按角色：门店用户、业务员或员工) / User id (a store user, agent or staff member, per role)")] long UserId,
        [property: Description("姓名 / Name")] string Name,
        [property: Description("门店用户所属门店 id / The store user's store id")] long? CustomerId,
        [property: Description("门店名称 / The store's name")] string? CustomerName);

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app, IWebHostEnvironment env)
    {
        var g = app.MapGroup("/api/auth").WithTags("Auth");
        // The development login exists only in Development: elsewhere the route is not mapped at all (404).
        if (env.IsDevelopment())
            g.MapPost("/dev-login", DevLogin).WithName("DevLogin").ProducesNotFound("用户不存在或已停用 / No such active user").WithSummary("Development only: sign in as a demo customer user, agent or staff member");
        g.MapPost("/refresh", Refresh).WithName("RefreshToken").WithSummary("Exchange a refresh token for new tokens");
        g.MapGet("/me", Me).RequireAuthorization().WithName("Me").WithSummary("Who am I");
        return app;
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> DevLogin(DevLoginRequest req, Db db)
    {
        var named = new object?[] { req.CustomerCode, req.CustomerUserId, req.AgentCode, req.StaffLogin }.Count(x => x is not null);
        if (named != 1)
            return Problems.BadRequest("请只指定一个要登录的用户", "Name exactly one of customerCode, customerUserId, agentCode, staffLogin");
        if (new[] { req.CustomerCode, req.AgentCode, req.StaffLogin }.Any(x => x is { Length: > 64 }))
            return Problems.BadRequest("登录名过长", "The login is too long");
        await using var c = await db.OpenAsync();
        Identity? who = null;
        if (req.CustomerUserId is { } uid)
            who = await c.QuerySingleOrDefaultAsync<Identity>(CustomerUserSql + " AND u.id = @uid", new { uid });
        else if (!string.IsNullOrWhiteSpace(req.CustomerCode))
            who = await c.QueryFirstOrDefaultAsync<Identity>(CustomerUserSql + " AND cu.code = @code ORDER BY CASE u.role WHEN 'owner' THEN 0 ELSE 1 END, u.id", new { code = req.CustomerCode });
        else if (!string.IsNullOrWhiteSpace(req.AgentCode))
            who = await c.QuerySingleOrDefaultAsync<Identity>("SELECT 'agent' AS Role, id AS UserId, name AS Name, NULL AS CustomerId FROM agents WHERE code = @code AND active = TRUE", new { code = req.AgentCode });
        else if (!string.IsNullOrWhiteSpace(req.StaffLogin))
            who = await c.QuerySingleOrDefaultAsync<Identity>("SELECT role AS Role, id AS UserId, name AS Name, NULL AS CustomerId FROM staff WHERE login = @login AND active = TRUE", new { login = req.StaffLogin });
        else
            return Problems.BadRequest("请指定要登录的用户", "Name a customerCode, customerUserId, agentCode or staffLogin");
        if (who is null) return Problems.NotFound("用户不存在或已停用", "No such active user");
        return TypedResults.SignIn(who.ToPrincipal(), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    private const string CustomerUserSql = """
        SELECT 'customer' AS Role, u.id AS UserId, u.name AS Name, u.customer_id AS CustomerId
        FROM customer_users u JOIN customers cu ON cu.id = u.customer_id
        WHERE u.active = TRUE AND cu.active = TRUE
        """;

    /// <summary>
    /// Rotation: a refresh token is good once. The new tokens keep the session and carry the next sequence number; an
    /// old refresh token presented again ends the session (every token of it stops at once).
    /// </summary>
    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> Refresh(
        RefreshRequest req, IOptionsMonitor<BearerTokenOptions> options, TimeProvider clock, Db db, AuthSessions sessions)
    {
        var ticket = string.IsNullOrEmpty(req.RefreshToken) ? null : options.Get(BearerTokenDefaults.AuthenticationScheme).RefreshTokenProtector.Unprotect(req.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires || ticket.Principal.Identity?.IsAuthenticated != true)
            return Problems.Unauthorized("登录已过期，请重新登录", "The refresh token is invalid or expired; sign in again");
        var p = ticket.Principal;
        if (p.SessionIdOf() is not { } sid || !long.TryParse(p.FindFirstValue(OrderHubClaims.RefreshSeq), out var seq))
            return Problems.Unauthorized("登录已过期，请重新登录", "The refresh token is invalid or expired; sign in again");
        if (!await sessions.RotateAsync(sid, seq))
            return Problems.Unauthorized("登录已失效，请重新登录", "This sign-in has ended (signed out elsewhere, password changed, or the refresh token was used before); sign in again");
        // The user may have been disabled since the token was issued.
        var who = await Identity.ReloadAsync(db, p.Role(), p.UserId_());
        if (who is null) return Problems.Unauthorized("用户已停用", "This user is no longer active");
        var next = who.ToPrincipal();
        ((ClaimsIdentity)next.Identity!).AddClaims([new Claim(OrderHubClaims.SessionId, sid), new Claim(OrderHubClaims.RefreshSeq, (seq + 1).ToString())]);
        return TypedResults.SignIn(next, authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> Me(ClaimsPrincipal user, Db db)
    {
        var who = await Identity.ReloadAsync(db, user.Role(), user.UserId_());
        if (who is null) return Problems.Unauthorized("用户已停用", "This user is no longer active");
        string? customerName = null;
        if (who.CustomerId is { } cid)
        {
            await using var c = await db.OpenAsync();
            customerName = await c.ExecuteScalarAsync<string>("SELECT name FROM customers WHERE id = @cid", new { cid });
        }
        return TypedResults.Ok(new MeResponse(who.Role, who.UserId, who.Name, who.CustomerId, customerName));
    }

    internal sealed class Identity
    {
        public string Role { get; init; } = "";
        public long UserId { get; init; }
        public string Name { get; init; } = "";
        public long? CustomerId { get; init; }

        public ClaimsPrincipal ToPrincipal()
        {
            var claims = new List<Claim> { new(ClaimTypes.Role, Role), new(OrderHubClaims.UserId, UserId.ToString()), new(ClaimTypes.Name, Name) };
            if (CustomerId is { } cid) claims.Add(new Claim(OrderHubClaims.CustomerId, cid.ToString()));
            return new ClaimsPrincipal(new ClaimsIdentity(claims, BearerTokenDefaults.AuthenticationScheme));
        }

        public static async Task<Identity?> ReloadAsync(Db db, string role, long userId)
        {
            await using var c = await db.OpenAsync();
            return role switch
            {
                Roles.Customer => await c.QuerySingleOrDefaultAsync<Identity>(CustomerUserSql + " AND u.id = @userId", new { userId }),
                Roles.Agent => await c.QuerySingleOrDefaultAsync<Identity>("SELECT 'agent' AS Role, id AS UserId, name AS Name, NULL AS CustomerId FROM agents WHERE id = @userId AND active = TRUE", new { userId }),
                _ => await c.QuerySingleOrDefaultAsync<Identity>("SELECT role AS Role, id AS UserId, name AS Name, NULL AS CustomerId FROM staff WHERE id = @userId AND active = TRUE", new { userId }),
            };
        }
    }
}

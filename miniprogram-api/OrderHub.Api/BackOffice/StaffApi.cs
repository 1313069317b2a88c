using Microsoft.AspNetCore.Authentication.BearerToken;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Common;
using OrderHub.Application.Staff;
using OrderHub.Domain.Time;
using OrderHub.Domain.People;

namespace OrderHub.Api.BackOffice;

/// <summary>Staff sign-in with a password (same bearer tokens as every other sign-in), and the admin's staff management.</summary>
public static class StaffApi
{
    public sealed record StaffLoginRequest(string? Login, string? Password);
    public sealed record CreateStaffRequest(string? Login, string? Name, string? Role, string? Password);
    public sealed record SetPasswordRequest(string? Password);
    public sealed record StaffDto(long Id, string Login, string Name, string Role, string RoleLabel, bool Active, bool HasPassword,
        int FailedLogins, string? LockedUntil, string CreatedAt);

    public static IEndpointRouteBuilder MapStaffApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/staff/login", Login).WithTags("Auth").AllowAnonymous().WithClientRateLimit("staff-login")
            .ProducesProblem(StatusCodes.Status423Locked).WithName("StaffLogin").WithSummary("Back-office sign-in with login and password; locked for a while after repeated failures (423); rate-limited per client (429)");

        var g = app.MapGroup("/api/admin/staff").WithTags("Back office: staff").RequireAuthorization(Policies.Admin);
        g.MapGet("", List).WithName("AdminListStaff").WithSummary("Staff members with role and lock state (admin)");
        g.MapPost("", Create).WithName("AdminCreateStaff").ProducesConflict("登录名已存在 / The login is taken").WithSummary("Create a staff member with a role and a first password (admin)");
        g.MapPut("/{id:long}/password", SetPassword).WithName("AdminSetStaffPassword").ProducesNotFound("员工不存在 / No such staff member").WithSummary("Set a staff member's password; lifts a lock and ends the member's other sessions (admin)");
        g.MapPost("/{id:long}/disable", Disable).WithName("AdminDisableStaff").ProducesNotFound("员工不存在 / No such staff member").ProducesConflict("不能停用自己的账号 / You cannot disable your own account").WithSummary("停用: disable a staff member; every session of it ends at once (admin; not yourself: 409)");
        g.MapPost("/{id:long}/enable", Enable).WithName("AdminEnableStaff").ProducesNotFound("员工不存在 / No such staff member").WithSummary("启用: enable a staff member again; it signs in anew (admin)");
        return app;
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult, ValidationProblem>> Login(StaffLoginRequest? body, StaffAccounts staff, TimeProvider clock, HttpContext http)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.Login) || string.IsNullOrEmpty(body.Password) || body.Login.Length > 64 || body.Password.Length > 128)
            return Problems.Validation(new() { ["login"] = ["请输入登录名和密码 / Enter your login and password"] });
        switch (await staff.SignInAsync(body.Login, body.Password, http.RequestAborted))
        {
            case StaffSignInResult.Success ok:
                var who = new AuthApi.Identity { Role = ok.Staff.Role, UserId = ok.Staff.Id, Name = ok.Staff.Name };
                return TypedResults.SignIn(who.ToPrincipal(), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
            case StaffSignInResult.Locked locked:
                return SignInLockout.Answer(locked.UntilMs, clock, http);
            default:
                return Problems.Unauthorized("用户名或密码错误", "Wrong login or password");
        }
    }

    private static async Task<Ok<IReadOnlyList<StaffDto>>> List(StaffAccounts staff, TimeProvider clock, IMapper mapper) =>
        TypedResults.Ok(mapper.MapAt<IReadOnlyList<StaffDto>>(await staff.ListAsync(), clock));

    private static async Task<Results<Created<StaffDto>, ValidationProblem>> Create(CreateStaffRequest? body, StaffAccounts staff, TimeProvider clock, IMapper mapper)
    {
        if (body is null) return Problems.Validation(new() { ["body"] = ["请提交员工信息 / Send the staff member as JSON"] });
        var errors = staff.Validate(body.Login, body.Name, body.Role, body.Password, creating: true);
        if (errors.Count > 0) return Problems.Validation(errors);
        var s = await staff.CreateAsync(body.Login!, body.Name!, body.Role!, body.Password!);
        return TypedResults.Created($"/api/admin/staff/{s.Id}", mapper.MapAt<StaffDto>(s, clock));
    }

    private static async Task<Results<Ok<StaffDto>, ValidationProblem, ProblemHttpResult>> SetPassword(long id, SetPasswordRequest? body, StaffAccounts staff,
        AuthSessions sessions, HttpContext http, TimeProvider clock, IMapper mapper)
    {
        var errors = staff.Validate(null, null, null, body?.Password, creating: false);
        if (errors.Count > 0) return Problems.Validation(errors);
        var s = await staff.SetPasswordAsync(id, body!.Password!);
        if (s is null) return Problems.NotFound("员工不存在", "No such staff member");
        // Whoever knew the old password is signed out; an admin changing its own password keeps this session.
        var own = http.User.IsStaff() && http.User.UserId_() == id ? http.User.SessionIdOf() : null;
        await sessions.RevokeUserAsync("staff", id, AuthSessions.PasswordChanged, own);
        return TypedResults.Ok(mapper.MapAt<StaffDto>(s, clock));
    }

    private static async Task<Results<Ok<StaffDto>, ProblemHttpResult>> Disable(long id, StaffAccounts staff, AuthSessions sessions, HttpContext http, TimeProvider clock, IMapper mapper)
    {
        if (http.User.IsStaff() && http.User.UserId_() == id)
            return Problems.Conflict("不能停用自己的账号", "You cannot disable your own account");
        var s = await staff.SetActiveAsync(id, false);
        if (s is null) return Problems.NotFound("员工不存在", "No such staff member");
        await sessions.RevokeUserAsync("staff", id, AuthSessions.Disabled);
        return TypedResults.Ok(mapper.MapAt<StaffDto>(s, clock));
    }

    private static async Task<Results<Ok<StaffDto>, ProblemHttpResult>> Enable(long id, StaffAccounts staff, TimeProvider clock, IMapper mapper)
    {
        var s = await staff.SetActiveAsync(id, true);
        return s is null ? Problems.NotFound("员工不存在", "No such staff member") : TypedResults.Ok(mapper.MapAt<StaffDto>(s, clock));
    }
}

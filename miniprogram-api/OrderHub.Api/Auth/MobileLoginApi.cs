using System.ComponentModel;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.BackOffice;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.People;
using OrderHub.Domain.People;

namespace OrderHub.Api.Auth;

/// <summary>
/// Sign-in with mobile number and password, for store users (a PC, or a first sign-in before WeChat binding) and agents
/// outside WeChat Work. The same bearer tokens as every other sign-in; locked after repeated failures; rate-limited per client.
/// </summary>
public static class MobileLoginApi
{
    public sealed record MobileLoginRequest(
        [property: Description("手机号 / Mobile number")] string? Mobile,
        [property: Description("密码 / Password")] string? Password);

    public static IEndpointRouteBuilder MapMobileLoginApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/login", Login).WithTags("Auth").AllowAnonymous().WithClientRateLimit("mobile-login")
            .WithName("MobileLogin").WithSummary("门店用户或业务员用手机号和密码登录 / Store user or agent sign-in with mobile number and password (423 when locked, 429 when too frequent)");
        return app;
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult, ValidationProblem>> Login(MobileLoginRequest? body, MobileSignIn signIn, TimeProvider clock, HttpContext http)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.Mobile) || string.IsNullOrEmpty(body.Password) || body.Mobile.Length > 32 || body.Password.Length > 128)
            return Problems.Validation(new() { ["mobile"] = ["请输入手机号和密码 / Enter your mobile number and password"] });
        switch (await signIn.SignInAsync(body.Mobile, body.Password, http.RequestAborted))
        {
            case MobileSignInResult.Success ok:
                var who = new AuthApi.Identity { Role = ok.Role.Name(), UserId = ok.UserId, Name = ok.Name, CustomerId = ok.CustomerId };
                return TypedResults.SignIn(who.ToPrincipal(), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
            case MobileSignInResult.Locked locked:
                return SignInLockout.Answer(locked.UntilMs, clock, http);
            default:
                return Problems.Unauthorized("手机号或密码错误", "Wrong mobile number or password");
        }
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Infrastructure;
using OrderHub.Domain.Time;

namespace OrderHub.Api.Auth;

/// <summary>How a password sign-in (staff, or a store's or agent's mobile login) answers a locked account.</summary>
public static class SignInLockout
{
    /// <summary>423 with Retry-After: the answer of every password sign-in to a locked account.</summary>
    public static ProblemHttpResult Answer(long untilMs, TimeProvider clock, HttpContext http)
    {
        var until = ShanghaiTime.FromUnixMs(untilMs);
        var seconds = Math.Max(1, (untilMs - clock.GetUtcNow().ToUnixTimeMilliseconds() + 999) / 1000);
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var p = Problems.Of(StatusCodes.Status423Locked,
            $"密码错误次数过多，账号已锁定，请于 {until:HH:mm} 后再试", $"Too many wrong passwords; the account is locked until {until:HH:mm} (Asia/Shanghai)",
            new Dictionary<string, object?> { ["lockedUntil"] = ShanghaiTime.Format(untilMs) });
        p.ProblemDetails.Title = "账号已锁定 / Account locked";
        p.ProblemDetails.Type = Problems.TypeFor(StatusCodes.Status423Locked);
        return p;
    }
}

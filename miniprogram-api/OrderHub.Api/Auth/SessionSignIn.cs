using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrderHub.Application.Common;

namespace OrderHub.Api.Auth;

/// <summary>
/// Every sign-in, whichever endpoint makes it (development login, staff password, WeChat), starts a session in
/// <c>auth_sessions</c> and puts its id in the tokens; a refresh passes its session on (see <see cref="AuthApi"/>).
/// Done here, in the one place all sign-ins pass through, so no sign-in can issue a token that cannot be revoked.
/// </summary>
public sealed class SessionSignIn(IAuthenticationSchemeProvider schemes, IAuthenticationHandlerProvider handlers, IClaimsTransformation transform,
    IOptions<AuthenticationOptions> options, AuthSessions sessions) : AuthenticationService(schemes, handlers, transform, options)
{
    public override async Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties)
    {
        if (principal.SessionIdOf() is null && principal.Identity is ClaimsIdentity identity && long.TryParse(principal.FindFirstValue(OrderHubClaims.UserId), out var userId))
        {
            var sid = await sessions.StartAsync(AuthSessions.KindOf(principal.Role()), userId, context.RequestAborted);
            identity.AddClaim(new Claim(OrderHubClaims.SessionId, sid));
            identity.AddClaim(new Claim(OrderHubClaims.RefreshSeq, "0"));
        }
        await base.SignInAsync(context, scheme, principal, properties);
    }
}

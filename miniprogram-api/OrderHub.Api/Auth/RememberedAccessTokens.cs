using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace OrderHub.Api.Auth;

/// <summary>
/// Reading an access token means decrypting and authenticating it (Data Protection: key derivation, AES, HMAC), which cost
/// as much as a tenth of a catalog page's CPU (issue #19). A phone sends the same token with every request for an hour, so
/// each node remembers what a token it has already read says, for at most <c>Auth:RememberTokenSeconds</c> (default 300)
/// and never past the token's own expiry; at most 20,000 tokens are remembered. Nothing about revocation changes: the
/// session behind the token is still checked on every request (<see cref="ActiveUserCheck"/>), and the bearer handler
/// still refuses an expired ticket. Each request gets its own copy of the principal, so no request can change another's.
/// </summary>
public sealed class RememberedAccessTokens(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider clock, TimeSpan remember)
    : ISecureDataFormat<AuthenticationTicket>, IDisposable
{
    private readonly MemoryCache _read = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText) || purpose is not null) return inner.Unprotect(protectedText, purpose);
        if (!_read.TryGetValue(protectedText, out AuthenticationTicket? ticket))
        {
            ticket = inner.Unprotect(protectedText);
            if (ticket is null) return null; // not remembered: a forged or foreign token is decrypted (and refused) each time
            var now = clock.GetUtcNow();
            var until = now + remember;
            if (ticket.Properties.ExpiresUtc is { } expires && expires < until) until = expires;
            if (until > now) _read.Set(protectedText, ticket, new MemoryCacheEntryOptions { AbsoluteExpiration = until, Size = 1 });
        }
        return new AuthenticationTicket(ticket!.Principal.Clone(), ticket.Properties.Clone(), ticket.AuthenticationScheme);
    }

    public void Dispose() => _read.Dispose();
}

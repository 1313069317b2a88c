using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using OrderHub.Application.WeChat;

namespace OrderHub.Api.WeChat;

/// <summary>The WeChat user of an unbound login (openid, unionid), signed and time-limited, for the binding call.</summary>
public sealed record WeChatIdentity(string OpenId, string? UnionId);

/// <summary>
/// Seals a <see cref="WeChatIdentity"/> into an opaque token with ASP.NET Core Data Protection (encrypted and signed,
/// expiring after WeChat:SessionMinutes). The session_key is never in it.
/// </summary>
public sealed class PendingWeChatIdentity(IDataProtectionProvider provider, WeChatSettings settings, TimeProvider clock)
{
    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("OrderHub.WeChat.PendingIdentity.v1").ToTimeLimitedDataProtector();

    public (string Token, DateTimeOffset ExpiresAt) Protect(WeChatIdentity identity)
    {
        var expires = clock.GetUtcNow().AddMinutes(Math.Max(1, settings.SessionMinutes));
        return (_protector.Protect(JsonSerializer.Serialize(identity), expires), expires);
    }

    /// <returns>The identity, or null when the token is forged, damaged or expired.</returns>
    public WeChatIdentity? Unprotect(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 4096) return null;
        try
        {
            var json = _protector.Unprotect(token, out var expiration);
            if (expiration <= clock.GetUtcNow()) return null;
            return JsonSerializer.Deserialize<WeChatIdentity>(json) is { OpenId.Length: > 0 } id ? id : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }
}

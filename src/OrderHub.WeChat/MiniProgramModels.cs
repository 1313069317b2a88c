using System.Text.Json.Serialization;

namespace OrderHub.WeChat;

/// <summary>
/// Result of exchanging a wx.login code. <see cref="SessionKey"/> is secret: keep it server-side,
/// never log it and never send it to the mini-program. <see cref="ToString"/> masks it.
/// </summary>
public sealed class WeChatSession
{
    public WeChatSession(string openId, string? unionId, string sessionKey)
    {
        OpenId = openId;
        UnionId = unionId;
        SessionKey = sessionKey;
    }

    public string OpenId { get; }

    /// <summary>Present only when the mini-program is bound to a WeChat Open Platform account.</summary>
    public string? UnionId { get; }

    public string SessionKey { get; }

    public override string ToString() => $"WeChatSession {{ OpenId = {OpenId}, UnionId = {UnionId ?? "-"}, SessionKey = *** }}";
}

/// <summary>An image from WeChat and the media type WeChat labelled it with (e.g. "image/jpeg").</summary>
public sealed record WeChatImage(byte[] Content, string ContentType)
{
    public override string ToString() => $"WeChatImage {{ ContentType = {ContentType}, Length = {Content.Length} }}";
}

/// <summary>Which build of the mini-program a subscribe message opens.</summary>
public enum MiniProgramState
{
    /// <summary>Released version ("formal"), WeChat's default.</summary>
    Formal,
    /// <summary>Trial version ("trial").</summary>
    Trial,
    /// <summary>Developer version ("developer").</summary>
    Developer,
}

internal static class MiniProgramWire
{
    public static string ToWire(this MiniProgramState state) => state switch
    {
        MiniProgramState.Trial => "trial",
        MiniProgramState.Developer => "developer",
        _ => "formal",
    };
}

internal sealed record MpTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

internal sealed record StableTokenRequest(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("appid")] string AppId,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("force_refresh")] bool ForceRefresh);

internal sealed record Code2SessionResponse(
    [property: JsonPropertyName("openid")] string? OpenId,
    [property: JsonPropertyName("unionid")] string? UnionId,
    [property: JsonPropertyName("session_key")] string? SessionKey);

internal sealed record UnlimitedQrCodeRequest(
    [property: JsonPropertyName("scene")] string Scene,
    [property: JsonPropertyName("page")] string? Page,
    [property: JsonPropertyName("check_path")] bool CheckPath,
    [property: JsonPropertyName("env_version")] string EnvVersion,
    [property: JsonPropertyName("width")] int Width);

internal sealed record SubscribeValue([property: JsonPropertyName("value")] string Value);

internal sealed record SubscribeSendRequest(
    [property: JsonPropertyName("touser")] string ToUser,
    [property: JsonPropertyName("template_id")] string TemplateId,
    [property: JsonPropertyName("page")] string? Page,
    [property: JsonPropertyName("data")] Dictionary<string, SubscribeValue> Data,
    [property: JsonPropertyName("miniprogram_state")] string MiniprogramState,
    [property: JsonPropertyName("lang")] string Lang);

internal sealed record SubscribeSendResponse([property: JsonPropertyName("msgid")] long? MsgId);

using System.Text.RegularExpressions;

namespace OrderHub.WeChat;

/// <summary>Removes credentials from URLs and text before they reach a log or an exception message.</summary>
public static partial class WeChatRedaction
{
    public const string Mask = "***";

    // query parameters that carry credentials or one-time login codes
    [GeneratedRegex(@"(?<name>\b(?:access_token|secret|corpsecret|appsecret|js_code|session_key)=)[^&\s""'#]*", RegexOptions.IgnoreCase)]
    private static partial Regex QueryValue();

    // the same names as JSON properties: "session_key":"..."
    [GeneratedRegex(@"(?<name>""(?:access_token|secret|corpsecret|appsecret|js_code|session_key)""\s*:\s*"")[^""]*", RegexOptions.IgnoreCase)]
    private static partial Regex JsonValue();

    /// <summary>The URL with access_token, secret, corpsecret, js_code and session_key values masked.</summary>
    public static string RedactUrl(Uri? uri) => uri is null ? "" : RedactText(uri.ToString());

    /// <summary>Masks credential-looking query values and JSON properties, and any of <paramref name="knownSecrets"/>.</summary>
    public static string RedactText(string? text, IEnumerable<string?>? knownSecrets = null)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = QueryValue().Replace(text, m => m.Groups["name"].Value + Mask);
        result = JsonValue().Replace(result, m => m.Groups["name"].Value + Mask);
        if (knownSecrets is not null)
        {
            foreach (var secret in knownSecrets)
            {
                // very short strings would mask innocent text; real secrets and tokens are long
                if (!string.IsNullOrEmpty(secret) && secret.Length >= 6)
                    result = result.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }
        return result;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderHub.WeChat;

/// <summary>A subscribe-message value that cannot be made valid for its template field type.</summary>
public sealed class SubscribeFieldException(string field, string value, string reasonZh, string reasonEn)
    : ArgumentException($"订阅消息字段 {field} 的值不符合其类型规则：{reasonZh} / subscribe-message field {field}: {reasonEn} (value \"{Shorten(value)}\")", field)
{
    public string Field { get; } = field;

    private static string Shorten(string v) => v.Length > 40 ? v[..40] + "…" : v;
}

/// <summary>
/// Validates and formats subscribe-message values by template field type, the type being the key without its number
/// ("time2" → time). Rules from developers.weixin.qq.com, 小程序 订阅消息 sendMessage, 订阅消息参数值内容限制说明:
/// thing ≤ 20 characters; number ≤ 32 digits, decimals allowed; letter ≤ 32 letters; symbol ≤ 5 symbols;
/// character_string ≤ 32 digits, letters or symbols; time a 24-hour time, a date before it allowed, a range joined by "~";
/// date a date, a 24-hour time after it allowed, a range joined by "~"; amount one currency symbol and ≤ 10 digits, decimals
/// allowed, "元" at the end allowed; phone_number ≤ 17 digits and symbols; car_number ≤ 8, first and last may be Chinese,
/// the rest letters or digits; name ≤ 10 Chinese characters or ≤ 20 letters or symbols (mixed counts as Chinese);
/// phrase ≤ 5 Chinese characters. "-" (our old stand-in for an empty value) is not valid in number, amount, time or phrase.
/// </summary>
public static partial class SubscribeMessageFields
{
    private const string DatePart = @"(\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)";
    private const string ClockPart = @"([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?";

    [GeneratedRegex("^(" + DatePart + @"\s*)?" + ClockPart + "$")] private static partial Regex TimePoint();
    [GeneratedRegex("^" + DatePart + @"(\s*" + ClockPart + ")?$")] private static partial Regex DatePoint();
    [GeneratedRegex("^" + DatePart + "$")] private static partial Regex DateOnly();
    [GeneratedRegex(@"^\d+(\.\d+)?$")] private static partial Regex Number();
    [GeneratedRegex(@"^[A-Za-z]+$")] private static partial Regex Letters();
    [GeneratedRegex(@"^[!-~]+$")] private static partial Regex AsciiVisible();
    [GeneratedRegex(@"^[0-9+\-() ]+$")] private static partial Regex Phone();
    [GeneratedRegex(@"^[\u4e00-\u9fff]?[A-Za-z0-9]+[\u4e00-\u9fff]?$")] private static partial Regex CarNumber();
    [GeneratedRegex(@"^[\u4e00-\u9fff]+$")] private static partial Regex Chinese();
    [GeneratedRegex(@"^[\p{P}\p{S}]+$")] private static partial Regex Symbols();
    [GeneratedRegex(@"[\u4e00-\u9fff]")] private static partial Regex AnyChinese();

    /// <summary>"time2" → "time", "character_string12" → "character_string".</summary>
    public static string TypeOf(string key) => key.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');

    /// <summary>
    /// <paramref name="value"/> made valid for field <paramref name="key"/>: trimmed, long text shortened where the type
    /// allows it (thing, character_string, name), amounts given a ¥ sign and digits only; anything else that breaks the
    /// type's rule throws <see cref="SubscribeFieldException"/> naming the field, so it is never sent to WeChat.
    /// </summary>
    public static string Format(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var v = (value ?? "").Trim();
        var type = TypeOf(key);
        SubscribeFieldException Bad(string zh, string en) => new(key, v, zh, en);
        if (v.Length == 0 && type is "number" or "amount" or "time" or "date" or "phrase" or "letter" or "symbol" or "phone_number" or "car_number")
            throw Bad("不能为空（\"-\" 也不行）", "must not be empty (nor \"-\")");
        switch (type)
        {
            case "thing":
                return v.Length == 0 ? "-" : v.Length <= 20 ? v : v[..19] + "…";
            case "character_string":
                if (v.Length == 0) return "-";
                v = v.Replace(" ", "", StringComparison.Ordinal);
                if (!AsciiVisible().IsMatch(v)) throw Bad("只能是数字、字母或符号", "digits, letters or symbols only");
                return v.Length <= 32 ? v : v[..32];
            case "number":
                v = v.Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
                if (!Number().IsMatch(v)) throw Bad("只能是数字（可带小数，不能为负数）", "digits only, decimals allowed, not negative");
                if (v.Length > 32) throw Bad("最多 32 位", "at most 32 digits");
                return v;
            case "letter":
                if (!Letters().IsMatch(v)) throw Bad("只能是字母", "letters only");
                return v.Length <= 32 ? v : v[..32];
            case "symbol":
                if (!Symbols().IsMatch(v) || v.Length > 5) throw Bad("只能是 5 个以内符号", "at most 5 symbols");
                return v;
            case "amount":
                return Amount(v) ?? throw Bad("须为币种符号加 10 位以内数字（可带小数，不能为负数），如 ¥12.50", "a currency sign and at most 10 digits (decimals allowed, not negative), e.g. ¥12.50");
            case "time":
                if (Points(v).All(p => DateOnly().IsMatch(p)))
                    throw Bad("须包含 24 小时制时间，只有日期不行（如 2025-06-30 23:59）", "needs a 24-hour time of day, a date alone is refused (e.g. 2025-06-30 23:59)");
                if (!Points(v).All(p => TimePoint().IsMatch(p))) throw Bad("须为 24 小时制时间，可带日期，时间段用 ~ 连接", "a 24-hour time, optionally after a date; a range joined by ~");
                return v;
            case "date":
                if (!Points(v).All(p => DatePoint().IsMatch(p))) throw Bad("须为年月日，可带 24 小时制时间，时间段用 ~ 连接", "a date, optionally with a 24-hour time; a range joined by ~");
                return v;
            case "phrase":
                if (!Chinese().IsMatch(v) || v.Length > 5) throw Bad("只能是 5 个以内汉字", "at most 5 Chinese characters");
                return v;
            case "name":
                if (v.Length == 0) throw Bad("不能为空", "must not be empty");
                return AnyChinese().IsMatch(v) ? (v.Length <= 10 ? v : v[..10]) : (v.Length <= 20 ? v : v[..20]);
            case "phone_number":
                if (!Phone().IsMatch(v) || v.Length > 17) throw Bad("只能是 17 位以内数字和符号", "at most 17 digits and symbols");
                return v;
            case "car_number":
                if (!CarNumber().IsMatch(v) || v.Length > 8) throw Bad("8 位以内，首尾可为汉字，其余为字母或数字", "at most 8; first and last may be Chinese, the rest letters or digits");
                return v;
            default:
                return v.Length == 0 ? "-" : v;
        }
    }

    /// <summary>Throws <see cref="SubscribeFieldException"/> for the first value WeChat would refuse as it stands.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> data)
    {
        foreach (var (key, value) in data)
            if (Format(key, value) != value)
                throw new SubscribeFieldException(key, value, $"应为 \"{Format(key, value)}\"", $"WeChat would refuse it; \"{Format(key, value)}\" would do");
    }

    private static string[] Points(string v) => v.Split('~') is { Length: 1 or 2 } parts ? parts.Select(p => p.Trim()).ToArray() : ["\u0000"];

    private static string? Amount(string v)
    {
        v = v.Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        var yuan = v.EndsWith('元');
        if (yuan) v = v[..^1];
        if (v.Length > 0 && v[0] is '¥' or '￥' or '$' or '€' or '£') v = v[1..];
        if (!Number().IsMatch(v) || v.Count(char.IsAsciiDigit) > 10) return null;
        return "¥" + v;
    }
}

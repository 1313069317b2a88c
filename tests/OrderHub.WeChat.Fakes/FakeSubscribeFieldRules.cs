using System.Text.RegularExpressions;

namespace OrderHub.WeChat.Fakes;

/// <summary>
/// The fake's check of subscribe-message values per template field type, written from the table in
/// developers.weixin.qq.com, 小程序 服务端 订阅消息 sendMessage, "订阅消息参数值内容限制说明":
/// thing 20个以内字符; number 32位以内数字, 只能数字, 可带小数; letter 32位以内字母; symbol 5位以内符号;
/// character_string 32位以内数字、字母或符号; time 24小时制时间格式（支持+年月日）, 支持填时间段, 两个时间点之间用"~"连接;
/// date 年月日格式（支持+24小时制时间）, 时间段用"~"; amount 1个币种符号+10位以内纯数字, 可带小数, 结尾可带"元";
/// phone_number 17位以内, 数字、符号; car_number 8位以内, 第一位与最后一位可为汉字, 其余为字母或数字;
/// name 10个以内纯汉字或20个以内纯字母或符号, 中文和字母混合按中文名算, 10个字内; phrase 5个以内汉字.
/// The same page's FAQ: "-" is not a valid value of number, amount, time or phrase (it fails each rule above as well).
/// A failing field is answered with errcode 47003 naming it: "argument invalid! data.time2.value invalid".
/// </summary>
public static partial class FakeSubscribeFieldRules
{
    private const string Date = @"(\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)";
    private const string Clock = @"([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?";

    [GeneratedRegex("^" + "(" + Date + @"\s*)?" + Clock + "$")] private static partial Regex TimePoint();
    [GeneratedRegex("^" + Date + @"(\s*" + Clock + ")?$")] private static partial Regex DatePoint();
    [GeneratedRegex(@"^\d+(\.\d+)?$")] private static partial Regex Number();
    [GeneratedRegex(@"^[A-Za-z]+$")] private static partial Regex Letter();
    [GeneratedRegex(@"^[!-~]+$")] private static partial Regex CharacterString();
    [GeneratedRegex(@"^[¥￥$€£]\d{1,10}(\.\d+)?元?$")] private static partial Regex Amount();
    [GeneratedRegex(@"^[0-9+\-() ]+$")] private static partial Regex Phone();
    [GeneratedRegex(@"^[\u4e00-\u9fff]?[A-Za-z0-9]+[\u4e00-\u9fff]?$")] private static partial Regex CarNumber();
    [GeneratedRegex(@"^[\u4e00-\u9fff]+$")] private static partial Regex Chinese();
    [GeneratedRegex(@"^[\p{P}\p{S}]+$")] private static partial Regex Symbols();
    [GeneratedRegex(@"[\u4e00-\u9fff]")] private static partial Regex AnyChinese();

    /// <summary>null when WeChat would accept <paramref name="value"/> for <paramref name="key"/>, else its errmsg detail ("invalid" / "exceeds limit").</summary>
    public static string? Check(string key, string value)
    {
        var type = key.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
        bool Range(Func<string, bool> point) => value.Split('~') is { Length: 1 or 2 } parts && parts.All(p => point(p.Trim()));
        return type switch
        {
            "thing" => value.Length == 0 ? "invalid" : value.Length > 20 ? "exceeds limit" : null,
            "number" => value.Length > 32 ? "exceeds limit" : Number().IsMatch(value) ? null : "invalid",
            "letter" => value.Length > 32 ? "exceeds limit" : Letter().IsMatch(value) ? null : "invalid",
            "symbol" => value.Length > 5 ? "exceeds limit" : Symbols().IsMatch(value) ? null : "invalid",
            "character_string" => value.Length > 32 ? "exceeds limit" : CharacterString().IsMatch(value) ? null : "invalid",
            "time" => Range(p => TimePoint().IsMatch(p)) ? null : "invalid",
            "date" => Range(p => DatePoint().IsMatch(p)) ? null : "invalid",
            "amount" => Amount().IsMatch(value) && value.Count(char.IsAsciiDigit) <= 10 ? null : "invalid",
            "phone_number" => value.Length > 17 ? "exceeds limit" : Phone().IsMatch(value) ? null : "invalid",
            "car_number" => value.Length > 8 ? "exceeds limit" : CarNumber().IsMatch(value) ? null : "invalid",
            "name" => value.Length == 0 ? "invalid"
                : AnyChinese().IsMatch(value) ? (value.Length > 10 ? "exceeds limit" : null)
                : value.Length > 20 ? "exceeds limit" : null,
            "phrase" => value.Length > 5 ? "exceeds limit" : Chinese().IsMatch(value) ? null : "invalid",
            _ => value.Length == 0 ? "invalid" : null,
        };
    }
}

namespace OrderHub.Application.Common;

/// <summary>
/// The one rule for text that comes in from outside (JSON strings, query, route values, headers): no control characters.
/// PostgreSQL refuses U+0000 in text (22021) and none of them belongs in a name, a code or a note; tab, line feed and
/// carriage return are the exceptions a multi-line note may carry.
/// </summary>
public static class InputText
{
    public const string ProblemZh = "不能包含控制字符";
    public const string ProblemEn = "must not contain control characters";

    public static bool HasControl(string? s)
    {
        if (s is null) return false;
        foreach (var ch in s)
            if ((ch < ' ' && ch is not ('\t' or '\n' or '\r')) || ch == '\u007f') return true;
        return false;
    }
}

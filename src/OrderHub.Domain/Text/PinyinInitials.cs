using System.Text;

namespace OrderHub.Domain.Text;

/// <summary>
/// Pinyin initials for search ("康师傅红烧牛肉面" → "ksfhsnrm"), so a retailer can type "ksf".
/// No pinyin package restores here, so this uses the fact that GB2312's level-1 characters (the 3,755 most common)
/// are ordered by pinyin: the initial is found from the character's GB2312 code. Rare (level-2) characters get no initial.
/// </summary>
public static class PinyinInitials
{
    private static readonly Encoding Gb2312 = CreateEncoding();

    // First GB2312 code (high byte * 256 + low byte) of each initial, in pinyin order; level 1 ends at 55289.
    private static readonly (int Code, char Letter)[] Boundaries =
    [
        (45217, 'a'), (45253, 'b'), (45761, 'c'), (46318, 'd'), (46826, 'e'), (47010, 'f'), (47297, 'g'),
        (47614, 'h'), (48119, 'j'), (49062, 'k'), (49324, 'l'), (49896, 'm'), (50371, 'n'), (50614, 'o'),
        (50622, 'p'), (50906, 'q'), (51387, 'r'), (51446, 's'), (52218, 't'), (52698, 'w'), (52980, 'x'),
        (53689, 'y'), (54481, 'z'),
    ];

    private const int Level1End = 55289;

    private static Encoding CreateEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB2312");
    }

    public static string Of(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length);
        Span<byte> buf = stackalloc byte[4];
        foreach (var ch in text)
        {
            if (ch < 128)
            {
                if (char.IsLetterOrDigit(ch)) sb.Append(char.ToLowerInvariant(ch));
                continue;
            }
            var n = Gb2312.GetBytes([ch], buf);
            if (n != 2) continue;
            var code = buf[0] * 256 + buf[1];
            if (code < Boundaries[0].Code || code > Level1End) continue;
            var letter = Boundaries[0].Letter;
            foreach (var (start, l) in Boundaries)
            {
                if (code < start) break;
                letter = l;
            }
            sb.Append(letter);
        }
        return sb.ToString();
    }
}

using System.Reflection;
using System.Text;

namespace OrderHub.Domain.Text;

/// <summary>
/// Full toneless pinyin for search ("康师傅" → syllables kang, shi, fu), so a shopkeeper can type "kangshifu" or "niunai".
/// The table (<c>pinyin.txt</c>, embedded) holds the first reading of every character in U+4E00–U+9FFF, generated from
/// Debian's <c>golang-github-mozillazg-go-pinyin-dev</c> (MIT) (the file header says how); polyphonic characters
/// get their most common reading only. Letters and digits pass through lower-cased as one "syllable" each run.
/// </summary>
public static class Pinyin
{
    private static readonly Dictionary<char, string> Table = Load();

    private static Dictionary<char, string> Load()
    {
        using var stream = typeof(Pinyin).Assembly.GetManifestResourceStream("OrderHub.Domain.Text.pinyin.txt")
            ?? throw new InvalidOperationException("pinyin.txt is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var table = new Dictionary<char, string>(21_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var tab = line.IndexOf('\t');
            var syllable = string.Intern(line[..tab]);
            foreach (var ch in line.AsSpan(tab + 1)) table[ch] = syllable;
        }
        return table;
    }

    /// <summary>The syllables of a text: one per Chinese character that has a reading, one per run of ASCII letters or digits.</summary>
    public static IReadOnlyList<string> Syllables(string? text)
    {
        var result = new List<string>();
        if (string.IsNullOrEmpty(text)) return result;
        var run = new StringBuilder();
        foreach (var ch in text)
        {
            if (ch < 128 && char.IsLetterOrDigit(ch)) { run.Append(char.ToLowerInvariant(ch)); continue; }
            if (run.Length > 0) { result.Add(run.ToString()); run.Clear(); }
            if (Table.TryGetValue(ch, out var s)) result.Add(s);
        }
        if (run.Length > 0) result.Add(run.ToString());
        return result;
    }

    /// <summary>The syllables run together: "康师傅红烧牛肉面" → "kangshifuhongshaoniuroumian".</summary>
    public static string Of(string? text) => string.Concat(Syllables(text));
}

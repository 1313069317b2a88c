using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace OrderHub.Erp.Tryton.Rpc;

/// <summary>
/// Converts between plain .NET values and Tryton's JSON-RPC encoding.
/// Tryton sends Decimal, date and datetime as objects tagged with <c>__class__</c>
/// (e.g. <c>{"__class__": "Decimal", "decimal": "85.00"}</c>); everything else is ordinary JSON.
/// </summary>
/// <remarks>
/// Outgoing values: null, bool, string, int/long/double, decimal, <see cref="DateOnly"/>, <see cref="DateTime"/>,
/// <see cref="IDictionary{TKey,TValue}"/> with string keys, and any other <see cref="IEnumerable"/> as an array.
/// Incoming values: the same, with objects as <c>Dictionary&lt;string, object?&gt;</c>, arrays as
/// <c>List&lt;object?&gt;</c>, integral numbers as long and other numbers as double.
/// Tryton datetimes are naive and UTC (trytond sets TZ=UTC); they come back with <see cref="DateTimeKind.Utc"/>.
/// </remarks>
public static class TrytonJson
{
    public static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case string s: w.WriteStringValue(s); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case float f: w.WriteNumberValue(f); break;
            case decimal m:
                w.WriteStartObject();
                w.WriteString("__class__", "Decimal");
                w.WriteString("decimal", m.ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
                break;
            case DateOnly d:
                w.WriteStartObject();
                w.WriteString("__class__", "date");
                w.WriteNumber("year", d.Year);
                w.WriteNumber("month", d.Month);
                w.WriteNumber("day", d.Day);
                w.WriteEndObject();
                break;
            case DateTime t:
                var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
                w.WriteStartObject();
                w.WriteString("__class__", "datetime");
                w.WriteNumber("year", utc.Year);
                w.WriteNumber("month", utc.Month);
                w.WriteNumber("day", utc.Day);
                w.WriteNumber("hour", utc.Hour);
                w.WriteNumber("minute", utc.Minute);
                w.WriteNumber("second", utc.Second);
                w.WriteNumber("microsecond", (int)(utc.Ticks % TimeSpan.TicksPerSecond / 10));
                w.WriteEndObject();
                break;
            case IDictionary<string, object?> dict:
                w.WriteStartObject();
                foreach (var (k, v) in dict)
                {
                    w.WritePropertyName(k);
                    Write(w, v);
                }
                w.WriteEndObject();
                break;
            case IEnumerable items:
                w.WriteStartArray();
                foreach (var item in items) Write(w, item);
                w.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"Cannot send a {value.GetType().Name} to Tryton.");
        }
    }

    public static object? Read(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        JsonValueKind.Array => e.EnumerateArray().Select(Read).ToList(),
        JsonValueKind.Object => ReadObject(e),
        _ => throw new FormatException($"Unexpected JSON {e.ValueKind}"),
    };

    private static object? ReadObject(JsonElement e)
    {
        if (e.TryGetProperty("__class__", out var cls))
        {
            switch (cls.GetString())
            {
                case "Decimal":
                    return decimal.Parse(e.GetProperty("decimal").GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
                case "date":
                    return new DateOnly(Int(e, "year"), Int(e, "month"), Int(e, "day"));
                case "datetime":
                    return new DateTime(Int(e, "year"), Int(e, "month"), Int(e, "day"),
                            Int(e, "hour"), Int(e, "minute"), Int(e, "second"), DateTimeKind.Utc)
                        .AddTicks(Int(e, "microsecond") * 10L);
                case "time":
                    return new TimeOnly(Int(e, "hour"), Int(e, "minute"), Int(e, "second")).Add(TimeSpan.FromTicks(Int(e, "microsecond") * 10L));
                case "timedelta":
                    return TimeSpan.FromSeconds(e.GetProperty("seconds").GetDouble());
                case "bytes":
                    return Convert.FromBase64String(e.GetProperty("base64").GetString()!);
            }
        }
        var dict = new Dictionary<string, object?>();
        foreach (var p in e.EnumerateObject()) dict[p.Name] = Read(p.Value);
        return dict;
    }

    private static int Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
}

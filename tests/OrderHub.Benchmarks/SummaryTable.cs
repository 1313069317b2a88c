namespace OrderHub.Benchmarks;

/// <summary>The closing table: one row per figure, one column per database run (and Tryton's freshness when it ran).</summary>
public static class SummaryTable
{
    public static List<Dictionary<string, string>> Build(IReadOnlyList<Dictionary<string, object?>> results)
    {
        var runs = results.Where(r => r.ContainsKey("catalog")).ToList();
        var rows = new List<Dictionary<string, string>>();
        void Row(string figure, Func<Dictionary<string, object?>, string> value)
        {
            var row = new Dictionary<string, string> { ["figure"] = figure };
            foreach (var r in runs) row[$"{r["database"]}, {r["size"]}"] = value(r);
            rows.Add(row);
        }
        static string Load(object? o, string unit = "req") => o is LoadResult l
            ? $"{l.PerSecond:N0} {unit}/s, p50 {Ms(l.P50Ms)}, p99 {Ms(l.P99Ms)}; refused {l.Refused:N0}, errors {l.Errors:N0}"
            : "-";
        Row("catalog page (20 items)", r => Load(r["catalog"]));
        Row("product detail", r => Load(r["productDetail"]));
        static string Wrk(object? o, Func<WrkSet, WrkResult> at8, Func<WrkSet, WrkResult> at64) => o is WrkSet w
            ? $"8 conn: {at8(w)} · 64 conn: {at64(w)}"
            : "-";
        Row("wrk: /health (the server's ceiling)", r => Wrk(r.GetValueOrDefault("wrk"), w => w.Health8, w => w.Health64));
        Row("wrk: catalog page (20 items)", r => Wrk(r.GetValueOrDefault("wrk"), w => w.Catalog8, w => w.Catalog64)
            + (r.GetValueOrDefault("wrk") is WrkSet s ? $" · {s.CatalogShareOfHealth:P0} of /health" : ""));
        Row("wrk: product detail", r => Wrk(r.GetValueOrDefault("wrk"), w => w.Detail8, w => w.Detail64));
        Row("wrk: catalog page asked with Brotli, 64 conn", r => r.GetValueOrDefault("wrk") is WrkSet b ? b.CatalogBrotli64.ToString() : "-");
        Row("phones: bytes per catalog page, 304 on an unchanged page", r => r.GetValueOrDefault("phonePayload")?.ToString() ?? "-");
        Row("cart update (PUT, re-priced cart)", r => Load(r["cartUpdate"]));
        Row("order submit (10 lines, all stores at once)", r => Load(r["orderSubmit"], "orders"));
        Row("order checks (stock ≥ 0, 1 order per ok, replay, reservations)", r => r["orderRun"] is OrderRunResult o
            ? (o.NegativeStockRows == 0 && o.OneOrderPerOkSubmit && o.ReplayReturnedSameOrder && o.ReservedIncrease == o.NewOrderLineQuantity ? "all ok" : "FAILED (see above)")
            : "-");
        Row("freshness, demo ERP → catalog", r => r["freshness"]?.ToString() ?? "-");
        Row("initial ERP import (via the jobs)", r => r["erpImport"] is ImportResult i
            ? (double.IsFinite(i.Seconds) ? $"{i.Seconds:F1} s" : $"NOT FINISHED ({i.CustomerPrices:N0} customer prices)") +
              $", server peak {i.ServerPeakMb:F0} MB; price-list rows {i.PriceListRows:N0}/{i.ExpectedPriceListRows:N0}"
            : "-");
        Row("server memory after the runs", r => $"RSS {r["serverRssMb"]:F0} MB" +
            (r.GetValueOrDefault("serverRssBusyMb") is double busy ? $" after {Scenario.QuietBeforeMemory.TotalSeconds:F0} s quiet; {busy:F0} MB right after the order run" : "") +
            (r.GetValueOrDefault("serverPeakMb") is double peak ? $", peak {peak:F0} MB" : ""));
        if (results.FirstOrDefault(r => r.ContainsKey("figure") && (string?)r["figure"] == "trytonSideBySide") is { } tryton)
        {
            var row = new Dictionary<string, string> { ["figure"] = "freshness, Tryton → catalog" };
            row["tryton"] = tryton.TryGetValue("freshness", out var f) && f is not null ? f.ToString()! : tryton.GetValueOrDefault("freshnessError")?.ToString() ?? "-";
            rows.Add(row);
        }
        return rows;
    }

    public static void Print(List<Dictionary<string, string>> rows)
    {
        var columns = rows.SelectMany(r => r.Keys).Where(k => k != "figure").Distinct().ToList();
        if (columns.Count == 0) return; // no full run (e.g. --import-only)
        var width = rows.Max(r => r["figure"].Length);
        Console.WriteLine();
        Console.WriteLine($"{"figure".PadRight(width)}  {string.Join("  |  ", columns)}");
        foreach (var r in rows)
            Console.WriteLine($"{r["figure"].PadRight(width)}  {string.Join("  |  ", columns.Select(c => r.GetValueOrDefault(c, "")))}");
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms >= 1000 ? $"{ms / 1000:F2} s" : $"{ms:F1} ms";
}

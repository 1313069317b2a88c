using System.Globalization;
using ClosedXML.Excel;

namespace OrderHub.Application.Reports;

/// <summary>How a report column is written: text, money (fen in, yuan with two decimals out), a number, or a share (0.25 → 25.00%).</summary>
public static class ReportColumnKinds
{
    public const string Text = "text";
    public const string Money = "money";
    public const string Number = "number";
    public const string Percent = "percent";
    public static readonly string[] All = [Text, Money, Number, Percent];
}

public sealed record ReportColumn(string Label, string Kind);

/// <summary>A report table as the console shows it; a value is a string, a decimal or null.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// 报表导出: one report table as an XLSX sheet (ClosedXML, as the statements and order exports are): a title row, a bold
/// header, then the rows; money columns in yuan with two decimals, shares as percentages, numbers as numbers.
/// </summary>
public static class ReportWorkbook
{
    public const int MaxRows = 20_000;
    public const int MaxColumns = 40;
    public const int MaxTitle = 80;

    public static Dictionary<string, string[]> Validate(ReportTable t)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(t.Title) || t.Title.Length > MaxTitle) errors["title"] = [$"标题不能为空且不超过 {MaxTitle} 字 / title is required, at most {MaxTitle} characters"];
        if (t.Columns.Count is 0 or > MaxColumns) errors["columns"] = [$"列数应为 1 到 {MaxColumns} / 1 to {MaxColumns} columns"];
        else if (t.Columns.FirstOrDefault(c => !ReportColumnKinds.All.Contains(c.Kind)) is { } bad)
            errors["columns"] = [$"列类型 {bad.Kind} 无效，应为 text、money、number、percent / column kind must be text, money, number or percent"];
        if (t.Rows.Count > MaxRows) errors["rows"] = [$"行数不能超过 {MaxRows} / at most {MaxRows} rows"];
        else if (t.Columns.Count > 0 && t.Rows.Select((r, i) => (r, i)).FirstOrDefault(x => x.r.Count != t.Columns.Count) is { r: not null } wrong)
            errors["rows"] = [$"第 {wrong.i + 1} 行的值数与列数不符 / row {wrong.i + 1} has {wrong.r.Count} values for {t.Columns.Count} columns"];
        else if (t.Rows.SelectMany(r => r.Select((v, i) => (v, i))).Any(x => x.v is not null and not decimal && t.Columns[x.i].Kind != ReportColumnKinds.Text))
            errors["rows"] = ["金额、数字、比例列的值必须为数字 / money, number and percent values must be numbers"];
        return errors;
    }

    public static string FileName(string title) =>
        string.Concat(title.Select(ch => Path.GetInvalidFileNameChars().Contains(ch) || ch is '/' or '\\' or ':' ? '_' : ch)) + ".xlsx";

    public static byte[] ToXlsx(ReportTable t)
    {
        using var wb = new XLWorkbook();
        var ws = wb.Worksheets.Add("报表");
        ws.Cell(1, 1).SetValue(t.Title);
        ws.Cell(1, 1).Style.Font.Bold = true;
        for (var i = 0; i < t.Columns.Count; i++) { ws.Cell(2, i + 1).SetValue(t.Columns[i].Label); ws.Cell(2, i + 1).DataType = XLDataType.Text; }
        ws.Row(2).Style.Font.Bold = true;
        ws.Range(2, 1, 2, t.Columns.Count).Style.Fill.BackgroundColor = XLColor.LightGray;
        for (var r = 0; r < t.Rows.Count; r++)
            for (var i = 0; i < t.Columns.Count; i++)
            {
                var cell = ws.Cell(r + 3, i + 1);
                switch (t.Rows[r][i], t.Columns[i].Kind)
                {
                    case (null, _): break;
                    case (decimal fen, ReportColumnKinds.Money): cell.SetValue(fen / 100m); cell.Style.NumberFormat.Format = "0.00"; break;
                    case (decimal share, ReportColumnKinds.Percent): cell.SetValue(share); cell.Style.NumberFormat.Format = "0.00%"; break;
                    case (decimal n, _): cell.SetValue(n); break;
                    case (var v, _): cell.SetValue(Convert.ToString(v, CultureInfo.InvariantCulture)); cell.DataType = XLDataType.Text; break;
                }
            }
        ws.Columns(1, t.Columns.Count).Width = 16; // (AdjustToContents needs System.Drawing, absent on Linux)
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return ms.ToArray();
    }
}

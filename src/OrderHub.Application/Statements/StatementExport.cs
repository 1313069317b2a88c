using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Statements;

/// <summary>
/// A statement as a file the store or finance opens in Excel or WPS: a title with the store and the period, the opening row,
/// one row per entry, the closing row with the period's totals. Amounts are yuan with two decimals.
/// </summary>
public static class StatementExport
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static readonly string[] Formats = ["csv", "xlsx"];

    private static readonly string[] Header = ["日期", "类型", "单号/参考", "摘要", "借方(元)", "贷方(元)", "余额(元)"];

    public static string Title(Statement s) => $"客户对账单 {s.Customer.Name} ({s.Customer.Code})";
    public static string PeriodText(Statement s) => $"期间 {s.Period}";

    /// <summary>对账单_C00010_2026-11-01_2026-11-30.csv</summary>
    public static string FileName(Statement s, string format) =>
        $"对账单_{s.Customer.Code}_{StatementPeriod.Format(s.Period.From)}_{StatementPeriod.Format(s.Period.To)}.{format}";

    /// <summary>"1234.50", "-12.00": invariant, no thousands separator, so spreadsheets read it as a number.</summary>
    public static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    // ---- CSV (RFC 4180) --------------------------------------------------------------------------------------------

    /// <summary>UTF-8 with a byte-order mark (so Excel reads the Chinese correctly), CRLF line ends, RFC 4180 quoting.</summary>
    public static byte[] ToCsv(Statement s)
    {
        var sb = new StringBuilder();
        void Row(params string?[] cells) => sb.Append(string.Join(',', cells.Select(Field))).Append("\r\n");

        Row(Text(Title(s)));
        Row(Text(PeriodText(s)), Text($"生成时间 {ShanghaiTime.Format(s.GeneratedAtMs)}"));
        Row(Header);
        Row("", "期初余额", "", "", "", "", Yuan(s.OpeningFen));
        foreach (var l in s.Lines)
            Row(StatementPeriod.Format(l.Date), l.KindText, Text(l.Reference), Text(l.Note),
                l.DebitFen != 0 ? Yuan(l.DebitFen) : "", l.CreditFen != 0 ? Yuan(l.CreditFen) : "", Yuan(l.BalanceFen));
        Row("", "期末余额", "", "本期合计", Yuan(s.DebitTotalFen), Yuan(s.CreditTotalFen), Yuan(s.ClosingFen));

        var bom = Encoding.UTF8.GetPreamble();
        var body = Encoding.UTF8.GetBytes(sb.ToString());
        return [.. bom, .. body];
    }

    /// <summary>Quotes a field when it holds a comma, quote, CR or LF; doubles inner quotes.</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    /// <summary>
    /// Free text typed by people (references, notes, names): a leading = + - @ would make a spreadsheet run it as a formula,
    /// so such text gets a leading apostrophe.
    /// </summary>
    public static string? Text(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    // ---- XLSX (ClosedXML) ------------------------------------------------------------------------------------------

    public const string SheetName = "对账单";

    public static byte[] ToXlsx(Statement s)
    {
        using var wb = new XLWorkbook();
        var ws = wb.Worksheets.Add(SheetName);
        var r = 1;

        SetText(ws.Cell(r, 1), Title(s));
        ws.Range(r, 1, r, Header.Length).Merge();
        ws.Cell(r, 1).Style.Font.Bold = true;
        ws.Cell(r, 1).Style.Font.FontSize = 14;
        r++;
        SetText(ws.Cell(r, 1), PeriodText(s));
        ws.Range(r, 1, r, 3).Merge();
        SetText(ws.Cell(r, 4), $"生成时间 {ShanghaiTime.Format(s.GeneratedAtMs)}");
        ws.Range(r, 4, r, Header.Length).Merge();
        r++;

        for (var i = 0; i < Header.Length; i++) SetText(ws.Cell(r, i + 1), Header[i]);
        ws.Row(r).Style.Font.Bold = true;
        ws.Range(r, 1, r, Header.Length).Style.Fill.BackgroundColor = XLColor.LightGray;
        var headerRow = r;
        r++;

        SetText(ws.Cell(r, 2), "期初余额");
        SetAmount(ws.Cell(r, 7), s.OpeningFen);
        ws.Row(r).Style.Font.Bold = true;
        r++;

        foreach (var l in s.Lines)
        {
            ws.Cell(r, 1).SetValue(l.Date.ToDateTime(TimeOnly.MinValue));
            ws.Cell(r, 1).Style.DateFormat.Format = "yyyy-mm-dd";
            SetText(ws.Cell(r, 2), l.KindText);
            SetText(ws.Cell(r, 3), l.Reference);
            SetText(ws.Cell(r, 4), l.Note);
            if (l.DebitFen != 0) SetAmount(ws.Cell(r, 5), l.DebitFen);
            if (l.CreditFen != 0) SetAmount(ws.Cell(r, 6), l.CreditFen);
            SetAmount(ws.Cell(r, 7), l.BalanceFen);
            r++;
        }

        SetText(ws.Cell(r, 2), "期末余额");
        SetText(ws.Cell(r, 4), "本期合计");
        SetAmount(ws.Cell(r, 5), s.DebitTotalFen);
        SetAmount(ws.Cell(r, 6), s.CreditTotalFen);
        SetAmount(ws.Cell(r, 7), s.ClosingFen);
        ws.Row(r).Style.Font.Bold = true;

        // Fixed widths: measuring text (AdjustToContents) needs GDI+, which Linux servers do not have.
        double[] widths = [12, 8, 22, 36, 14, 14, 14];
        for (var i = 0; i < widths.Length; i++) ws.Column(i + 1).Width = widths[i];
        ws.SheetView.FreezeRows(headerRow);

        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return ms.ToArray();
    }

    /// <summary>Always text: never parsed as a number, date or formula.</summary>
    private static void SetText(IXLCell cell, string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        cell.SetValue(text);
        cell.DataType = XLDataType.Text;
    }

    private static void SetAmount(IXLCell cell, long fen)
    {
        cell.SetValue(fen / 100m);
        cell.Style.NumberFormat.Format = "#,##0.00";
    }
}

using System.Text;
using ClosedXML.Excel;
using Dapper;
using OrderHub.Application.Data;
using OrderHub.Application.Statements;
using OrderHub.Domain.Time;

namespace OrderHub.Application.Chains;

/// <summary>One store of the chain in the consolidated statement: its own period statement, whose totals are its subtotal.</summary>
public sealed record ChainStatementBranch(Statement Statement, bool IsHeadOffice);

/// <summary>A chain's consolidated statement (连锁合并对账单): the head office and every branch, each with its subtotal, and the chain's totals.</summary>
public sealed record ChainStatement(StatementCustomer HeadOffice, StatementPeriod Period, IReadOnlyList<ChainStatementBranch> Branches, long GeneratedAtMs)
{
    public long OpeningFen => Branches.Sum(b => b.Statement.OpeningFen);
    public long DebitTotalFen => Branches.Sum(b => b.Statement.DebitTotalFen);
    public long CreditTotalFen => Branches.Sum(b => b.Statement.CreditTotalFen);
    public long ClosingFen => Branches.Sum(b => b.Statement.ClosingFen);
}

/// <summary>
/// The consolidated statement of a head office: the head office first, then its branches by code, each exactly the
/// statement the store itself gets (<see cref="StatementService"/>), so the subtotals and the chain's total always agree
/// with the stores' own statements.
/// </summary>
public sealed class ChainStatements(Db db, StatementService statements, TimeProvider clock)
{
    public async Task<ChainStatement?> GetAsync(long headOfficeId, StatementPeriod period, CancellationToken ct = default)
    {
        List<(long Id, bool IsHead)> members;
        StatementCustomer? head;
        await using (var c = await db.OpenAsync(ct))
        {
            head = await c.QuerySingleOrDefaultAsync<StatementCustomer>("SELECT id AS Id, code AS Code, name AS Name FROM customers WHERE id = @headOfficeId", new { headOfficeId });
            if (head is null) return null;
            members = (await c.QueryAsync<(long, bool)>("""
                SELECT id, CASE WHEN id = @headOfficeId THEN TRUE ELSE FALSE END FROM customers
                WHERE id = @headOfficeId OR parent_customer_id = @headOfficeId
                ORDER BY CASE WHEN id = @headOfficeId THEN 0 ELSE 1 END, code
                """, new { headOfficeId })).ToList();
        }
        var branches = new List<ChainStatementBranch>();
        foreach (var (id, isHead) in members)
            branches.Add(new ChainStatementBranch((await statements.GetAsync(id, period, ct))!, isHead));
        return new ChainStatement(head, period, branches, clock.GetUtcNow().ToUnixTimeMilliseconds());
    }
}

/// <summary>The consolidated statement as CSV or XLSX: per store its opening, entries and subtotal row, then the chain's total row.</summary>
public static class ChainStatementExport
{
    private static readonly string[] Header = ["门店", "日期", "类型", "单号/参考", "摘要", "借方(元)", "贷方(元)", "余额(元)"];

    public static string Title(ChainStatement s) => $"连锁合并对账单 {s.HeadOffice.Name} ({s.HeadOffice.Code})";

    public static string FileName(ChainStatement s, string format) =>
        $"合并对账单_{s.HeadOffice.Code}_{StatementPeriod.Format(s.Period.From)}_{StatementPeriod.Format(s.Period.To)}.{format}";

    private static IEnumerable<string?[]> Rows(ChainStatement s)
    {
        foreach (var b in s.Branches)
        {
            var st = b.Statement;
            var store = $"{st.Customer.Name} ({st.Customer.Code})";
            yield return [store, "", "期初余额", "", "", "", "", StatementExport.Yuan(st.OpeningFen)];
            foreach (var l in st.Lines)
                yield return [store, StatementPeriod.Format(l.Date), l.KindText, StatementExport.Text(l.Reference), StatementExport.Text(l.Note),
                    l.DebitFen != 0 ? StatementExport.Yuan(l.DebitFen) : "", l.CreditFen != 0 ? StatementExport.Yuan(l.CreditFen) : "", StatementExport.Yuan(l.BalanceFen)];
            yield return [store, "", "小计", "", "期末余额", StatementExport.Yuan(st.DebitTotalFen), StatementExport.Yuan(st.CreditTotalFen), StatementExport.Yuan(st.ClosingFen)];
        }
        yield return ["合计", "", "", "", $"期初 {StatementExport.Yuan(s.OpeningFen)}", StatementExport.Yuan(s.DebitTotalFen), StatementExport.Yuan(s.CreditTotalFen), StatementExport.Yuan(s.ClosingFen)];
    }

    public static byte[] ToCsv(ChainStatement s)
    {
        var sb = new StringBuilder();
        void Row(IEnumerable<string?> cells) => sb.Append(string.Join(',', cells.Select(StatementExport.Field))).Append("\r\n");
        Row([StatementExport.Text(Title(s))]);
        Row([$"期间 {s.Period}", $"生成时间 {ShanghaiTime.Format(s.GeneratedAtMs)}"]);
        Row(Header);
        foreach (var r in Rows(s)) Row(r);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    public static byte[] ToXlsx(ChainStatement s)
    {
        using var wb = new XLWorkbook();
        var ws = wb.Worksheets.Add("合并对账单");
        ws.Cell(1, 1).SetValue(Title(s));
        ws.Cell(1, 1).Style.Font.Bold = true;
        ws.Cell(2, 1).SetValue($"期间 {s.Period}");
        for (var i = 0; i < Header.Length; i++) ws.Cell(3, i + 1).SetValue(Header[i]);
        ws.Row(3).Style.Font.Bold = true;
        var r = 4;
        foreach (var row in Rows(s))
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (string.IsNullOrEmpty(row[i])) continue;
                var cell = ws.Cell(r, i + 1);
                if (i >= 5 && decimal.TryParse(row[i], System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var yuan))
                {
                    cell.SetValue(yuan);
                    cell.Style.NumberFormat.Format = "#,##0.00";
                }
                else { cell.SetValue(row[i]); cell.DataType = XLDataType.Text; }
            }
            if (row[2] is "小计" || row[0] is "合计") ws.Row(r).Style.Font.Bold = true;
            r++;
        }
        double[] widths = [24, 12, 8, 22, 30, 14, 14, 14];
        for (var i = 0; i < widths.Length; i++) ws.Column(i + 1).Width = widths[i];
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return ms.ToArray();
    }
}

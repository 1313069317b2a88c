using System.Text;
using Dapper;

namespace OrderHub.Application.Data;

/// <summary>
/// Many rows in one INSERT: <c>head (@r0c0, @r0c1, …), (@r1c0, …)</c> with numbered parameters, so an order's lines are
/// one statement and one round trip instead of one each (Dapper runs a statement per element of a list argument).
/// </summary>
public static class MultiRow
{
    /// <param name="head">The statement up to and including <c>VALUES</c>.</param>
    /// <param name="rows">The values of each row, in the column order of <paramref name="head"/>.</param>
    public static string Sql(string head, IReadOnlyList<object?[]> rows, out DynamicParameters args)
    {
        if (rows.Count == 0) throw new ArgumentException("At least one row is needed", nameof(rows));
        args = new DynamicParameters();
        var sb = new StringBuilder(head).Append('\n');
        for (var r = 0; r < rows.Count; r++)
        {
            sb.Append(r == 0 ? "(" : ",\n(");
            for (var col = 0; col < rows[r].Length; col++)
            {
                if (col > 0) sb.Append(", ");
                var name = $"r{r}c{col}";
                sb.Append('@').Append(name);
                args.Add(name, rows[r][col]);
            }
            sb.Append(')');
        }
        return sb.ToString();
    }
}

namespace OrderHub.Erp.SqlDatabase.Tests.Support;

/// <summary>What the sync job does: call again while HasMore, carrying the cursor.</summary>
public static class PageReader
{
    public static async Task<(List<T> Items, string? Cursor, int Calls)> ReadAllAsync<T>(
        Func<string?, CancellationToken, Task<ErpPage<T>>> pull, string? cursor = null)
    {
        var items = new List<T>();
        var calls = 0;
        while (true)
        {
            var page = await pull(cursor, CancellationToken.None);
            calls++;
            items.AddRange(page.Items);
            cursor = page.NextCursor;
            if (!page.HasMore) return (items, cursor, calls);
            if (calls > 1000) throw new InvalidOperationException("paging does not end");
        }
    }
}

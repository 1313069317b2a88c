using System.Data.Common;
using Dapper;

namespace OrderHub.Application.Sync;

/// <summary>
/// Finds the OrderHub category for an ERP category path of names (["饮料", "饮用水"]), walking the tree from the root by
/// name and creating the categories that are missing (code "ERP:饮料/饮用水", tree path "/1/5/" as everywhere).
/// </summary>
internal sealed class CategoryPaths
{
    private readonly Dictionary<string, (long Id, string Path)> _known = [];

    /// <returns>The leaf category's id and tree path; (null, "/") for an empty path.</returns>
    public async Task<(long? Id, string Path)> ResolveAsync(DbConnection c, DbTransaction tx, IReadOnlyList<string> names)
    {
        long? parentId = null;
        var parentPath = "/";
        var key = "";
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (name.Length == 0) continue;
            key = key.Length == 0 ? name : $"{key}/{name}";
            if (!_known.TryGetValue(key, out var node))
            {
                node = await FindAsync(c, tx, parentId, name) ?? await CreateAsync(c, tx, parentId, parentPath, key, name);
                _known[key] = node;
            }
            (parentId, parentPath) = (node.Id, node.Path);
        }
        return (parentId, parentPath);
    }

    private static async Task<(long, string)?> FindAsync(DbConnection c, DbTransaction tx, long? parentId, string name)
    {
        var sql = parentId is null
            ? "SELECT id AS Id, path AS Path FROM categories WHERE parent_id IS NULL AND name = @name ORDER BY id LIMIT 1"
            : "SELECT id AS Id, path AS Path FROM categories WHERE parent_id = @parentId AND name = @name ORDER BY id LIMIT 1";
        var rows = await c.QueryAsync<(long Id, string Path)>(sql, new { parentId, name }, tx);
        return rows.Select(r => ((long, string)?)r).FirstOrDefault();
    }

    private static async Task<(long, string)> CreateAsync(DbConnection c, DbTransaction tx, long? parentId, string parentPath, string key, string name)
    {
        var code = "ERP:" + key;
        var id = await c.ExecuteScalarAsync<long?>("SELECT id FROM categories WHERE code = @code", new { code }, tx)
            ?? await c.ExecuteScalarAsync<long>("""
                INSERT INTO categories (code, name, parent_id, path, sort_order) VALUES (@code, @name, @parentId, '', 1000) RETURNING id
                """, new { code, name, parentId }, tx);
        var path = $"{parentPath}{id}/";
        await c.ExecuteAsync("UPDATE categories SET name = @name, parent_id = @parentId, path = @path WHERE id = @id", new { id, name, parentId, path }, tx);
        return (id, path);
    }
}

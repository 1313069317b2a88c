using Dapper;
using Microsoft.Extensions.Configuration;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.Sync;
using OrderHub.Erp;

namespace OrderHub.Application.GoLive;

/// <param name="Key">erp, import, warehouses, agents, staff, wechat.</param>
/// <param name="Done">Whether this step is done; <paramref name="Detail"/> says what was seen or what to do.</param>
public sealed record GoLiveItem(string Key, string Title, bool Done, string Detail, IReadOnlyList<string> Samples);

public sealed record GoLiveStatus(bool Done, IReadOnlyList<GoLiveItem> Items);

/// <summary>
/// The go-live checklist the console shows until a distributor is live (README → Go live): ERP connected, first import
/// finished with its counts, every store's warehouse holding stock, every store with an agent, staff beyond the first
/// administrator, WeChat settings present. Each item says what it saw and what to do.
/// </summary>
public sealed class GoLiveChecklist(Db db, IErpAdapter erp, InitialImport import, WarehouseRule warehouses, IConfiguration configuration)
{
    /// <summary>Asks the ERP: its own check where the adapter has one, else the first page of products.</summary>
    public async Task<ErpConnectionReport> TestConnectionAsync(CancellationToken ct = default)
    {
        try
        {
            if (erp is IErpConnectionCheck check) return await check.CheckConnectionAsync(ct);
            var page = await erp.PullProductsAsync(null, ct);
            return new ErpConnectionReport(erp.Name, "", "", "", [], "the adapter's customer query", 0, page.Items.Count, []);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ErpConnectionReport(erp.Name, "", "", "", [], "", 0, 0, [$"连接失败 / cannot connect: {e.Message}"]);
        }
    }

    public async Task<GoLiveStatus> StatusAsync(CancellationToken ct = default)
    {
        var items = new List<GoLiveItem>();
        await using var c = await db.OpenAsync(ct);

        var feeds = (await c.QueryAsync<(string Feed, long? Succeeded, string? Error)>(
            "SELECT feed, last_succeeded_at, last_error FROM sync_feeds")).ToList();
        var failing = feeds.Where(f => f.Error is not null).ToList();
        items.Add(new("erp", "连接 ERP / ERP connected", feeds.Any(f => f.Succeeded is not null) && failing.Count == 0,
            failing.Count > 0 ? $"{failing.Count} 个同步项出错 / feeds failing: {string.Join("; ", failing.Select(f => $"{f.Feed}: {f.Error}"))}"
            : feeds.Any(f => f.Succeeded is not null) ? $"{erp.Name} 同步正常 / {erp.Name} syncs" : $"尚未从 {erp.Name} 同步；请点“测试连接” / nothing synced from {erp.Name} yet: test the connection",
            failing.Select(f => f.Feed).ToList()));

        var s = await import.StatusAsync(ct);
        items.Add(new("import", "首次导入 / First import", s.Complete,
            $"商品 {s.Products}，门店 {s.Stores}，仓库 {s.Warehouses}，库存行 {s.StockRows}，客户价 {s.CustomerPrices} / products {s.Products}, stores {s.Stores}, warehouses {s.Warehouses}, stock rows {s.StockRows}, customer prices {s.CustomerPrices}"
            + (s.Complete ? "" : "；导入未完成，门店暂不能下单 / not finished: stores cannot order yet"), []));

        var (emptyCount, empty) = await warehouses.StoresWithoutStockAsync(10, ct);
        items.Add(new("warehouses", "仓库对应 / Warehouses mapped", s.Stores > 0 && emptyCount == 0,
            emptyCount == 0 ? "每个门店的仓库都有库存 / every store's warehouse holds stock"
            : $"{emptyCount} 个门店的仓库没有任何库存，请设置默认仓库或逐个指定 / {emptyCount} stores are served by a warehouse with no stock: set the default warehouse or choose per store",
            empty.Select(e => $"{e.Code} {e.Name} → {e.Warehouse}").ToList()));

        var noAgent = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers WHERE active = TRUE AND agent_id IS NULL");
        var agents = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM agents WHERE active = TRUE");
        items.Add(new("agents", "门店分配业务员 / Stores assigned to agents", agents > 0 && noAgent == 0,
            agents == 0 ? "还没有业务员：请新建业务员 / no agents yet: create them"
            : noAgent == 0 ? $"{agents} 个业务员，每个门店都已分配 / {agents} agents, every store assigned"
            : $"{noAgent} 个门店没有业务员：可用 CSV 批量分配 / {noAgent} stores have no agent: import assignments from a CSV",
            (await c.QueryAsync<string>("SELECT code FROM customers WHERE active = TRUE AND agent_id IS NULL ORDER BY code LIMIT 10")).ToList()));

        var staff = await c.QueryAsync<string>("SELECT role FROM staff WHERE active = TRUE");
        var roles = staff.Distinct().ToList();
        items.Add(new("staff", "后台人员 / Staff created", roles.Count > 1,
            $"{staff.Count()} 人，角色: {string.Join(", ", roles)} / roles present: {string.Join(", ", roles)}"
            + (roles.Count > 1 ? "" : "；请新建内勤、财务或仓库人员 / add clerk, finance or warehouse staff"), []));

        var wechat = configuration.GetValue("WeChat:Enabled", false) && !string.IsNullOrWhiteSpace(configuration["WeChat:AppId"]) && !string.IsNullOrWhiteSpace(configuration["WeChat:AppSecret"]);
        items.Add(new("wechat", "微信小程序设置 / WeChat settings", wechat,
            wechat ? "小程序 AppID 和 AppSecret 已设置 / AppID and AppSecret set" : "请在设置 WeChat 中填写 Enabled、AppId、AppSecret (README → WeChat) / set WeChat:Enabled, AppId and AppSecret", []));

        return new GoLiveStatus(items.All(i => i.Done), items);
    }
}

using OrderHub.Erp.Kingdee.Tests.Fake;

namespace OrderHub.Erp.Kingdee.Tests;

/// <summary>A running fake Kingdee plus a client and adapter pointed at it.</summary>
internal sealed class Harness : IAsyncDisposable
{
    public required FakeKingdeeServer Server { get; init; }
    public required KingdeeOptions Options { get; init; }
    public required HttpClient Http { get; init; }
    public required KingdeeWebApiClient Client { get; init; }
    public required KingdeeErpAdapter Adapter { get; init; }

    public static async Task<Harness> StartAsync(Action<KingdeeOptions>? configure = null, bool appSecret = true,
        IErpDataIssues? issues = null, KingdeeOrderAgentLookup? agentOf = null)
    {
        var server = await FakeKingdeeServer.StartAsync();
        var options = new KingdeeOptions
        {
            ServerUrl = server.BaseUrl,
            AcctId = FakeKingdeeServer.AcctId,
            Username = FakeKingdeeServer.User,
            AppId = appSecret ? FakeKingdeeServer.AppId : null,
            AppSecret = appSecret ? FakeKingdeeServer.AppSecret : null,
            Password = appSecret ? null : FakeKingdeeServer.Password,
            OrgNumber = FakeKingdeeServer.Org,
            SalerNumber = FakeKingdeeServer.Salesman,
            ExternalReferenceField = server.ReferenceField,
            Timeout = TimeSpan.FromSeconds(5),
            SafetyLag = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var client = new KingdeeWebApiClient(http, options);
        return new Harness { Server = server, Options = options, Http = http, Client = client, Adapter = new KingdeeErpAdapter(client, options, issues: issues, agentOf: agentOf) };
    }

    /// <summary>Seeded data is dated in the past; "later" changes use the fake's clock after a short pause so they fall after any window already read.</summary>
    public static DateTime Past(int day, int hour = 9) => new(2025, 3, day, hour, 0, 0, 123, DateTimeKind.Unspecified);

    public async Task<DateTime> LaterAsync()
    {
        await Task.Delay(20);
        return Server.Now();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>Collects the data issues an adapter reports.</summary>
internal sealed class IssueList : IErpDataIssues
{
    private readonly List<ErpDataIssue> _all = [];
    public IReadOnlyList<ErpDataIssue> All { get { lock (_all) return _all.ToList(); } }
    public void Report(ErpDataIssue issue) { lock (_all) _all.Add(issue); }
}

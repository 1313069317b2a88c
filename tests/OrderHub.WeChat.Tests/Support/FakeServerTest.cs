using OrderHub.WeChat.Fakes;

namespace OrderHub.WeChat.Tests.Support;

/// <summary>Base for tests: a fresh fake WeChat server, a clock and clients pointed at it, per test.</summary>
public abstract class FakeServerTest
{
    protected FakeWeChatServer Server = null!;
    protected HttpClient Http = null!;
    protected ManualTimeProvider Clock = null!;
    protected CapturingLogger<WeChatMiniProgramClient> MiniProgramLog = null!;
    protected CapturingLogger<WeComExternalContactClient> WeComLog = null!;

    [SetUp]
    public async Task StartFakeAsync()
    {
        Clock = new ManualTimeProvider();
        Server = await FakeWeChatServer.StartAsync(new FakeWeChatServerOptions { TimeProvider = Clock });
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        MiniProgramLog = new CapturingLogger<WeChatMiniProgramClient>();
        WeComLog = new CapturingLogger<WeComExternalContactClient>();
    }

    [TearDown]
    public async Task StopFakeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    protected WeChatMiniProgramClient MiniProgram(AccessTokenCache? cache = null, WeChatOptions? options = null) =>
        new(Http, options ?? Server.CreateWeChatOptions(), cache, MiniProgramLog, Clock);

    protected WeComExternalContactClient WeCom(AccessTokenCache? cache = null, WeComOptions? options = null) =>
        new(Http, options ?? Server.CreateWeComOptions(), cache, WeComLog, Clock);

    protected static Dictionary<string, string> OrderShippedData() => new()
    {
        ["character_string1"] = "SO20250601001",
        ["thing2"] = "广州白云区分销中心",
        ["time3"] = "2025-06-01 10:30",
    };
}

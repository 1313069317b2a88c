using System.Net.Http.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.WeChat;

/// <summary>The demo without WeChat: the development login and the plain QR work; WeChat calls are a clear 503.</summary>
public class WeChatDisabledTests
{
    [Test]
    public async Task Without_WeChat_the_plain_QR_works_and_WeChat_calls_are_503()
    {
        using var host = new ApiHost(TestDatabase.Sqlite);
        var agentCode = await host.Scalar<string>("SELECT MIN(a.code) FROM agents a WHERE EXISTS (SELECT 1 FROM customers c WHERE c.agent_id = a.id)");
        var customerId = await host.Scalar<long>("SELECT MIN(c.id) FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code = @agentCode", new { agentCode });
        var agent = await host.AgentAsync(agentCode);

        var code = await HttpAssert.Ok(await agent.PostAsync($"/api/agent/customers/{customerId}/binding-codes", null));
        var qr = await agent.GetAsync(code.GetProperty("qrPngUrl").GetString());
        Assert.That((int)qr.StatusCode, Is.EqualTo(200));
        Assert.That((await qr.Content.ReadAsByteArrayAsync())[..4], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47 }));
        await HttpAssert.Problem(await agent.GetAsync(code.GetProperty("wxacodeUrl").GetString()), 503, "not enabled");
        await HttpAssert.Problem(await host.CreateClient().PostAsJsonAsync("/api/wechat/login", new { code = "any" }), 503, "未启用");
    }
}

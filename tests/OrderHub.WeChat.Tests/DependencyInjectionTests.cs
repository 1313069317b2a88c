using Microsoft.Extensions.DependencyInjection;
using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>The registration the API project is expected to use: typed HttpClients plus one singleton token cache.</summary>
public sealed class DependencyInjectionTests : FakeServerTest
{
    [Test]
    public async Task Typed_clients_from_IHttpClientFactory_share_the_singleton_token_cache()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Server.CreateWeChatOptions());
        services.AddSingleton(Server.CreateWeComOptions());
        services.AddSingleton(new AccessTokenCache(TimeSpan.FromMinutes(5), Clock));
        services.AddHttpClient<WeChatMiniProgramClient>(c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddHttpClient<WeComExternalContactClient>(c => c.Timeout = TimeSpan.FromSeconds(10));
        await using var provider = services.BuildServiceProvider();
        Server.AddCustomer("sales.li", "wmCustomerA", "张三");

        for (var i = 0; i < 3; i++)
        {
            using var scope = provider.CreateScope();
            await scope.ServiceProvider.GetRequiredService<WeChatMiniProgramClient>().GetUnlimitedQrCodeAsync($"o={i}");
            await scope.ServiceProvider.GetRequiredService<WeComExternalContactClient>().ListExternalContactsAsync("sales.li");
        }

        Assert.That(Server.TokenRequests, Is.EqualTo(1));
        Assert.That(Server.WeComTokenRequests, Is.EqualTo(1));
    }
}

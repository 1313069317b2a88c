using OrderHub.Testing;

namespace OrderHub.Reliability.Tests;

/// <summary>
/// Issue #21 item 7: ASPNETCORE_URLS is obeyed. A "Urls" key in appsettings.json used to override it, so a server started
/// the usual way listened on 5080 whatever it was told, and a second instance failed to bind. Two nodes, each told its
/// port only through ASPNETCORE_URLS (no --urls), must both answer where they were told.
/// </summary>
[NonParallelizable]
public class ListeningAddressTests
{
    [Test]
    public async Task Two_servers_started_the_usual_way_listen_where_ASPNETCORE_URLS_says()
    {
        await using var world = World.Create(World.Sqlite);
        var settings = new Dictionary<string, string> { ["Demo__Seed"] = "true", ["Jobs__Enabled"] = "false" };
        // StartAsync waits for /health on the URL it passed; a server listening elsewhere never answers there.
        await using var first = await ServerProcess.StartAsync(world.ConnectionString, settings, PostgresCluster.FreePort(), urlsFromEnvironment: true);
        await using var second = await ServerProcess.StartAsync(world.ConnectionString, settings, PostgresCluster.FreePort(), urlsFromEnvironment: true);
        using var http = new HttpClient();
        foreach (var node in new[] { first, second })
        {
            var res = await http.GetAsync(node.BaseUrl + "/health");
            Assert.That((int)res.StatusCode, Is.EqualTo(200), node.BaseUrl);
        }
        Assert.That(first.BaseUrl, Is.Not.EqualTo(second.BaseUrl));
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.Testing;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.MiniProgram;

/// <summary>The mini-program's agent mode lists an assigned store's addresses to submit a proxy order; other stores are a 404.</summary>
public class AgentStoreAddressesTests
{
    [Test]
    public async Task An_agent_lists_its_stores_addresses_and_submits_a_proxy_order_with_one_but_not_another_agents_store()
    {
        using var host = new ApiHost(TestDatabase.Sqlite);
        var agentCode = await host.Scalar<string>("SELECT MIN(a.code) FROM agents a WHERE EXISTS (SELECT 1 FROM customers c WHERE c.agent_id = a.id)");
        var mine = await host.Scalar<long>("SELECT MIN(c.id) FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code = @agentCode", new { agentCode });
        var other = await host.Scalar<long>("SELECT MIN(c.id) FROM customers c JOIN agents a ON a.id = c.agent_id WHERE a.code <> @agentCode", new { agentCode });
        var expected = await host.Scalar<long>("SELECT COUNT(*) FROM customer_addresses WHERE customer_id = @mine AND active = TRUE", new { mine });
        var agent = await host.AgentAsync(agentCode);

        var list = await HttpAssert.Ok(await agent.GetAsync($"/api/agent/customers/{mine}/addresses"));
        Assert.That(list.GetArrayLength(), Is.EqualTo(expected).And.GreaterThan(0));
        var addressId = list[0].GetProperty("id").GetInt64();
        Assert.That(list[0].GetProperty("address").GetString(), Is.Not.Empty);

        var sku = (await HttpAssert.Ok(await agent.GetAsync($"/api/catalog/products?customerId={mine}&limit=20"))).GetProperty("items")
            .EnumerateArray().First(p => p.GetProperty("stock").GetProperty("available").GetInt64() >= p.GetProperty("minOrderQty").GetInt64());
        await HttpAssert.Ok(await agent.PostAsJsonAsync($"/api/agent/customers/{mine}/cart/items",
            new { sku = sku.GetProperty("sku").GetString(), quantity = sku.GetProperty("minOrderQty").GetInt64() }));
        var submit = new HttpRequestMessage(HttpMethod.Post, $"/api/agent/customers/{mine}/orders") { Content = JsonContent.Create(new { addressId, note = "代订" }) };
        submit.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var order = await HttpAssert.Ok(await agent.SendAsync(submit));
        Assert.That(order.GetProperty("summary").GetProperty("channel").GetString(), Is.EqualTo("proxy"));

        await HttpAssert.Problem(await agent.GetAsync($"/api/agent/customers/{other}/addresses"), 404);
        var store = await host.CustomerAsync(await host.Scalar<string>("SELECT code FROM customers WHERE id = @mine", new { mine }));
        Assert.That((int)(await store.GetAsync($"/api/agent/customers/{mine}/addresses")).StatusCode, Is.EqualTo(403));
    }
}

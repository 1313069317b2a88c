using System.Text;
using System.Text.Json;
using OrderHub.Testing.Contract;

namespace OrderHub.Tests.Api;

/// <summary>
/// The contract check itself (tests/OrderHub.Testing/Contract), against the document the API generates: it names the
/// operation and the status of an undocumented answer and of a body that does not match, and statuses are declared per
/// endpoint (issue #21): 404 where the handler can answer it, 409 only where a state conflict is possible.
/// </summary>
public sealed class ContractCheckTests
{
    private static RecordedResponse Answer(string method, string path, int status, object body, string mediaType = "application/problem+json") =>
        new(method, path, status, mediaType, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body)));

    [Test]
    public async Task Mismatches_name_the_operation_and_the_status()
    {
        await using var host = new ApiHost();
        var doc = await ContractCheck.DocumentOf(host.Services);
        var problem = new { type = "https://tools.ietf.org/html/rfc9110#section-15.5.5", title = "未找到 / Not found", status = 404, detail = "订单不存在 / Order not found" };
        var failures = new OpenApiContract(doc).Check([
            Answer("GET", "/api/orders/SO1", 404, problem),
            Answer("GET", "/api/orders/SO1", 409, problem with { }),
            Answer("GET", "/api/orders/SO1", 200, new { summary = "not an order" }, "application/json"),
            Answer("GET", "/not/an/operation", 200, new { }),
        ]);
        Assert.That(failures, Has.Count.EqualTo(2), string.Join("\n", failures));
        Assert.That(failures[0], Does.StartWith("GET /api/orders/{orderNo} (GetOrder) → 409: status not documented"));
        Assert.That(failures[1], Does.StartWith("GET /api/orders/{orderNo} (GetOrder) → 200: body does not match the schema"));
    }

    [Test]
    public async Task Not_found_and_conflict_are_declared_only_where_the_handler_can_answer_them()
    {
        await using var host = new ApiHost();
        var doc = await ContractCheck.DocumentOf(host.Services);
        bool Declares(string method, string path, int status) =>
            doc.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").TryGetProperty(status.ToString(), out _);

        Assert.Multiple(() =>
        {
            Assert.That(Declares("get", "/api/orders/{orderNo}", 404), Is.True, "an order number may name no order");
            Assert.That(Declares("post", "/api/orders/{orderNo}/cancel", 409), Is.True, "an order may have moved on");
            Assert.That(Declares("post", "/api/orders", 409), Is.True, "stock may be short");
            Assert.That(Declares("get", "/api/catalog/products", 404), Is.True, "customerId may name another store");
            Assert.That(Declares("get", "/api/agent/customers/{customerId}/cart", 404), Is.True, "the store may not be the agent's");
            Assert.That(Declares("get", "/api/orders/{orderNo}", 409), Is.False, "reading an order conflicts with nothing");
            Assert.That(Declares("get", "/api/cart", 404), Is.True, "a chain head office may name a store that is not its branch (?branchId=)");
            Assert.That(Declares("delete", "/api/cart", 409), Is.False, "emptying the cart conflicts with nothing");
            Assert.That(Declares("get", "/api/admin/orders", 404), Is.False, "a list names nothing that may be missing");
            Assert.That(Declares("post", "/api/auth/refresh", 409), Is.False);
        });
    }
}

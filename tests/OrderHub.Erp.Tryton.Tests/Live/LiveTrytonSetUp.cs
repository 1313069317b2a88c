using OrderHub.Erp.Tryton.Tests.Support;

namespace OrderHub.Erp.Tryton.Tests.Live;

/// <summary>Starts and seeds the shared Tryton server once for every test in this namespace.</summary>
[SetUpFixture]
public sealed class LiveTrytonSetUp
{
    [OneTimeSetUp]
    public Task StartAsync() => SeededTryton.StartAsync();

    [OneTimeTearDown]
    public Task StopAsync() => SeededTryton.StopAsync();
}

using System.Collections.Concurrent;
using System.Diagnostics;
using OrderHub.Testing;

namespace OrderHub.Reliability.Tests;

/// <summary>
/// SIGKILL the server at random moments while stores submit orders and the push job sends them to the demo ERP; restart it
/// on the same database and port. Clients retry what got no answer with the same Idempotency-Key. At the end nothing is lost,
/// nothing is there twice — in OrderHub or in the ERP — reservations match the open orders and the outbox drains.
/// </summary>
[NonParallelizable]
public class CrashSafetyTests
{
    private const int Clients = 40;
    private const int Kills = 3;

    [TestCase(World.Sqlite)]
    [TestCase(World.Postgres)]
    public async Task Killing_the_server_mid_submit_and_mid_push_loses_nothing_and_duplicates_nothing(string kind)
    {
        var total = Stopwatch.StartNew();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        await using var world = World.Create(kind);
        var port = PostgresCluster.FreePort();
        var node = await world.StartNodeAsync(port);
        var started = total.Elapsed;

        var shoppers = await world.ShoppersAsync(Clients);
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { Timeout = TimeSpan.FromSeconds(20) };
        await Parallel.ForEachAsync(shoppers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, _) => await s.SignInAsync(http, node));
        var maxIdBefore = await world.MaxOrderIdAsync();

        var acks = new ConcurrentBag<Ack>();
        var stats = new ClientStats();
        var stop = false;
        var deadline = DateTime.UtcNow.AddMinutes(4);
        var baseUrl = node.BaseUrl;
        var kills = new List<string>();

        var killer = Task.Run(async () =>
        {
            for (var k = 1; k <= Kills; k++)
            {
                await Task.Delay(random.Next(1500, 5000));
                var inFlight = acks.Count;
                await node.KillAsync();
                var pending = await world.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE status = 'pending'");
                kills.Add($"kill {k} at {total.Elapsed.TotalSeconds:F1} s ({inFlight} orders acknowledged so far, {pending} outbox rows pending)");
                await Task.Delay(random.Next(100, 1500));
                node = await world.StartNodeAsync(port);
            }
            await Task.Delay(3000);   // orders go on after the last restart
            Volatile.Write(ref stop, true);
        });

        var clients = shoppers.Select((s, i) => Task.Run(async () =>
        {
            for (var n = 0; n == 0 || !Volatile.Read(ref stop); n++)
            {
                var ack = await s.OrderAsync(http, () => baseUrl, $"{s.CustomerCode}-{n}-{Guid.NewGuid():N}", stats, deadline);
                if (ack is not null) acks.Add(ack);
                await Task.Delay(Random.Shared.Next(300, 1000));   // a store thinks between orders
            }
        })).ToList();
        await killer;
        await Task.WhenAll(clients);
        var ordering = total.Elapsed;

        var (orders, inErp) = await Checks.NothingLostNothingTwiceAsync(world, acks.ToList(), maxIdBefore, TimeSpan.FromSeconds(120));
        var drained = total.Elapsed;
        var attempts = await world.Query<(long Attempts, long Rows)>(
            "SELECT attempts, COUNT(*) FROM outbox o JOIN orders x ON x.id = o.aggregate_id WHERE x.id > @maxIdBefore GROUP BY attempts ORDER BY attempts",
            new { maxIdBefore });

        foreach (var k in kills) TestContext.Progress.WriteLine($"  {k}");
        TestContext.Progress.WriteLine($"crash safety on {kind}: {Clients} clients, {kills.Count} SIGKILLs + restarts, {orders} orders acknowledged " +
            $"= {orders} in OrderHub = {inErp} in the demo ERP (each once); {stats}; reservations consistent; outbox drained " +
            $"(push attempts per order {string.Join(", ", attempts.Select(x => $"{x.Attempts}×{x.Rows}"))}). " +
            $"first start {started.TotalSeconds:F0} s, ordering {(ordering - started).TotalSeconds:F0} s, drain+checks {(drained - ordering).TotalSeconds:F0} s, " +
            $"total {drained.TotalSeconds:F0} s (random seed {seed})");
        if (stats.RefusedMessages.Count > 0) TestContext.Progress.WriteLine("  refused: " + string.Join(" | ", stats.RefusedMessages.Take(3)));
        Assert.That(kills, Has.Count.EqualTo(Kills));
        Assert.That(stats.ConnectionErrors + stats.ServerErrors, Is.GreaterThan(0), "the kills should have cut some requests");
    }
}

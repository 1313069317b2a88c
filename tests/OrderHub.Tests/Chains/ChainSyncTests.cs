using OrderHub.Application.Chains;
using OrderHub.Application.Sync;
using OrderHub.Erp;
using OrderHub.Testing;
using OrderHub.Tests.Sync;

namespace OrderHub.Tests.Chains;

/// <summary>
/// Chains from the ERP's customers feed on both databases (issue #17): head-office codes become branches' head offices,
/// also when the branch arrives before its head office; the ERP moves and ends branches; a head office a person set in the
/// console is kept (with an issue) unless Chains:ErpOverridesConsole; chains stay one level deep.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Kinds))]
public class ChainSyncTests(string kind)
{
    private SyncWorld _w = null!;

    [SetUp]
    public async Task NewWorld() => _w = await SyncWorld.CreateAsync(kind);

    private async Task<List<ErpDataIssue>> Apply(ChainOptions options, params ErpCustomer[] page)
    {
        _w.Clock.Advance(TimeSpan.FromMinutes(1));
        var issues = new List<ErpDataIssue>();
        var applier = new CustomerApplier(_w.Db, _w.Clock,
            new OrderHub.Application.Customers.WarehouseRule(_w.Db, new OrderHub.Application.Customers.ErpOptions(), _w.Clock), options);
        await applier.ApplyAsync(page, (_, _, found) => { issues.AddRange(found); return Task.CompletedTask; }, default);
        return issues;
    }

    private ErpCustomer Store(string code, string? headOffice) =>
        new(code, $"门店 {code}", "店长", "13800000000", "上海市中山路 1 号", null, 0, 0, true, _w.Clock.GetUtcNow(), HeadOfficeCode: headOffice);

    private Task<string?> HeadOf(string code) => _w.Scalar<string?>(
        "SELECT h.code FROM customers b LEFT JOIN customers h ON h.id = b.parent_customer_id WHERE b.code = @code", new { code });

    [Test]
    public async Task Branches_that_arrive_before_their_head_office_are_linked_when_it_arrives_and_follow_the_erp()
    {
        var branches = Enumerable.Range(1, Random.Shared.Next(2, 5)).Select(i => $"CH-B{i}").ToList();
        var none = new ChainOptions();
        // Page 1: the branches name CH-HQ, which OrderHub does not know yet: they wait, on their own, with no issue.
        Assert.That(await Apply(none, [.. branches.Select(b => Store(b, "CH-HQ"))]), Is.Empty);
        foreach (var b in branches) Assert.That(await HeadOf(b), Is.Null, $"{b} waits for CH-HQ");

        // Page 2: CH-HQ arrives; every branch is now its branch.
        Assert.That(await Apply(none, Store("CH-HQ", ErpCustomer.NoHeadOffice)), Is.Empty);
        foreach (var b in branches) Assert.That(await HeadOf(b), Is.EqualTo("CH-HQ"), b);
        Assert.That(await _w.Scalar<long>("SELECT COUNT(*) FROM customers WHERE parent_source = @Erp", new { ChainSource.Erp }), Is.EqualTo(branches.Count));

        // An adapter without chain information (null) changes nothing; the ERP ending a branch ends it.
        await Apply(none, Store(branches[0], null));
        Assert.That(await HeadOf(branches[0]), Is.EqualTo("CH-HQ"));
        await Apply(none, Store(branches[^1], ErpCustomer.NoHeadOffice));
        Assert.That(await HeadOf(branches[^1]), Is.Null, "the ERP ended the branch");

        // One level deep: a store naming a branch as its head office, or a head office naming another, is not linked.
        var issues = await Apply(none, Store("CH-SUB", branches[0]), Store("CH-HQ", "C00001"));
        Assert.That(await HeadOf("CH-SUB"), Is.Null);
        Assert.That(await HeadOf("CH-HQ"), Is.Null);
        Assert.That(issues.Select(i => i.Key), Is.EquivalentTo(new[] { "CH-SUB", "CH-HQ" }));
        Assert.That(issues.Select(i => i.RowSkipped), Is.All.False, "the stores themselves are taken");
    }

    [Test]
    public async Task A_head_office_set_in_the_console_is_kept_unless_the_erp_is_told_to_win()
    {
        await Apply(new ChainOptions(), Store("CH-HQ", ErpCustomer.NoHeadOffice), Store("CH-HQ2", ErpCustomer.NoHeadOffice), Store("CH-B1", ErpCustomer.NoHeadOffice));
        var id = (string code) => _w.Scalar<long>("SELECT id FROM customers WHERE code = @code", new { code });
        Assert.That(await new ChainAdmin(_w.Db).SetHeadOfficeAsync(await id("CH-B1"), await id("CH-HQ")), Is.True);

        // The ERP says CH-B1 stands alone, then that it belongs to CH-HQ2: the console's CH-HQ stays, each time with an issue.
        var issues = await Apply(new ChainOptions(), Store("CH-B1", ErpCustomer.NoHeadOffice));
        Assert.That(await HeadOf("CH-B1"), Is.EqualTo("CH-HQ"));
        Assert.That(issues.Single().Problem, Does.Contain("ErpOverridesConsole"));
        issues = await Apply(new ChainOptions(), Store("CH-B1", "CH-HQ2"));
        Assert.That((await HeadOf("CH-B1"), issues.Count), Is.EqualTo(("CH-HQ", 1)));
        // The ERP agreeing with the console is no issue.
        Assert.That(await Apply(new ChainOptions(), Store("CH-B1", "CH-HQ")), Is.Empty);

        // With Chains:ErpOverridesConsole the ERP's CH-HQ2 wins, and from then on the link is the ERP's.
        Assert.That(await Apply(new ChainOptions { ErpOverridesConsole = true }, Store("CH-B1", "CH-HQ2")), Is.Empty);
        Assert.That(await HeadOf("CH-B1"), Is.EqualTo("CH-HQ2"));
        Assert.That(await _w.Scalar<string>("SELECT parent_source FROM customers WHERE code = 'CH-B1'"), Is.EqualTo(ChainSource.Erp));
        await Apply(new ChainOptions(), Store("CH-B1", ErpCustomer.NoHeadOffice));
        Assert.That(await HeadOf("CH-B1"), Is.Null);
    }
}

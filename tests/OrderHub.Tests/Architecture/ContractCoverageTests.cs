using System.Text.RegularExpressions;

namespace OrderHub.Tests.Architecture;

/// <summary>
/// The contract check cannot be bypassed by a new test host (issue #21: every response of a full test run is validated):
/// in-process hosts derive from <c>ContractCheckedFactory</c>, child-process servers record their answers, and only the
/// benchmarks (which measure, not test) switch the recording off.
/// </summary>
public sealed class ContractCoverageTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderHub.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new FileNotFoundException("OrderHub.sln not found above the test directory");
    }

    private static IEnumerable<(string File, string Text)> TestSources() =>
        Directory.EnumerateFiles(Path.Combine(Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(Root, f), File.ReadAllText(f)));

    [Test]
    public void Every_in_process_test_host_checks_the_contract()
    {
        var plain = new Regex(@"(:\s*WebApplicationFactory<|new\s+WebApplicationFactory<)");
        var offenders = TestSources().Where(s => !s.File.EndsWith("ContractCheckedFactory.cs", StringComparison.Ordinal) && plain.IsMatch(s.Text))
            .Select(s => s.File).ToList();
        Assert.That(offenders, Is.Empty, "derive test hosts from OrderHub.Testing.Contract.ContractCheckedFactory<Program>, not WebApplicationFactory<Program>");
    }

    [Test]
    public void Only_the_benchmarks_run_a_server_process_without_the_contract_check()
    {
        var call = new Regex(@"ServerProcess\.StartAsync\([^;]*checkContract:\s*false");
        var offenders = TestSources().Where(s => call.IsMatch(s.Text) && !s.File.StartsWith(Path.Combine("tests", "OrderHub.Benchmarks"), StringComparison.Ordinal))
            .Select(s => s.File).ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void The_mini_program_tests_record_and_check_every_answer()
    {
        var support = Path.Combine(Root, "miniprogram-api", "miniprogram", "test", "support");
        Assert.That(File.ReadAllText(Path.Combine(support, "global-setup.js")), Does.Contain("Api__RecordResponsesTo"));
        Assert.That(File.ReadAllText(Path.Combine(support, "global-teardown.js")), Does.Contain("contract.check("));
        Assert.That(File.ReadAllText(Path.Combine(Root, "miniprogram-api", "miniprogram", "jest.config.js")), Does.Contain("global-teardown.js"));
    }
}

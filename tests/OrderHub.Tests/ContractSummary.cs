using OrderHub.Tests.Api;

// Outside any namespace: runs once after every test of the assembly.
/// <summary>Prints, after every test of the project, how many responses the contract test validated.</summary>
[SetUpFixture]
public sealed class ContractSummary
{
    [OneTimeTearDown]
    public void Report()
    {
        var line = $"contract: {OpenApiContract.Validated} responses validated against the OpenAPI document, {OpenApiContract.Failed} mismatches, {OpenApiContract.Skipped} responses to non-operations skipped";
        TestContext.Progress.WriteLine(line);
        // dotnet test does not show progress output of passing runs: ./test.sh prints this file after the run.
        File.WriteAllText(Path.Combine(TestContext.CurrentContext.WorkDirectory, "contract-summary.txt"), line + "\n");
    }
}

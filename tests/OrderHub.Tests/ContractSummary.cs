using OrderHub.Testing.Contract;

// Outside any namespace: runs once after every test of the assembly.
/// <summary>Prints, after every test of the project, how many responses the contract test validated.</summary>
[SetUpFixture]
public sealed class ContractSummary
{
    [OneTimeTearDown]
    public void Report() => ContractCheck.WriteSummary("OrderHub.Tests");
}

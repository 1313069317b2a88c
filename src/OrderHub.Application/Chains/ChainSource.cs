namespace OrderHub.Application.Chains;

/// <summary>Who set a branch's head office (<c>customers.parent_source</c>, migration 0030).</summary>
public static class ChainSource
{
    /// <summary>The customers feed, from the ERP's head-office code; the feed follows the ERP and clears it when the ERP does.</summary>
    public const string Erp = "erp";
    /// <summary>A person in the console; the feed leaves it unless <see cref="ChainOptions.ErpOverridesConsole"/>.</summary>
    public const string Manual = "manual";
}

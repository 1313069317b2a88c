namespace OrderHub.Application.Chains;

/// <summary>Whose figures a branch of a chain (连锁门店) uses: its own, or its head office's (总部).</summary>
public enum ChainLevel { Branch, HeadOffice }

/// <summary>Settings <c>Chains</c>: how a chain's branches are priced and where their credit is held.</summary>
public sealed class ChainOptions
{
    /// <summary>Branch: a branch's order is priced with the branch's own prices; HeadOffice: with the head office's.</summary>
    public ChainLevel PriceFrom { get; set; } = ChainLevel.Branch;
    /// <summary>Branch: each branch has its own balance and limit; HeadOffice: finance checks the head office's limit against the balance and open orders of the head office and all its branches.</summary>
    public ChainLevel CreditAt { get; set; } = ChainLevel.Branch;
    /// <summary>
    /// false (default): a head office a person set in the console (or cleared there) is kept when the ERP's customers feed says
    /// otherwise (the difference is a sync issue); true: the ERP's chain wins.
    /// </summary>
    public bool ErpOverridesConsole { get; set; }
}

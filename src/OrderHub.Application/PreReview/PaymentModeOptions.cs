using OrderHub.Domain.Ordering;
using OrderHub.Settings;

namespace OrderHub.Application.PreReview;

/// <summary>
/// Section <c>Payments</c>: when stores pay (issue #16). <c>Mode</c> for the distributor (credit, prepay, either), a
/// per-customer-group override in <c>GroupModes</c> (customer group code → mode), and how long an unpaid 待付款 order
/// keeps its stock before the scheduled expiry cancels it. Kept as settings, not data: it is a policy the distributor
/// decides at go-live and changes rarely, it is validated at start, and a change needs no console screen.
/// </summary>
public sealed class PaymentModeOptions : IValidatedSettings
{
    public PaymentMode Mode { get; set; } = PaymentMode.Credit;
    /// <summary>Customer group code (customer_groups.code) → mode, overriding <see cref="Mode"/> for that group's stores.</summary>
    public Dictionary<string, PaymentMode> GroupModes { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>An order still 待付款 this long after it got there is cancelled and its reservation released.</summary>
    public int UnpaidCancelMinutes { get; set; } = 60;

    public PaymentMode For(string? groupCode) =>
        groupCode is not null && GroupModes.TryGetValue(groupCode, out var m) ? m : Mode;

    public IEnumerable<string> Validate()
    {
        if (UnpaidCancelMinutes is < 5 or > 10080) yield return "UnpaidCancelMinutes must be between 5 and 10080 (a week)";
        foreach (var key in GroupModes.Keys.Where(string.IsNullOrWhiteSpace)) yield return "GroupModes has an empty group code";
    }
}

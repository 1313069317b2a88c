namespace OrderHub.Application.Sync;

/// <summary>
/// Where an outbox message stands, and the one text of each in the database (outbox.status):
/// pending (waiting, or waiting to retry) → sending (leased by one node) → sent; failed (a person looks: retry or give up);
/// cancelled (its order ended before it reached the ERP; a receipt the adapter cannot write, or one already posted).
/// </summary>
public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [Pending, Sending, Sent, Failed, Cancelled];
}

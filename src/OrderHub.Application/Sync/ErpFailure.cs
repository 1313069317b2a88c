using OrderHub.Erp;

namespace OrderHub.Application.Sync;

/// <summary>How a failed call to the ERP is written down (a feed's or an outbox row's last error), one wording for all.</summary>
internal static class ErpFailure
{
    /// <summary>"ERP 不可用 / ERP unavailable: …" when the ERP could not be reached; otherwise the exception's type and message.</summary>
    public static string Describe(Exception e) =>
        e is ErpUnavailableException ? $"ERP 不可用 / ERP unavailable: {e.Message}" : $"{e.GetType().Name}: {e.Message}";
}

namespace OrderHub.Erp.Tryton.Rpc;

/// <summary>Tryton answered with an error that is neither a user error nor a transient fault (usually a bug in the call).</summary>
public class TrytonRpcException(string method, string message) : Exception($"Tryton {method}: {message}")
{
    public string Method { get; } = method;
}

/// <summary>
/// Tryton raised a <c>UserWarning</c>: the action needs a confirmation. It can be accepted
/// (see <see cref="TrytonJsonRpcClient.AcceptWarningAsync"/>) and the call retried.
/// </summary>
public sealed class TrytonUserWarningException(string method, string warningName, string message)
    : TrytonRpcException(method, message)
{
    public string WarningName { get; } = warningName;
}

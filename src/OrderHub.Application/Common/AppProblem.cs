namespace OrderHub.Application.Common;

/// <summary>
/// A business rule refused a request: the API turns it into an RFC 9457 problem with this status and the
/// Chinese and English message. Thrown before anything is committed, so a refused request changes nothing.
/// </summary>
public sealed class AppProblem(int status, string zh, string en, IDictionary<string, object?>? extensions = null)
    : Exception($"{zh} / {en}")
{
    public int Status { get; } = status;
    public string Zh { get; } = zh;
    public string En { get; } = en;
    public IDictionary<string, object?>? Extensions { get; } = extensions;

    public static AppProblem BadRequest(string zh, string en, IDictionary<string, object?>? ext = null) => new(400, zh, en, ext);
    public static AppProblem Forbidden(string zh, string en) => new(403, zh, en);
    public static AppProblem NotFound(string zh, string en) => new(404, zh, en);
    public static AppProblem Conflict(string zh, string en, IDictionary<string, object?>? ext = null) => new(409, zh, en, ext);
}

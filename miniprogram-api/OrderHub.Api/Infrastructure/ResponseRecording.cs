using System.Text.Json;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// For tests that run this server as a separate process (the reliability tests, the mini-program's Node tests): with
/// <c>Api:RecordResponsesTo</c> set, every answer is appended to that file as one JSON line (method, path, status,
/// mediaType, body in base64), and the test checks each against the OpenAPI document (issue #21: every response of a
/// full test run is validated). A recorder inside the host — rather than a proxy in front of it — sees the server's own
/// answers with nothing in between, so a SIGKILL mid-request or a dropped connection changes nothing but the last line.
/// Development only: the host refuses to start with the setting anywhere else, and it is off by default.
/// </summary>
public sealed class ResponseRecording(RequestDelegate next, string file)
{
    public const string Setting = "Api:RecordResponsesTo";
    private const int MaxBody = 2 * 1024 * 1024;
    private static readonly Lock Gate = new();

    public static void Use(WebApplication app)
    {
        if (app.Configuration[Setting] is not { Length: > 0 } file) return;
        if (!app.Environment.IsDevelopment())
            throw new InvalidOperationException($"设置错误 Setting {Setting}: 仅用于开发环境的测试 / only for tests in Development (the environment is {app.Environment.EnvironmentName})");
        app.UseMiddleware<ResponseRecording>(Path.GetFullPath(file));
    }

    public async Task InvokeAsync(HttpContext http)
    {
        var original = http.Response.Body;
        await using var copy = new MemoryStream();
        http.Response.Body = copy;
        var status = 500;
        try
        {
            await next(http);
            status = http.Response.StatusCode;
        }
        finally
        {
            http.Response.Body = original;
            copy.Position = 0;
            await copy.CopyToAsync(original);
            var line = JsonSerializer.Serialize(new
            {
                method = http.Request.Method,
                path = http.Request.Path.Value ?? "/",
                status,
                mediaType = http.Response.ContentType?.Split(';')[0].Trim(),
                body = copy.Length <= MaxBody ? Convert.ToBase64String(copy.GetBuffer(), 0, (int)copy.Length) : "",
            });
            lock (Gate) File.AppendAllText(file, line + "\n");
        }
    }
}

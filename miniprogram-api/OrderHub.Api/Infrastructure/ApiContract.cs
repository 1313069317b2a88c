using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// The OpenAPI document is the contract (issue #21): every operation lists every status it can answer, problems included,
/// with their schema. Endpoints declare their own successes and expected business failures (typed results,
/// <c>.ProducesProblem</c>); this adds what the pipeline itself can answer on any operation, so no endpoint forgets it:
/// 400 (malformed input, control characters, validation), 401/403 where sign-in is required, 404 where a path names a
/// resource, 413/414/431 (request limits), 429 where rate-limited, 503 (database busy). Problem schemas allow the
/// members our problems carry (<c>traceId</c>, <c>messageZh</c>, <c>messageEn</c>, <c>errors</c>, and others).
/// The contract test (tests/OrderHub.Tests/Api/ContractRecorder.cs) checks every response of the API tests against it.
/// </summary>
public static class ApiContract
{
    public const string Problem = "Problem";
    public const string ValidationProblem = "ValidationProblem";

    public static void Configure(OpenApiOptions o)
    {
        o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "OrderHub API";
            doc.Info.Description = "OrderHub 订货系统接口：门店小程序、业务员与后台。错误以 RFC 9457 problem+json 返回，含中英文说明 (messageZh / messageEn) 与 traceId。" +
                                   " / OrderHub ordering API for the stores' mini-program, the agents and the back office. Errors are RFC 9457 problem+json with Chinese and English text (messageZh / messageEn) and a traceId.";
            doc.Components ??= new OpenApiComponents();
            doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            doc.Components.Schemas[Problem] = ProblemSchema(validation: false);
            doc.Components.Schemas[ValidationProblem] = ProblemSchema(validation: true);
            // The framework's own problem schemas (from ValidationProblem typed results) get the same members.
            if (doc.Components.Schemas.ContainsKey("HttpValidationProblemDetails")) doc.Components.Schemas["HttpValidationProblemDetails"] = ProblemSchema(validation: true);
            if (doc.Components.Schemas.ContainsKey("ProblemDetails")) doc.Components.Schemas["ProblemDetails"] = ProblemSchema(validation: false);
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((op, ctx, _) =>
        {
            var d = ctx.Description;
            var meta = d.ActionDescriptor.EndpointMetadata;
            var path = "/" + (d.RelativePath ?? "").TrimStart('/');
            var method = d.HttpMethod ?? "GET";
            var anonymous = meta.OfType<IAllowAnonymous>().Any();
            var signedIn = !anonymous && meta.OfType<IAuthorizeData>().Any();
            var hasBody = d.ParameterDescriptions.Any(p => p.Source == BindingSource.Body);
            op.Responses ??= new OpenApiResponses();

            // Problems the endpoint declares without a body schema get the problem schema.
            foreach (var (status, response) in op.Responses.ToList())
                if (int.TryParse(status, out var code) && code >= 400 && response is OpenApiResponse r && (r.Content is null || r.Content.Count == 0 || r.Content.ContainsKey("application/json") && code >= 400))
                {
                    r.Content = ProblemContent(ctx.Document!, code == 400);
                    r.Description = string.IsNullOrEmpty(r.Description) || r.Description == "Bad Request" ? Problems.TitleFor(code) : r.Description;
                }

            Add(op, ctx.Document!, 400, "请求有误：缺少或格式不对的值、控制字符、校验未通过 / Bad request: a missing or malformed value, a control character, a failed validation", validation: true);
            if (signedIn)
            {
                Add(op, ctx.Document!, 401, "未登录、登录已过期或已被注销 / Not signed in, the token expired, or its session was revoked");
                Add(op, ctx.Document!, 403, "当前角色无权操作 / The caller's role may not do this");
            }
            if (d.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
                Add(op, ctx.Document!, 404, "路径中的对象不存在，或不属于调用者 / The resource named in the path does not exist or is not the caller's");
            if (hasBody || method is "POST" or "PUT" or "PATCH")
                Add(op, ctx.Document!, 413, "请求内容过大 / The request body is too large (Limits:MaxRequestBodyBytes)");
            Add(op, ctx.Document!, 414, "请求地址过长 / The URL is too long (Limits:MaxUrlBytes)");
            Add(op, ctx.Document!, 431, "请求头过大 / The request headers are too large (Limits:MaxHeaderBytes)");
            if (anonymous && method == "POST")
                Add(op, ctx.Document!, 429, "请求过于频繁，见 Retry-After / Too many requests from this client; see Retry-After");
            Add(op, ctx.Document!, 503, "系统繁忙或外部服务不可用，见 Retry-After / The database is busy or an outside service is unavailable; see Retry-After");

            FileDownloads(op, path);
            return Task.CompletedTask;
        });
    }

    private static void Add(OpenApiOperation op, OpenApiDocument doc, int status, string description, bool validation = false)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (op.Responses!.ContainsKey(key)) return;
        op.Responses[key] = new OpenApiResponse { Description = description, Content = ProblemContent(doc, validation) };
    }

    private static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiDocument doc, bool validation) => new()
    {
        ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(validation ? ValidationProblem : Problem, doc) },
    };

    /// <summary>Downloads are files, not JSON: CSV or Excel statements, PNG codes.</summary>
    private static void FileDownloads(OpenApiOperation op, string path)
    {
        if (!op.Responses!.TryGetValue("200", out var ok) || ok is not OpenApiResponse r) return;
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        if (path.EndsWith("/download", StringComparison.Ordinal))
        {
            r.Description = "对账单文件 (format=csv 为 CSV，format=xlsx 为 Excel) / The statement as a file: CSV (format=csv) or Excel (format=xlsx)";
            r.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/csv"] = new() { Schema = binary },
                ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = new() { Schema = binary },
            };
        }
        else if (path.EndsWith(".png", StringComparison.Ordinal))
        {
            r.Description = "PNG 图片 / A PNG image";
            r.Content = new Dictionary<string, OpenApiMediaType> { ["image/png"] = new() { Schema = binary } };
        }
    }

    private static OpenApiSchema ProblemSchema(bool validation)
    {
        var s = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = validation
                ? "RFC 9457 问题详情，errors 按字段列出问题 (中文 / English) / RFC 9457 problem details; errors lists the problems per field (\"中文 / English\")"
                : "RFC 9457 问题详情，含中英文说明 / RFC 9457 problem details with Chinese and English text",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Str("问题类型 URI / A URI identifying the problem type"),
                ["title"] = Str("标题 (中文 / English) / Short title, \"中文 / English\""),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "HTTP 状态码 / The HTTP status" },
                ["detail"] = Str("说明 (中文 / English) / What went wrong, \"中文 / English\""),
                ["instance"] = Str("出错的请求 / The request that failed"),
                ["traceId"] = Str("跟踪号，报告问题时请提供 / Trace id to quote when reporting the problem"),
                ["messageZh"] = Str("中文说明 / The message in Chinese"),
                ["messageEn"] = Str("英文说明 / The message in English"),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "按字段的问题 / Problems per field",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
            // Problems carry more members where they help (sku, orderStatus, lockedUntil, shortages…).
            AdditionalPropertiesAllowed = true,
        };
        if (validation) s.Required = new HashSet<string> { "errors" };
        return s;
    }

    private static OpenApiSchema Str(string description) => new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = description };
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// The OpenAPI document is the contract (issue #21): every operation lists every status it can answer, problems included,
/// with their schema. Endpoints declare their own successes and expected business failures (typed results,
/// <c>.ProducesNotFound</c>, <c>.ProducesConflict</c>, <c>.Declares</c> from DeclaredProblems.cs, only where the handler
/// can answer them); this adds what the pipeline itself can answer on any operation, so no endpoint forgets it:
/// 400 (malformed input, control characters, validation), 401/403 where sign-in is required, 413/414/431 (request
/// limits), 429 where rate-limited, 503 (database busy). Problem schemas allow the members our problems carry
/// (<c>traceId</c>, <c>messageZh</c>, <c>messageEn</c>, <c>errors</c>, and others). The contract check
/// (tests/OrderHub.Testing/Contract) checks every response of every test suite against it.
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
        // Two DTOs of one name in different areas (CatalogAdminApi.StockDto and the catalog's StockDto…) must not share a
        // schema: a nested type's schema id starts with the type it is declared in.
        o.CreateSchemaReferenceId = ti =>
        {
            var id = OpenApiOptions.CreateDefaultSchemaReferenceId(ti);
            return id is not null && ti.Type.IsNested && ti.Type.DeclaringType is { } outer && !id.StartsWith(outer.Name, StringComparison.Ordinal) ? outer.Name + id : id;
        };
        o.AddOperationTransformer(async (op, ctx, ct) =>
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
                    r.Content = ProblemContent(ctx.Document!, false);
                    r.Description = string.IsNullOrEmpty(r.Description) || r.Description == "Bad Request" ? Problems.TitleFor(code) : r.Description;
                }

            var results = meta.OfType<System.Reflection.MethodInfo>().SelectMany(m => ResultTypes(m.ReturnType)).ToList();
            // Several Ok<T> of different T (a feed run or a push run): the 200 is any of them, not the first one.
            var okTypes = results.Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Microsoft.AspNetCore.Http.HttpResults.Ok<>))
                .Select(t => t.GetGenericArguments()[0]).Distinct().ToList();
            if (okTypes.Count > 1)
            {
                var alternatives = new List<IOpenApiSchema>();
                foreach (var t in okTypes) alternatives.Add(await ctx.GetOrCreateSchemaAsync(t, null, ct));
                op.Responses["200"] = new OpenApiResponse
                {
                    Description = "OK",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchema { AnyOf = alternatives } } },
                };
            }
            // Sign-ins answer the bearer-token body (tokens, expiry), not the empty body a SignInHttpResult declares;
            // where the endpoint has another 200 body too (WeChat: "bind first"), either.
            if (results.Contains(typeof(Microsoft.AspNetCore.Http.HttpResults.SignInHttpResult)))
            {
                IOpenApiSchema schema = TokenSchema();
                if (op.Responses.TryGetValue("200", out var existing) && existing.Content?.TryGetValue("application/json", out var other) == true && other.Schema is { } otherSchema)
                    schema = new OpenApiSchema { AnyOf = [TokenSchema(), otherSchema] };
                op.Responses["200"] = new OpenApiResponse
                {
                    Description = "登录成功：访问令牌与刷新令牌 (不可缓存) / Signed in: access and refresh tokens (Cache-Control: no-store)",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            }
            if (meta.OfType<RequiresIdempotencyKey>().FirstOrDefault() is { } idem)
            {
                op.Parameters ??= [];
                if (!op.Parameters.Any(p => p.Name == IdempotencyHeader.Name))
                    op.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyHeader.Name, In = ParameterLocation.Header, Required = !idem.Optional,
                        Description = "幂等键：重试时发送同一个值，返回第一次的结果 (1-128 个可见 ASCII 字符) / Send the same value when you retry to get the first result again (1-128 visible ASCII characters)",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 128 },
                    });
                Add(op, ctx.Document!, 422, "该幂等键已用于另一个不同的请求 / The Idempotency-Key was already used for a different request");
            }
            // 404, 409 and other statuses only the handler answers: declared on the endpoint (DeclaredProblems.cs), the first wins.
            foreach (var declared in meta.OfType<DeclaredProblem>())
                Add(op, ctx.Document!, declared.Status, declared.Description);

            Add(op, ctx.Document!, 400, "请求有误：缺少或格式不对的值、控制字符、校验未通过 (errors 按字段列出) / Bad request: a missing or malformed value, a control character, a failed validation (errors lists the fields)");
            if (signedIn || method == "POST")
                Add(op, ctx.Document!, 401, "未登录、登录已过期或已被注销；登录接口：用户名、密码、令牌或绑定无效 / Not signed in, the token expired or its session was revoked; sign-in endpoints: wrong credentials, token or binding");
            if (signedIn)
                Add(op, ctx.Document!, 403, "当前角色无权操作 / The caller's role may not do this");
            if (hasBody || method is "POST" or "PUT" or "PATCH")
                Add(op, ctx.Document!, 413, "请求内容过大 / The request body is too large (Limits:MaxRequestBodyBytes)");
            Add(op, ctx.Document!, 414, "请求地址过长 / The URL is too long (Limits:MaxUrlBytes)");
            Add(op, ctx.Document!, 431, "请求头过大 / The request headers are too large (Limits:MaxHeaderBytes)");
            if (anonymous && method == "POST")
                Add(op, ctx.Document!, 429, "请求过于频繁，见 Retry-After / Too many requests from this client; see Retry-After");
            Add(op, ctx.Document!, 503, "系统繁忙或外部服务不可用，见 Retry-After / The database is busy or an outside service is unavailable; see Retry-After");

            FileDownloads(op, ctx.Document!, path);
            if (meta.OfType<OrderHub.Api.Media.ImageUpload>().Any())
                op.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "图片 (JPEG、PNG 或 WebP，按内容识别) 作为 multipart 字段 file / The image (JPEG, PNG or WebP, recognised by its content) as the multipart part 'file'",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["multipart/form-data"] = new()
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object, Required = new HashSet<string> { OrderHub.Api.Media.ImageUpload.FilePart },
                                Properties = new Dictionary<string, IOpenApiSchema> { [OrderHub.Api.Media.ImageUpload.FilePart] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary",
                                    Description = "图片文件 (JPEG、PNG 或 WebP) / The image file (JPEG, PNG or WebP)" } },
                            },
                        },
                    },
                };
            foreach (var p in op.Parameters ?? [])
                if (p is OpenApiParameter param && string.IsNullOrEmpty(param.Description) && ParameterText.TryGetValue(param.Name ?? "", out var text))
                    param.Description = text;
        });
    }

    /// <summary>The result types a handler can return: T of Task&lt;T&gt;, and each alternative of Results&lt;…&gt;.</summary>
    private static IEnumerable<Type> ResultTypes(Type t)
    {
        if (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(Task<>) || t.GetGenericTypeDefinition() == typeof(ValueTask<>))) t = t.GetGenericArguments()[0];
        if (t.IsGenericType && t.Namespace == "Microsoft.AspNetCore.Http.HttpResults" && t.Name.StartsWith("Results`", StringComparison.Ordinal))
            return t.GetGenericArguments();
        return [t];
    }

    /// <summary>ASP.NET Core's bearer-token answer (AccessTokenResponse).</summary>
    private static OpenApiSchema TokenSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "tokenType", "accessToken", "expiresIn", "refreshToken" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["tokenType"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "总是 Bearer / Always \"Bearer\"" },
            ["accessToken"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "访问令牌，放在 Authorization: Bearer 中 / The access token, sent as Authorization: Bearer" },
            ["expiresIn"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "访问令牌有效秒数 / Seconds until the access token expires" },
            ["refreshToken"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "刷新令牌：只能用一次，换来新的一对令牌 / The refresh token: good once, for a new pair at /api/auth/refresh" },
        },
    };

    /// <summary>What a person reads next to the common parameters, in Chinese and English.</summary>
    private static readonly Dictionary<string, string> ParameterText = new()
    {
        ["q"] = "搜索词：名称、编码、拼音首字母等 (%、_ 按字面匹配) / Search text: name, code, pinyin initials… (% and _ match literally)",
        ["limit"] = "每页条数 / Page size",
        ["scheduleId"] = "定期订货 id / Recurring order (schedule) id",
        ["after"] = "翻页游标：上一页返回的 next / Paging cursor: the previous page's next value",
        ["before"] = "翻页游标：上一页最后一条的 id，返回更早的 / Paging cursor: the last id of the previous page; returns older ones",
        ["cursor"] = "翻页游标 / Paging cursor",
        ["from"] = "开始日期 (上海时间，含)，yyyy-MM-dd / First day (Asia/Shanghai, inclusive), yyyy-MM-dd",
        ["to"] = "结束日期 (上海时间，含)，yyyy-MM-dd / Last day (Asia/Shanghai, inclusive), yyyy-MM-dd",
        ["status"] = "状态 / Status",
        ["customerId"] = "客户 (门店) id / The customer (store) id",
        ["agentId"] = "业务员 id / The agent id",
        ["groupId"] = "客户等级 id / The customer group id",
        ["categoryId"] = "商品分类 id / The product category id",
        ["warehouseId"] = "仓库 id / The warehouse id",
        ["brand"] = "品牌 / Brand",
        ["region"] = "区域 / Region",
        ["channel"] = "下单方式：self 自助 / proxy 代订货 / Channel: self or proxy",
        ["groupBy"] = "汇总方式：day|week|month|category|brand|region|agent|customer / Group by day, week, month, category, brand, region, agent or customer",
        ["format"] = "文件格式：csv 或 xlsx / File format: csv or xlsx",
        ["low"] = "只看低库存 / Only low stock",
        ["state"] = "促销状态：live|upcoming|ended / Promotion state: live, upcoming or ended",
        ["id"] = "对象 id / The resource id",
        ["orderNo"] = "订单号，如 SO20261125000123 / Order number, e.g. SO20261125000123",
        ["orderId"] = "订单 id / The order id",
        ["sku"] = "商品编码 / Product SKU",
        ["code"] = "绑定码 / The binding code",
        ["feed"] = "同步项：products|stock|prices|customers|payments|order-status|orders / Feed: products, stock, prices, customers, payments, order-status or orders",
        ["inStock"] = "只看有货 / Only items in stock",
        ["sort"] = "排序 / Sort order",
        ["unread"] = "只看未读 / Only unread messages",
    };

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
    private static void FileDownloads(OpenApiOperation op, OpenApiDocument doc, string path)
    {
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        var isMedia = path.StartsWith("/media/", StringComparison.Ordinal);
        var isFile = isMedia || path.EndsWith("/download", StringComparison.Ordinal) || path.EndsWith(".png", StringComparison.Ordinal);
        if (!isFile) return;
        if (!op.Responses!.TryGetValue("200", out var ok) || ok is not OpenApiResponse r) op.Responses["200"] = r = new OpenApiResponse();
        // WeChat may refuse to draw a mini-program code for the page or scene (422 with its error).
        if (path.EndsWith(".png", StringComparison.Ordinal)) Add(op, doc, 422, "微信拒绝生成小程序码 / WeChat refused to make the code");
        if (isMedia)
        {
            // Uploaded images (ImageStore): the type the file's magic bytes said when it was stored.
            r.Description = "图片 (JPEG、PNG 或 WebP；缩略图为 JPEG)，长期缓存 / The image (JPEG, PNG or WebP; thumbnails are JPEG), cacheable for a year";
            r.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["image/jpeg"] = new() { Schema = binary }, ["image/png"] = new() { Schema = binary }, ["image/webp"] = new() { Schema = binary },
            };
        }
        else if (path.EndsWith("/download", StringComparison.Ordinal))
        {
            r.Description = path.StartsWith("/api/admin/reports", StringComparison.Ordinal)
                ? "报表 Excel 文件 (表格如控制台所示) / The report table as an Excel workbook"
                : path.StartsWith("/api/admin/orders", StringComparison.Ordinal)
                ? "订单明细文件 (format=csv 为 CSV，format=xlsx 为 Excel) / The orders with their lines as a file: CSV (format=csv) or Excel (format=xlsx)"
                : "对账单文件 (format=csv 为 CSV，format=xlsx 为 Excel) / The statement as a file: CSV (format=csv) or Excel (format=xlsx)";
            r.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/csv"] = new() { Schema = binary },
                ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = new() { Schema = binary },
            };
        }
        else if (path.EndsWith("/wxacode.png", StringComparison.Ordinal))
        {
            // WeChat does not promise PNG for getwxacodeunlimit: the image is served in the format WeChat answered with.
            r.Description = "小程序码图片，格式以微信返回为准 / The mini-program code image, in the format WeChat answered with";
            r.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["image/png"] = new() { Schema = binary }, ["image/jpeg"] = new() { Schema = binary }, ["image/gif"] = new() { Schema = binary },
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
        return s;
    }

    private static OpenApiSchema Str(string description) => new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = description };
}

/// <summary>Endpoint metadata: the endpoint requires the <c>Idempotency-Key</c> header (documented, with its 422).</summary>
public sealed class RequiresIdempotencyKey(bool optional = false)
{
    public bool Optional { get; } = optional;
}

public static class RequiresIdempotencyKeyExtensions
{
    public static RouteHandlerBuilder WithIdempotencyKey(this RouteHandlerBuilder b, bool optional = false) => b.WithMetadata(new RequiresIdempotencyKey(optional));
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.People;
using OrderHub.Application.Staff;

namespace OrderHub.Api.BackOffice;

/// <summary>
/// The people a distributor creates before going live (README → Go live): agents (业务员), store users with a mobile number
/// and password, and stores assigned to agents one by one (BackOfficeAdminApi) or in bulk from a CSV with a dry run.
/// </summary>
public static class PeopleApi
{
    public sealed record AgentRequest(string? Code, string? Name, string? Mobile, string? WecomUserId, string? Password);
    public sealed record StoreUserRequest(string? Name, string? Mobile, string? Role, string? Password);
    /// <param name="Csv">CSV text: one line per store, "customerCode,agentCode"; a header line is allowed; an empty agent code removes the agent.</param>
    public sealed record AssignmentImportRequest(string? Csv);
    public sealed record AssignmentImportResult(bool DryRun, int Assign, int Unassign, int Unchanged, int Errors, IReadOnlyList<AssignmentLine> Lines);

    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        var agents = app.MapGroup("/api/admin/agents").WithTags("Back office: people").RequireAuthorization(Policies.Admin);
        agents.MapPost("", CreateAgent).WithName("AdminCreateAgent").ProducesConflict("业务员编码或手机号已被使用 / The agent code or mobile number is taken").WithSummary("新建业务员 / Create an agent (code, name, mobile, WeChat Work userid, optional password for mobile sign-in)");
        agents.MapPut("/{id:long}", UpdateAgent).WithName("AdminUpdateAgent").ProducesNotFound("业务员不存在 / No such agent").ProducesConflict("手机号已用于另一个账号 / The mobile number signs into another account").WithSummary("修改业务员 / Change an agent's name, mobile, WeChat Work userid or password");
        agents.MapPost("/{id:long}/disable", DisableAgent).WithName("AdminDisableAgent").ProducesNotFound("业务员不存在 / No such agent").WithSummary("停用业务员 / Disable an agent: its sign-ins and tokens stop");
        agents.MapPost("/{id:long}/enable", EnableAgent).WithName("AdminEnableAgent").ProducesNotFound("业务员不存在 / No such agent").WithSummary("启用业务员 / Enable an agent again");
        agents.MapPost("/assignments/import", ImportAssignments).WithName("AdminImportAssignments")
            .WithSummary("批量分配门店 / Assign stores to agents from CSV text, lines customerCode,agentCode (dryRun=true lists what would change)");

        var users = app.MapGroup("/api/admin/customers/{customerId:long}/users").WithTags("Back office: people");
        users.MapGet("", StoreUsers).RequireAuthorization(Policies.Staff).WithName("AdminStoreUsers").ProducesNotFound("门店不存在 / No such store").WithSummary("门店用户 / A store's users, with whether each has a password and is bound to WeChat");
        users.MapPost("", CreateStoreUser).RequireAuthorization(Policies.Admin).WithName("AdminCreateStoreUser").ProducesNotFound("门店不存在 / No such store").ProducesConflict("手机号已用于另一个账号 / The mobile number signs into another account")
            .WithSummary("新建门店用户 / Create a store user with a mobile number and, optionally, a password to sign in with (POST /api/auth/login)");
        return app;
    }

    private static AgentInput Input(AgentRequest r) => new(r.Code, r.Name, r.Mobile, r.WecomUserId, r.Password);

    private static async Task<Results<Created<AgentRow>, ValidationProblem>> CreateAgent(AgentRequest? body, PeopleAdmin people, CancellationToken ct)
    {
        body ??= new(null, null, null, null, null);
        var errors = people.ValidateAgent(Input(body), creating: true);
        if (errors.Count > 0) return Problems.Validation(errors);
        var agent = await people.CreateAgentAsync(Input(body), ct);
        return TypedResults.Created($"/api/admin/agents/{agent.Id}", agent);
    }

    private static async Task<Results<Ok<AgentRow>, ValidationProblem, ProblemHttpResult>> UpdateAgent(long id, AgentRequest? body, PeopleAdmin people, CancellationToken ct)
    {
        body ??= new(null, null, null, null, null);
        if (body.Code is not null) return Problems.Validation(new() { ["code"] = ["业务员编码不能修改 / an agent's code cannot change"] });
        var errors = people.ValidateAgent(Input(body), creating: false);
        if (errors.Count > 0) return Problems.Validation(errors);
        return await people.UpdateAgentAsync(id, Input(body), ct) is { } a ? TypedResults.Ok(a) : NoAgent();
    }

    private static async Task<Results<Ok<AgentRow>, ProblemHttpResult>> DisableAgent(long id, PeopleAdmin people, CancellationToken ct) =>
        await people.SetAgentActiveAsync(id, false, ct) is { } a ? TypedResults.Ok(a) : NoAgent();

    private static async Task<Results<Ok<AgentRow>, ProblemHttpResult>> EnableAgent(long id, PeopleAdmin people, CancellationToken ct) =>
        await people.SetAgentActiveAsync(id, true, ct) is { } a ? TypedResults.Ok(a) : NoAgent();

    private static ProblemHttpResult NoAgent() => Problems.NotFound("业务员不存在", "No such agent");

    private static async Task<Results<Ok<AssignmentImportResult>, ValidationProblem>> ImportAssignments(AssignmentImportRequest? body, PeopleAdmin people,
        [FromQuery] bool? dryRun, CancellationToken ct)
    {
        var csv = body?.Csv;
        if (string.IsNullOrWhiteSpace(csv) || csv.Length > 1_000_000)
            return Problems.Validation(new() { ["body"] = ["请上传 CSV：每行 门店编码,业务员编码 / send CSV lines customerCode,agentCode"] });
        var dry = dryRun ?? false;
        var lines = await people.ImportAssignmentsAsync(csv, dry, ct);
        return TypedResults.Ok(new AssignmentImportResult(dry, lines.Count(l => l.Outcome == "assign"), lines.Count(l => l.Outcome == "unassign"),
            lines.Count(l => l.Outcome == "unchanged"), lines.Count(l => l.Outcome == "error"), lines));
    }

    private static async Task<Results<Ok<IReadOnlyList<StoreUserRow>>, ProblemHttpResult>> StoreUsers(long customerId, PeopleAdmin people, CancellationToken ct) =>
        await people.StoreUsersAsync(customerId, ct) is { } users ? TypedResults.Ok(users) : Problems.NotFound("门店不存在", "No such store");

    private static async Task<Results<Created<StoreUserRow>, ValidationProblem, ProblemHttpResult>> CreateStoreUser(long customerId, StoreUserRequest? body, PeopleAdmin people, CancellationToken ct)
    {
        var input = new StoreUserInput(body?.Name, body?.Mobile, body?.Role, body?.Password);
        var errors = people.ValidateStoreUser(input);
        if (errors.Count > 0) return Problems.Validation(errors);
        return await people.CreateStoreUserAsync(customerId, input, ct) is { } u
            ? TypedResults.Created($"/api/admin/customers/{customerId}/users/{u.Id}", u)
            : Problems.NotFound("门店不存在", "No such store");
    }
}

using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.Staff;

namespace OrderHub.Api.BackOffice;

/// <summary>The console's dashboard (看板) and agents (业务员): their stores and moving a store to another agent.</summary>
public static class BackOfficeAdminApi
{
    public sealed record MoneyDto(long Fen, string Text);
    public sealed record TotalsDto(long Orders, MoneyDto Revenue);
    public sealed record DayDto(string Date, long Orders, MoneyDto Revenue);
    public sealed record ChannelDto(string Channel, string Label, long Orders, MoneyDto Revenue);
    public sealed record TopCustomerDto(long CustomerId, string Code, string Name, long Orders, MoneyDto Revenue);
    public sealed record OpenQueueDto(string Status, string Label, long Count);
    public sealed record DashboardDto(string Today, TotalsDto TodayTotals, TotalsDto Month, IReadOnlyList<DayDto> Days,
        IReadOnlyList<ChannelDto> Channels, IReadOnlyList<TopCustomerDto> TopCustomers, IReadOnlyList<OpenQueueDto> Open);

    public sealed record AgentDto(long Id, string Code, string Name, string? Phone, string? WecomUserId, bool Active, long Customers, long OpenOrders, string? ChatGroup);
    public sealed record AgentCustomerDto(long Id, string Code, string Name, string? Region, string? GroupName, MoneyDto Balance, string? LastOrderAt);
    public sealed record ReassignRequest(long? AgentId);
    public sealed record ReassignedDto(long CustomerId, long? FromAgentId, long ToAgentId);

    public static IEndpointRouteBuilder MapBackOfficeAdminApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/admin").WithTags("Back office").RequireAuthorization(Policies.Staff);
        g.MapGet("/dashboard", Dashboard).WithName("AdminDashboard").WithSummary("看板: orders and revenue today and this month, self vs proxy, top customers");
        g.MapGet("/agents", Agents).WithName("AdminAgents").WithSummary("Agents with how many stores and open orders each has");
        g.MapGet("/agents/{agentId:long}/customers", AgentCustomers).WithName("AdminAgentCustomers").ProducesNotFound("业务员不存在 / No such agent").WithSummary("The stores an agent owns");
        g.MapPut("/customers/{customerId:long}/agent", Reassign).RequireAuthorization(Policies.Admin)
            .WithName("AdminReassignCustomer").ProducesNotFound("客户不存在 / No such customer").WithSummary("Move one store to another agent (admin)");
        return app;
    }

    private static async Task<Ok<DashboardDto>> Dashboard(BackOfficeDashboard dashboard, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<DashboardDto>(await dashboard.GetAsync()));

    private static async Task<Ok<IReadOnlyList<AgentDto>>> Agents(AgentAssignments agents, IMapper mapper) =>
        TypedResults.Ok(mapper.Map<IReadOnlyList<AgentDto>>(await agents.ListAsync()));

    private static async Task<Results<Ok<IReadOnlyList<AgentCustomerDto>>, ProblemHttpResult>> AgentCustomers(long agentId, AgentAssignments agents, IMapper mapper) =>
        await agents.CustomersAsync(agentId) is { } rows
            ? TypedResults.Ok(mapper.Map<IReadOnlyList<AgentCustomerDto>>(rows))
            : Problems.NotFound("业务员不存在", "No such agent");

    private static async Task<Results<Ok<ReassignedDto>, ValidationProblem>> Reassign(long customerId, ReassignRequest? body, AgentAssignments agents)
    {
        if (body?.AgentId is not { } to || to <= 0) return Problems.Validation(new() { ["agentId"] = ["请选择新的业务员 / choose the new agent"] });
        var from = await agents.ReassignAsync(customerId, to);
        return TypedResults.Ok(new ReassignedDto(customerId, from, to));
    }
}

using System.ComponentModel;
using System.Security.Claims;
using AutoMapper;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderHub.Api.Auth;
using OrderHub.Api.Infrastructure;
using OrderHub.Application.ChatCommerce;
using OrderHub.Application.Common;
using OrderHub.Application.Customers;
using OrderHub.Domain.Time;

namespace OrderHub.Api.ChatCommerce;

/// <summary>
/// 群发 (issue #20): messages to many stores through the agents' WeChat Work — the office for any stores, an agent for its
/// own — with each store's outcome; and an agent's chat group (which welcome text its stores get).
/// </summary>
public static class MassMessagesApi
{
    private const string NoMessage = "群发消息不存在 / No such mass message";

    public static IEndpointRouteBuilder MapMassMessagesApi(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/api/admin/chat/mass-messages").WithTags("ChatCommerce").RequireAuthorization(Policies.Staff);
        office.MapPost("", OfficeCreate).WithIdempotencyKey().WithName("AdminCreateMassMessage").ProducesNotFound("卡片的商品、促销或社区文章不存在 / The card's product, promotion or post was not found").Declares(422, "没有符合条件的门店，或幂等键已用于另一个请求 / No store matches, or the Idempotency-Key was used for another request").WithSummary("群发: a message (text and an optional mini-program card) to the stores of a selection, sent through each store's agent in WeChat Work");
        office.MapGet("", OfficeList).WithName("AdminMassMessages").WithSummary("群发 messages, newest first, with their counts");
        office.MapGet("/{id:long}", OfficeDetail).WithName("AdminMassMessage").ProducesNotFound(NoMessage).WithSummary("One 群发 with each store's outcome (held back and why, waiting for the agent, sent, failed)");

        var agent = app.MapGroup("/api/agent/chat/mass-messages").WithTags("ChatCommerce").RequireAuthorization(Policies.Agent);
        agent.MapPost("", AgentCreate).WithIdempotencyKey().WithName("AgentCreateMassMessage").ProducesStoreNotFound().ProducesNotFound("卡片的商品、促销或社区文章不存在 / The card's product, promotion or post was not found").Declares(422, "没有符合条件的门店，或幂等键已用于另一个请求 / No store matches, or the Idempotency-Key was used for another request").WithSummary("群发 to my stores of a selection: WeChat Work asks me to confirm it in the app");
        agent.MapGet("", AgentList).WithName("AgentMassMessages").WithSummary("My 群发 messages, newest first, with their counts");
        agent.MapGet("/{id:long}", AgentDetail).WithName("AgentMassMessage").ProducesNotFound(NoMessage).WithSummary("One of my 群发 messages with each store's outcome");

        app.MapPut("/api/admin/agents/{id:long}/chat-group", SetChatGroup).WithTags("ChatCommerce").RequireAuthorization(Policies.Admin)
            .WithName("AdminSetAgentChatGroup").ProducesNotFound("业务员不存在 / No such agent").WithSummary("An agent's chat group: its stores get that group's welcome text (WeCom:Chat:WelcomeByGroup); null for the default");
        return app;
    }

    public sealed record SelectionRequest(
        [property: Description("客户分组 id / Customer group ids")] IReadOnlyList<long>? GroupIds,
        [property: Description("区域 / Regions")] IReadOnlyList<string>? Regions,
        [property: Description("生命周期阶段 (New, Growing, Mature, Declining, Dormant, Churned) / Lifecycle stages")] IReadOnlyList<string>? Stages,
        [property: Description("只选有商品该补货的门店 / Only stores with products due for restock")] bool? RestockDue,
        [property: Description("门店 id / Store ids")] IReadOnlyList<long>? CustomerIds);

    public sealed record MassMessageRequest(
        [property: Description("消息文字 / Message text")] string? Text,
        [property: Description("卡片：catalog / product / promotion / community_post；不填为纯文字 / Card kind; none for text only")] string? CardKind,
        [property: Description("商品 sku、促销 id 或社区文章 id / The sku, promotion id or community post id")] string? CardSubject,
        [property: Description("选哪些门店 (各条件同时满足) / Which stores (all given filters hold)")] SelectionRequest? Selection);

    public sealed record MassMessageCountsDto(
        [property: Description("选中的门店 / Stores selected")] int Stores,
        [property: Description("已发送的门店 / Stores that got it")] int Sent,
        [property: Description("待业务员确认的门店 / Stores waiting for the agent to confirm")] int Waiting,
        [property: Description("被拦下的门店 (关闭了群发、已达上限、无联系人…) / Stores held back (opted out, capped, no contact…)")] int Held,
        [property: Description("发送失败的门店 / Stores that failed")] int Failed);

    public sealed record MassMessageSummaryDto(
        [property: Description("群发 id / Mass message id")] long Id,
        [property: Description("创建者类型 staff / agent / Created by kind")] string CreatedByKind,
        [property: Description("创建者 id / Created by id")] long CreatedById,
        [property: Description("业务员自己的群发时为业务员 id / The agent, for an agent's own message")] long? AgentId,
        [property: Description("消息文字 / Text")] string? Text,
        [property: Description("卡片类型 / Card kind")] string? CardKind,
        [property: Description("卡片对象 / Card subject")] string? CardSubject,
        [property: Description("创建时间 (上海时间) / Created at (Asia/Shanghai)")] string CreatedAt,
        [property: Description("各状态的门店数 / Stores per outcome")] MassMessageCountsDto Counts);

    public sealed record MassMessageStoreDto(
        [property: Description("门店 id / Store id")] long CustomerId,
        [property: Description("门店编码 / Store code")] string Code,
        [property: Description("门店名称 / Store name")] string Name,
        [property: Description("状态 held / pending / rejected / waiting / sent / not_friend / already_received / Status")] string Status,
        [property: Description("状态说明 / Status label")] string StatusLabel,
        [property: Description("被拦下或失败的原因 / Why it was held back or failed")] string? Reason,
        [property: Description("企业微信联系人数 / WeChat Work contacts")] int Contacts,
        [property: Description("已收到的联系人数 / Contacts that got it")] int ContactsSent,
        [property: Description("发送时间 (上海时间) / Sent at (Asia/Shanghai)")] string? SentAt);

    public sealed record MassMessageTaskDto(
        [property: Description("业务员 id / Agent id")] long AgentId,
        [property: Description("业务员 / Agent name")] string AgentName,
        [property: Description("发送成员 (企业微信 userid) / Sender's WeChat Work userid")] string Sender,
        [property: Description("企业微信群发 msgid / WeChat Work msgid")] string? MsgId,
        [property: Description("任务状态 pending 待提交 / created 已提交 / failed 失败 / done 完成 / Task status")] string Status,
        [property: Description("错误 / Error")] string? Error,
        [property: Description("卡片的分享码 / The card's share code")] string? ShareCode);

    public sealed record MassMessageDetailDto(
        [property: Description("群发 / The message")] MassMessageSummaryDto Summary,
        [property: Description("各门店 / Per store")] IReadOnlyList<MassMessageStoreDto> Stores,
        [property: Description("各业务员的企业微信任务 / One WeChat Work task per agent")] IReadOnlyList<MassMessageTaskDto> Tasks);

    public sealed record MassMessagePageDto(
        [property: Description("群发 / Messages")] IReadOnlyList<MassMessageSummaryDto> Items,
        [property: Description("下一页游标 (before) / Cursor of the next page")] long? Next);

    public sealed record ChatGroupRequest([property: Description("分组名，空为默认 / Group name; empty for the default")] string? ChatGroup);

    public sealed record AgentChatGroupDto(
        [property: Description("业务员 id / Agent id")] long AgentId,
        [property: Description("分组 / Chat group")] string? ChatGroup,
        [property: Description("该业务员门店收到的欢迎语 / The welcome text its stores get")] string WelcomeText);

    private static MassMessageInput Input(MassMessageRequest b)
    {
        var s = b.Selection;
        return new MassMessageInput(b.Text, string.IsNullOrWhiteSpace(b.CardKind) ? null : b.CardKind.Trim(), b.CardSubject?.Trim(),
            new MassSelection(s?.GroupIds, s?.Regions, s?.Stages, s?.RestockDue ?? false, s?.CustomerIds));
    }

    private static async Task<Results<Created<MassMessageDetailDto>, Ok<MassMessageDetailDto>, ValidationProblem, ProblemHttpResult>> OfficeCreate(
        MassMessageRequest body, HttpContext http, MassMessages messages, IMapper mapper, CancellationToken ct) =>
        await Create(MassMessageAuthor.Staff(http.User.UserId_()), body, http, messages, mapper, "/api/admin/chat/mass-messages", ct);

    private static async Task<Results<Created<MassMessageDetailDto>, Ok<MassMessageDetailDto>, ValidationProblem, ProblemHttpResult>> AgentCreate(
        MassMessageRequest body, HttpContext http, CustomerContextQuery customers, MassMessages messages, IMapper mapper, CancellationToken ct)
    {
        // explicit stores must be mine: each resolves through the one store-access rule (another agent's store is a 404)
        foreach (var id in body.Selection?.CustomerIds ?? [])
        {
            var (_, problem) = await StoreAccess.ResolveAsync(http.User, id, customers, staffAllowed: false);
            if (problem is not null) return problem;
        }
        return await Create(MassMessageAuthor.Agent(http.User.UserId_()), body, http, messages, mapper, "/api/agent/chat/mass-messages", ct);
    }

    private static async Task<Results<Created<MassMessageDetailDto>, Ok<MassMessageDetailDto>, ValidationProblem, ProblemHttpResult>> Create(
        MassMessageAuthor author, MassMessageRequest body, HttpContext http, MassMessages messages, IMapper mapper, string at, CancellationToken ct)
    {
        var (key, keyProblem) = IdempotencyHeader.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        var input = Input(body);
        var errors = MassMessages.Validate(input);
        if (errors.Count > 0) return Problems.Validation(errors);
        try
        {
            var created = await messages.CreateAsync(author, input, key!, ct);
            var dto = mapper.Map<MassMessageDetailDto>(created.Message);
            if (!created.Replayed) return TypedResults.Created($"{at}/{dto.Summary.Id}", dto);
            http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(dto);
        }
        catch (IdempotencyKeyReusedException) { return IdempotencyHeader.Reused(); }
    }

    private static async Task<Ok<MassMessagePageDto>> OfficeList(long? before, int? limit, MassMessages messages, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<MassMessagePageDto>(await messages.ListAsync(null, before, Math.Clamp(limit ?? 20, 1, 100), ct)));

    private static async Task<Ok<MassMessagePageDto>> AgentList(long? before, int? limit, ClaimsPrincipal user, MassMessages messages, IMapper mapper, CancellationToken ct) =>
        TypedResults.Ok(mapper.Map<MassMessagePageDto>(await messages.ListAsync(user.UserId_(), before, Math.Clamp(limit ?? 20, 1, 100), ct)));

    private static async Task<Results<Ok<MassMessageDetailDto>, ProblemHttpResult>> OfficeDetail(long id, MassMessages messages, IMapper mapper, CancellationToken ct) =>
        await messages.GetAsync(id, null, ct) is { } m ? TypedResults.Ok(mapper.Map<MassMessageDetailDto>(m)) : Problems.NotFound("群发消息不存在", "No such mass message");

    // another agent's message is a 404, as if it did not exist
    private static async Task<Results<Ok<MassMessageDetailDto>, ProblemHttpResult>> AgentDetail(long id, ClaimsPrincipal user, MassMessages messages, IMapper mapper, CancellationToken ct) =>
        await messages.GetAsync(id, user.UserId_(), ct) is { } m ? TypedResults.Ok(mapper.Map<MassMessageDetailDto>(m)) : Problems.NotFound("群发消息不存在", "No such mass message");

    private static async Task<Results<Ok<AgentChatGroupDto>, ValidationProblem, ProblemHttpResult>> SetChatGroup(long id, ChatGroupRequest body, AgentChatGroups groups,
        IMapper mapper, CancellationToken ct)
    {
        var group = string.IsNullOrWhiteSpace(body.ChatGroup) ? null : body.ChatGroup.Trim();
        if (group is { Length: > 32 }) return Problems.Validation(new() { ["chatGroup"] = ["分组名最长 32 字 / chatGroup must be at most 32 characters"] });
        return await groups.SetAsync(id, group, ct) is { } g ? TypedResults.Ok(mapper.Map<AgentChatGroupDto>(g)) : Problems.NotFound("业务员不存在", "No such agent");
    }
}

/// <summary>群发 records → API contract.</summary>
public sealed class MassMessagesMappingProfile : Profile
{
    public MassMessagesMappingProfile()
    {
        CreateMap<MassMessageCounts, MassMessagesApi.MassMessageCountsDto>();
        CreateMap<MassMessageSummary, MassMessagesApi.MassMessageSummaryDto>()
            .ForCtorParam(nameof(MassMessagesApi.MassMessageSummaryDto.CreatedAt), o => o.MapFrom(s => ShanghaiTime.Format(s.CreatedAtMs)));
        CreateMap<MassMessageStore, MassMessagesApi.MassMessageStoreDto>()
            .ForCtorParam(nameof(MassMessagesApi.MassMessageStoreDto.StatusLabel), o => o.MapFrom(s => MassTargetStatus.Label(s.Status)))
            .ForCtorParam(nameof(MassMessagesApi.MassMessageStoreDto.SentAt), o => o.MapFrom(s => s.SentAtMs == null ? null : ShanghaiTime.Format(s.SentAtMs.Value)));
        CreateMap<MassMessageTask, MassMessagesApi.MassMessageTaskDto>();
        CreateMap<MassMessageDetail, MassMessagesApi.MassMessageDetailDto>();
        CreateMap<MassMessagePage, MassMessagesApi.MassMessagePageDto>();
        CreateMap<AgentChatGroup, MassMessagesApi.AgentChatGroupDto>();
    }
}

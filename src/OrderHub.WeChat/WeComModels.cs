using System.Text.Json.Serialization;

namespace OrderHub.WeChat;

/// <summary>The customer as WeCom describes it (externalcontact/get → external_contact).</summary>
public sealed record ExternalContact(
    [property: JsonPropertyName("external_userid")] string ExternalUserId,
    [property: JsonPropertyName("name")] string? Name,
    /// <summary>1 = WeChat user, 2 = WeCom user.</summary>
    [property: JsonPropertyName("type")] int Type,
    /// <summary>0 unknown, 1 male, 2 female.</summary>
    [property: JsonPropertyName("gender")] int Gender,
    [property: JsonPropertyName("unionid")] string? UnionId,
    [property: JsonPropertyName("avatar")] string? Avatar,
    [property: JsonPropertyName("corp_name")] string? CorpName,
    [property: JsonPropertyName("corp_full_name")] string? CorpFullName,
    [property: JsonPropertyName("position")] string? Position);

/// <summary>A member (employee) who added the customer (externalcontact/get → follow_user[]).</summary>
public sealed record FollowUser(
    [property: JsonPropertyName("userid")] string UserId,
    [property: JsonPropertyName("remark")] string? Remark,
    [property: JsonPropertyName("description")] string? Description,
    /// <summary>Unix seconds when the member added the customer.</summary>
    [property: JsonPropertyName("createtime")] long CreateTime,
    [property: JsonPropertyName("add_way")] int AddWay,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("remark_mobiles")] IReadOnlyList<string>? RemarkMobiles);

/// <summary>One page of externalcontact/get: the customer and (up to 500 of) the members following them.</summary>
public sealed record ExternalContactDetails(ExternalContact Contact, IReadOnlyList<FollowUser> FollowUsers, string? NextCursor);

/// <summary>Per-customer outcome of resigned/transfer_customer. Errcode 0 means the 24-hour takeover started, not that it finished.</summary>
public sealed record CustomerTransferOutcome(string ExternalUserId, int Errcode)
{
    public bool Started => Errcode == 0;
    public WeChatErrorKind Kind => Errcode == 0 ? WeChatErrorKind.Unknown : WeChatApiException.KindOf(Errcode);
}

/// <summary>Takeover status in resigned/transfer_result.</summary>
public enum CustomerTransferStatus
{
    Unknown = 0,
    /// <summary>1: takeover done.</summary>
    Completed = 1,
    /// <summary>2: waiting; TakeoverTime is when it will happen automatically.</summary>
    Waiting = 2,
    /// <summary>3: the customer refused.</summary>
    CustomerRefused = 3,
    /// <summary>4: the takeover member reached the customer limit.</summary>
    TakeoverLimitReached = 4,
    /// <summary>5: no transfer record.</summary>
    NoRecord = 5,
}

public sealed record CustomerTransferState(string ExternalUserId, CustomerTransferStatus Status, DateTimeOffset? TakeoverTime);

/// <summary>One page of resigned/transfer_result; pass <see cref="NextCursor"/> back for the next page (null when done).</summary>
public sealed record CustomerTransferResultPage(IReadOnlyList<CustomerTransferState> Customers, string? NextCursor);

/// <summary>One customer of one member (batch/get_by_user → external_contact_list[]).</summary>
public sealed record MemberCustomer(ExternalContact Contact, FollowUser FollowInfo);

/// <summary>A customer of a member who left and is not handed over yet (get_unassigned_list → info[]).</summary>
public sealed record UnassignedCustomer(string HandoverUserId, string ExternalUserId, DateTimeOffset? DimissionTime);

/// <summary>
/// Result of WeChat Work's miniprogram/jscode2session: the member's corp and user id. <see cref="SessionKey"/> is secret:
/// never logged, never sent to the mini-program (<see cref="ToString"/> masks it).
/// </summary>
public sealed record WeComSession(string CorpId, string UserId, string SessionKey)
{
    public override string ToString() => $"WeComSession {{ CorpId = {CorpId}, UserId = {UserId}, SessionKey = *** }}";
}

internal sealed record WeComTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

internal sealed record ExternalContactListResponse(
    [property: JsonPropertyName("external_userid")] List<string>? ExternalUserIds);

internal sealed record ExternalContactGetResponse(
    [property: JsonPropertyName("external_contact")] ExternalContact? ExternalContact,
    [property: JsonPropertyName("follow_user")] List<FollowUser>? FollowUser,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

internal sealed record TransferCustomerRequest(
    [property: JsonPropertyName("handover_userid")] string HandoverUserId,
    [property: JsonPropertyName("takeover_userid")] string TakeoverUserId,
    [property: JsonPropertyName("external_userid")] List<string> ExternalUserIds);

internal sealed record TransferCustomerItem(
    [property: JsonPropertyName("external_userid")] string ExternalUserId,
    [property: JsonPropertyName("errcode")] int Errcode);

internal sealed record TransferCustomerResponse(
    [property: JsonPropertyName("customer")] List<TransferCustomerItem>? Customer);

internal sealed record TransferResultRequest(
    [property: JsonPropertyName("handover_userid")] string HandoverUserId,
    [property: JsonPropertyName("takeover_userid")] string TakeoverUserId,
    [property: JsonPropertyName("cursor")] string? Cursor);

internal sealed record TransferResultItem(
    [property: JsonPropertyName("external_userid")] string ExternalUserId,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("takeover_time")] long TakeoverTime);

internal sealed record TransferResultResponse(
    [property: JsonPropertyName("customer")] List<TransferResultItem>? Customer,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

internal sealed record BatchGetByUserRequest(
    [property: JsonPropertyName("userid_list")] List<string> UserIds,
    [property: JsonPropertyName("cursor")] string? Cursor,
    [property: JsonPropertyName("limit")] int Limit);

internal sealed record BatchGetByUserRow(
    [property: JsonPropertyName("external_contact")] ExternalContact? ExternalContact,
    [property: JsonPropertyName("follow_info")] FollowUser? FollowInfo);

internal sealed record BatchGetByUserResponse(
    [property: JsonPropertyName("external_contact_list")] List<BatchGetByUserRow>? ExternalContactList,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

internal sealed record UnassignedListRequest(
    [property: JsonPropertyName("cursor")] string? Cursor,
    [property: JsonPropertyName("page_size")] int PageSize);

internal sealed record UnassignedItem(
    [property: JsonPropertyName("handover_userid")] string HandoverUserId,
    [property: JsonPropertyName("external_userid")] string ExternalUserId,
    [property: JsonPropertyName("dimission_time")] long DimissionTime);

internal sealed record UnassignedListResponse(
    [property: JsonPropertyName("info")] List<UnassignedItem>? Info,
    [property: JsonPropertyName("is_last")] bool IsLast,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

internal sealed record OnJobTransferRequest(
    [property: JsonPropertyName("handover_userid")] string HandoverUserId,
    [property: JsonPropertyName("takeover_userid")] string TakeoverUserId,
    [property: JsonPropertyName("external_userid")] List<string> ExternalUserIds,
    [property: JsonPropertyName("transfer_success_msg")] string? TransferSuccessMsg);

internal sealed record WeComCode2SessionResponse(
    [property: JsonPropertyName("corpid")] string? CorpId,
    [property: JsonPropertyName("userid")] string? UserId,
    [property: JsonPropertyName("session_key")] string? SessionKey);

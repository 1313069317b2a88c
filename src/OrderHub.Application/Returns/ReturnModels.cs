using OrderHub.Application.Payments;

namespace OrderHub.Application.Returns;

/// <summary>One line the store wants to return: a line of the shipped order and how many.</summary>
public sealed record ReturnLineInput(long? OrderLineId, long? Quantity);

/// <summary>A return request as the store (or its agent) asks for it.</summary>
public sealed record ReturnInput(string? OrderNo, IReadOnlyList<ReturnLineInput>? Lines, string? Reason, IReadOnlyList<long>? PhotoIds);

/// <summary>How many of a return line the warehouse actually received.</summary>
public sealed record ReceivedLineInput(long? ReturnLineId, long? ReceivedQuantity);

public sealed record ReturnActionRequest(long ReturnId, ReturnAction Action, OrderHub.Application.Common.Actor Actor, OrderHub.Domain.People.Role Role,
    OrderHub.Application.OrderFlow.OrderScope Scope, string? Reason = null, IReadOnlyList<ReceivedLineInput>? Received = null, string? IdempotencyKey = null);

/// <summary>A line of a return with what the order said about it.</summary>
public sealed class ReturnLineRow
{
    public long Id { get; init; }
    public long OrderLineId { get; init; }
    public long ProductId { get; init; }
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Spec { get; init; }
    public string Unit { get; init; } = "";
    public long UnitPriceFen { get; init; }
    public bool IsGift { get; init; }
    public long OrderedQuantity { get; init; }
    public long Quantity { get; init; }
    public long? ReceivedQuantity { get; init; }
}

public sealed class ReturnEventRow
{
    public long AtMs { get; init; }
    public string ActorKind { get; init; } = "";
    public string ActorName { get; init; } = "";
    public string Action { get; init; } = "";
    public string? FromStatus { get; init; }
    public string? ToStatus { get; init; }
    public string? Note { get; init; }
}

/// <summary>A return request with its lines, photos (media ids), timeline and the refunds it started.</summary>
public sealed class ReturnView
{
    public long Id { get; init; }
    public string ReturnNo { get; init; } = "";
    public long OrderId { get; init; }
    public string OrderNo { get; init; } = "";
    public long CustomerId { get; init; }
    public string CustomerName { get; init; } = "";
    public string Status { get; init; } = "";
    public string StatusLabel => ReturnStatus.Label(Status);
    public string Reason { get; init; } = "";
    public string PhotoIdsJson { get; init; } = "[]";
    public IReadOnlyList<long> PhotoIds => System.Text.Json.JsonSerializer.Deserialize<long[]>(PhotoIdsJson) ?? [];
    public long RequestedFen { get; init; }
    public long? CreditFen { get; init; }
    public long? RefundFen { get; init; }
    public string? RejectReason { get; init; }
    public string? CancelReason { get; init; }
    public string? ErpStatus { get; init; }
    public long CreatedAtMs { get; init; }
    public long UpdatedAtMs { get; init; }
    public long? ReceivedAtMs { get; init; }
    public long? CompletedAtMs { get; init; }
    public IReadOnlyList<ReturnLineRow> Lines { get; set; } = [];
    public IReadOnlyList<ReturnEventRow> Events { get; set; } = [];
    public IReadOnlyList<RefundRow> Refunds { get; set; } = [];
}

/// <param name="Replayed">True when the Idempotency-Key was seen before: this is the first request's return again.</param>
public sealed record ReturnWriteResult(ReturnView Return, bool Replayed);

/// <summary>What is left to return of each line of a shipped order.</summary>
public sealed class ReturnableLine
{
    public long OrderLineId { get; init; }
    public string Sku { get; init; } = "";
    public string Name { get; init; } = "";
    public string Unit { get; init; } = "";
    public long UnitPriceFen { get; init; }
    public bool IsGift { get; init; }
    public long OrderedQuantity { get; init; }
    public long ReturnedQuantity { get; init; }
    public long ReturnableQuantity => Math.Max(0, OrderedQuantity - ReturnedQuantity);
}

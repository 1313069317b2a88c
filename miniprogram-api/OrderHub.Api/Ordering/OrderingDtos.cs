using OrderHub.Api.Catalog;

namespace OrderHub.Api.Ordering;

// The ordering API contract. Amounts are fen with a ready "¥" text; times are Asia/Shanghai ISO-8601.

public sealed record AddToCartRequest(string Sku, long Quantity, string? ShareCode);
public sealed record SetQuantityRequest(long Quantity);
/// <param name="InvoiceTitleId">Optional: one of the store's invoice titles (发票抬头); the order keeps a copy.</param>
public sealed record SubmitOrderRequest(long AddressId, string? Note, long? InvoiceTitleId = null);
public sealed record ReasonRequest(string? Reason);
public sealed record FinanceApprovalRequest(bool Override, string? Note);

public sealed record CartLineDto(string Sku, string Name, string? Spec, string Unit, int PackSize, int MinOrderQty, long Quantity,
    PriceDto Price, long AmountFen, string AmountText, bool IsGift, string? Problem);
public sealed record ShortageDto(string Sku, string Name, long Requested, long Available);
public sealed record UnavailableDto(string Sku, string Name, string Reason);
public sealed record CartDto(IReadOnlyList<CartLineDto> Lines, IReadOnlyList<UnavailableDto> Unavailable, long GoodsFen, long DiscountFen,
    string? DiscountName, long TotalFen, string TotalText, IReadOnlyList<ShortageDto> Shortages, bool CanSubmit);

public sealed record OrderSummaryDto(long Id, string OrderNo, string CustomerCode, string CustomerName, string Status, string StatusLabel,
    string Channel, string? AgentName, long TotalFen, string TotalText, long DiscountFen, long LineCount, bool CreditExceeded, bool FinanceOverride, string CreatedAt);
public sealed record OrderLineDto(int LineNo, string Sku, string Name, string? Spec, string Unit, long Quantity, long UnitPriceFen, string UnitPriceText,
    long AmountFen, string PriceSource, string PriceReason, bool IsGift);
public sealed record OrderEventDto(string At, string ActorKind, string ActorName, string Action, string? FromStatus, string? ToStatus, string? ToStatusLabel, string? Note);
public sealed record OrderDetailDto(OrderSummaryDto Summary, long GoodsFen, string PlacedByKind, string? Attribution, string ContactName, string ContactPhone,
    string DeliveryAddress, string? Note, string? RejectReason, string? CancelReason, string? ErpOrderId, IReadOnlyList<OrderLineDto> Lines, IReadOnlyList<OrderEventDto> Timeline,
    OrderInvoiceDto? Invoice = null);
/// <summary>The invoice title the order was placed with, as it was then (null: none). Kind normal = 普票, special = 专票.</summary>
public sealed record OrderInvoiceDto(string Kind, string KindText, string Title, string? TaxNo, string? BankName, string? BankAccount, string? Address, string? Phone);
public sealed record OrderPageDto(IReadOnlyList<OrderSummaryDto> Items, long? NextBefore);
public sealed record ReorderedItemDto(string Sku, string Name, long Quantity, long OldUnitPriceFen, long NewUnitPriceFen, bool PriceChanged);
public sealed record ReorderResultDto(IReadOnlyList<ReorderedItemDto> Added, IReadOnlyList<UnavailableDto> Dropped, IReadOnlyList<ReorderedItemDto> QuantityAdjusted);
public sealed record AddressDto(long Id, string? Label, string ContactName, string Phone, string Address, bool IsDefault);
public sealed record FrequentItemDto(long TimesOrdered, long LastQuantity, string LastOrderedAt, CatalogItemDto Item);
public sealed record StatusChangeDto(string OrderNo, string Status, string StatusLabel);

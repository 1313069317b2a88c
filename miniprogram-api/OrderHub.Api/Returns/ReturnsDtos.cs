using System.ComponentModel;
using OrderHub.Api.Media;
using OrderHub.Api.Payments;

namespace OrderHub.Api.Returns;

// The returns (退货 / 退款) API contract. Amounts are fen with a ready "¥" text; times are Asia/Shanghai ISO-8601.

public sealed record ReturnLineRequest(
    [property: Description("要退的订单行 id (见 returnable 接口) / The order line to return (see the returnable endpoint)")] long? OrderLineId,
    [property: Description("退货数量，不超过已发数量减去已退或退货中的数量 / Quantity to return, at most shipped less what is returned or in return")] long? Quantity);

public sealed record CreateReturnRequest(
    [property: Description("已发货订单的订单号 / The shipped order's number")] string? OrderNo,
    [property: Description("要退的行和数量 / Lines and quantities to return")] IReadOnlyList<ReturnLineRequest>? Lines,
    [property: Description("退货原因 (最多 200 字) / Why (at most 200 characters)")] string? Reason,
    [property: Description("照片 id (先上传到 return-photos，最多 9 张) / Photo ids (upload to return-photos first; at most 9)")] IReadOnlyList<long>? PhotoIds);

public sealed record ReceivedLineRequest(
    [property: Description("退货行 id / Return line id")] long? ReturnLineId,
    [property: Description("实际收到的数量 (0 至申请数量) / Quantity actually received (0 up to the asked quantity)")] long? ReceivedQuantity);

public sealed record ReceiveReturnRequest(
    [property: Description("每行实收数量 / The quantity received of every line")] IReadOnlyList<ReceivedLineRequest>? Lines,
    [property: Description("备注 / Note")] string? Note);

public sealed record ReturnNoteRequest(
    [property: Description("原因或备注 (驳回时必填) / Reason or note (required to reject)")] string? Reason);

public sealed record ReturnableLineDto(
    [property: Description("订单行 id / Order line id")] long OrderLineId,
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("单位 / Unit")] string Unit,
    [property: Description("成交单价 (分) / Unit price paid, in fen")] long UnitPriceFen,
    [property: Description("成交单价文字，如 ¥12.50 / Unit price as text")] string UnitPriceText,
    [property: Description("是否赠品 (退货按 0 元计) / A gift line (credited at zero)")] bool IsGift,
    [property: Description("已发数量 / Quantity shipped")] long OrderedQuantity,
    [property: Description("已退或退货中的数量 / Quantity returned or in an open return")] long ReturnedQuantity,
    [property: Description("还能退的数量 / Quantity that may still be returned")] long ReturnableQuantity);

public sealed record ReturnableDto(
    [property: Description("订单号 / Order number")] string OrderNo,
    [property: Description("每行可退数量 / What may be returned of each line")] IReadOnlyList<ReturnableLineDto> Lines);

public sealed record ReturnLineDto(
    [property: Description("退货行 id (收货时用) / Return line id (used when receiving)")] long Id,
    [property: Description("订单行 id / Order line id")] long OrderLineId,
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("规格；没有为 null / Specification; null if none")] string? Spec,
    [property: Description("单位 / Unit")] string Unit,
    [property: Description("成交单价 (分) / Unit price paid, in fen")] long UnitPriceFen,
    [property: Description("是否赠品 / A gift line")] bool IsGift,
    [property: Description("订单中的数量 / Quantity in the order")] long OrderedQuantity,
    [property: Description("申请退货数量 / Quantity asked to return")] long Quantity,
    [property: Description("仓库实收数量；未收货为 null / Quantity the warehouse received; null until received")] long? ReceivedQuantity);

public sealed record ReturnEventDto(
    [property: Description("时间 (上海时间) / When (Asia/Shanghai)")] string At,
    [property: Description("操作人类型 / Who acted (kind)")] string ActorKind,
    [property: Description("操作人 / Who acted")] string ActorName,
    [property: Description("操作：request、approve、reject、receive、refund、cancel / Action")] string Action,
    [property: Description("原状态 / From status")] string? FromStatus,
    [property: Description("新状态 / To status")] string? ToStatus,
    [property: Description("说明 (原因、实收、冲账与退款金额) / Note (reason, received quantities, credit and refund)")] string? Note);

public sealed record ReturnDto(
    [property: Description("退货单 id / Return id")] long Id,
    [property: Description("退货单号，如 RT20261206000012 / Return number")] string ReturnNo,
    [property: Description("原订单 id / The order's id")] long OrderId,
    [property: Description("原订单号 / The order's number")] string OrderNo,
    [property: Description("门店 (客户) id / Store (customer) id")] long CustomerId,
    [property: Description("门店名称 / Store name")] string CustomerName,
    [property: Description("状态：pending_review 待审核、pending_receipt 待收货、pending_refund 待退款、completed 已完成、rejected 已驳回、cancelled 已取消 / Status")] string Status,
    [property: Description("状态文字 / Status label")] string StatusLabel,
    [property: Description("退货原因 / Why")] string Reason,
    [property: Description("照片 / Photos")] IReadOnlyList<MediaDto> Photos,
    [property: Description("按申请数量估算的冲账金额 (分) / Credit estimated from the asked quantities, in fen")] long RequestedFen,
    [property: Description("按实收数量冲账的金额 (分)；未退款为 null / Ledger credit for the received goods, in fen; null until the refund step")] long? CreditFen,
    [property: Description("其中原路退回的金额 (分)；未退款为 null / Of the credit, paid back as money (WeChat Pay or balance), in fen; null until the refund step")] long? RefundFen,
    [property: Description("冲账金额文字；未退款为 null / Credit as text; null until the refund step")] string? CreditText,
    [property: Description("驳回原因 / Why it was rejected")] string? RejectReason,
    [property: Description("取消原因 / Why it was cancelled")] string? CancelReason,
    [property: Description("ERP 中的状态；未同步为 null / Status in the ERP; null until known")] string? ErpStatus,
    [property: Description("申请时间 (上海时间) / When asked (Asia/Shanghai)")] string CreatedAt,
    [property: Description("退货行 / Lines")] IReadOnlyList<ReturnLineDto> Lines,
    [property: Description("时间线 / Timeline")] IReadOnlyList<ReturnEventDto> Events,
    [property: Description("因本退货发起的退款 / Refunds this return started")] IReadOnlyList<OrderHub.Application.Payments.RefundRow> Refunds);

public sealed record ReturnListDto(
    [property: Description("退货单，新的在前 / Returns, newest first")] IReadOnlyList<ReturnDto> Items);

public sealed record ReturnCountDto(
    [property: Description("状态 / Status")] string Status,
    [property: Description("状态文字 / Status label")] string Label,
    [property: Description("数量 / How many")] long Count);

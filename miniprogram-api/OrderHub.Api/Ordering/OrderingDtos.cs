using System.ComponentModel;
using OrderHub.Api.Catalog;

namespace OrderHub.Api.Ordering;

// The ordering API contract. Amounts are fen with a ready "¥" text; times are Asia/Shanghai ISO-8601.
// Every field says what it is in Chinese and English, beside the field (ApiDescriptionsTests fails on one without).

public sealed record AddToCartRequest(
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("加入的数量 (须符合箱规与起订量) / Quantity to add (a multiple of the pack size, at least the MOQ)")] long Quantity,
    [property: Description("业务员分享码 (从分享链接打开时带上)；只对该业务员自己的门店与分享的商品有效 / The agent's share code when opened from a share link; counts only for that agent's own store and the shared item")] string? ShareCode,
    [property: Description("数量的单位 (见商品的 units，如 箱)；不填为基本单位 / The unit the quantity counts in (see the product's units, e.g. 箱); omitted = the base unit")] string? Unit);

public sealed record SetQuantityRequest(
    [property: Description("新的数量 (须符合箱规与起订量) / The new quantity (a multiple of the pack size, at least the MOQ)")] long Quantity,
    [property: Description("数量的单位 (见商品的 units，如 箱)；不填为基本单位 / The unit the quantity counts in (see the product's units, e.g. 箱); omitted = the base unit")] string? Unit);

public sealed record SubmitOrderRequest(
    [property: Description("收货地址 id (见 /api/addresses) / Delivery address id (see /api/addresses)")] long AddressId,
    [property: Description("订单备注 (最多 500 字) / Order note (at most 500 characters)")] string? Note,
    [property: Description("发票抬头 id (可选，见 /api/invoice-titles)；订单保留当时的副本 / Optional invoice title id (see /api/invoice-titles); the order keeps a copy as it was")] long? InvoiceTitleId = null,
    [property: Description("先付款后审核 (仅当门店付款方式为 either 时由门店选择，见 /api/store/account) / Pay before review (the store's choice when its payment mode is either; see /api/store/account)")] bool? PayFirst = null);

public sealed record ReasonRequest(
    [property: Description("原因 / The reason")] string? Reason);

public sealed record FinanceApprovalRequest(
    [property: Description("超出信用额度仍然通过 / Approve even past the credit limit")] bool Override,
    [property: Description("备注 / Note")] string? Note);

public sealed record CartLineDto(
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("规格 / Specification")] string? Spec,
    [property: Description("单位 / Unit")] string Unit,
    [property: Description("箱规 / Pack size")] int PackSize,
    [property: Description("起订量 / Minimum order quantity")] int MinOrderQty,
    [property: Description("数量 / Quantity")] long Quantity,
    [property: Description("此刻的单价 / The unit price now")] PriceDto Price,
    [property: Description("金额 (分) / Line amount in fen")] long AmountFen,
    [property: Description("金额文字 / Line amount as text")] string AmountText,
    [property: Description("买赠的赠品行 / A free item of a buy-N-get-M promotion")] bool IsGift,
    [property: Description("该行的问题 (如库存不足、不满足箱规)；没有为 null / What is wrong with the line (short stock, pack size…); null if nothing")] string? Problem,
    [property: Description("基本单位 (库存按它计) / The base unit (stock counts in it)")] string BaseUnit,
    [property: Description("一个 unit 等于多少基本单位 / Base units in one unit")] int UnitFactor,
    [property: Description("按基本单位的数量 / The quantity in base units")] long BaseQuantity,
    [property: Description("该商品可选的单位 (基本单位在先) / The units this item can be ordered in (base unit first)")] IReadOnlyList<UnitChoiceDto> Units);

public sealed record UnitChoiceDto(
    [property: Description("单位名称 / Unit name")] string Name,
    [property: Description("一个该单位等于多少基本单位 / Base units in one of this unit")] int Factor);

public sealed record ShortageDto(
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("要订的数量 / Quantity wanted")] long Requested,
    [property: Description("可订数量 / Quantity available")] long Available);

public sealed record UnavailableDto(
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("不可订的原因 / Why it cannot be ordered")] string Reason);

public sealed record CartDto(
    [property: Description("购物车行 (含赠品) / Cart lines, free items included")] IReadOnlyList<CartLineDto> Lines,
    [property: Description("已不可订的商品 (下架、不在可见范围) / Items that can no longer be ordered")] IReadOnlyList<UnavailableDto> Unavailable,
    [property: Description("商品金额 (分) / Goods total in fen")] long GoodsFen,
    [property: Description("满减优惠 (分) / Spend-and-save discount in fen")] long DiscountFen,
    [property: Description("满减促销名称；没有为 null / The spend-and-save promotion's name; null if none")] string? DiscountName,
    [property: Description("应付合计 (分) / Total to pay in fen")] long TotalFen,
    [property: Description("应付合计文字 / Total to pay as text")] string TotalText,
    [property: Description("库存不足的商品 / Items short of stock")] IReadOnlyList<ShortageDto> Shortages,
    [property: Description("可以提交订单 / The cart can be submitted")] bool CanSubmit);

public sealed record OrderSummaryDto(
    [property: Description("订单 id / Order id")] long Id,
    [property: Description("订单号，如 SO20261125000123 / Order number, e.g. SO20261125000123")] string OrderNo,
    [property: Description("门店编码 / Store (customer) code")] string CustomerCode,
    [property: Description("门店名称 / Store name")] string CustomerName,
    [property: Description("状态：pending_sales_review、pending_finance_review、pending_outbound、pending_shipment、shipped、received、rejected、cancelled / Status code")] string Status,
    [property: Description("状态文字，如 待业务审核 / The status as text, e.g. 待业务审核")] string StatusLabel,
    [property: Description("下单方式：self 自助、proxy 代订货 / Channel: self or proxy")] string Channel,
    [property: Description("代下单或归属的业务员；没有为 null / The agent who placed it or is credited; null if none")] string? AgentName,
    [property: Description("订单金额 (分) / Order total in fen")] long TotalFen,
    [property: Description("订单金额文字 / Order total as text")] string TotalText,
    [property: Description("满减优惠 (分) / Discount in fen")] long DiscountFen,
    [property: Description("行数 / Number of lines")] long LineCount,
    [property: Description("提交时超出信用额度 / Past the credit limit when submitted")] bool CreditExceeded,
    [property: Description("财务已超额度放行 / Finance approved it past the credit limit")] bool FinanceOverride,
    [property: Description("下单时间 (上海时间) / When it was placed (Asia/Shanghai)")] string CreatedAt);

public sealed record OrderLineDto(
    [property: Description("行号 / Line number")] int LineNo,
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("规格 / Specification")] string? Spec,
    [property: Description("单位 / Unit")] string Unit,
    [property: Description("数量 / Quantity")] long Quantity,
    [property: Description("成交单价 (分) / Unit price in fen")] long UnitPriceFen,
    [property: Description("成交单价文字 / Unit price as text")] string UnitPriceText,
    [property: Description("金额 (分) / Line amount in fen")] long AmountFen,
    [property: Description("价格来源 (同 PriceDto.source) / Where the price came from (as PriceDto.source)")] string PriceSource,
    [property: Description("为什么是这个价 / Why this price")] string PriceReason,
    [property: Description("赠品 / A free item")] bool IsGift,
    [property: Description("基本单位 (库存按它计) / The base unit (stock counts in it)")] string BaseUnit,
    [property: Description("一个 unit 等于多少基本单位 / Base units in one unit")] int UnitFactor,
    [property: Description("按基本单位的数量 / The quantity in base units")] long BaseQuantity);

public sealed record OrderEventDto(
    [property: Description("时间 (上海时间) / When (Asia/Shanghai)")] string At,
    [property: Description("操作人类型：customer、agent、staff、system、erp / Who acted: customer, agent, staff, system or erp")] string ActorKind,
    [property: Description("操作人 / Who acted, by name")] string ActorName,
    [property: Description("动作，如 submit、approve_sales、ship / The action, e.g. submit, approve_sales, ship")] string Action,
    [property: Description("原状态 / Status before")] string? FromStatus,
    [property: Description("新状态 / Status after")] string? ToStatus,
    [property: Description("新状态文字 / Status after, as text")] string? ToStatusLabel,
    [property: Description("备注或原因 / Note or reason")] string? Note);

public sealed record OrderDetailDto(
    [property: Description("订单概要 / The order's summary")] OrderSummaryDto Summary,
    [property: Description("商品金额 (分) / Goods total in fen")] long GoodsFen,
    [property: Description("下单人类型：customer 门店、agent 业务员 / Who placed it: customer or agent")] string PlacedByKind,
    [property: Description("业绩归属说明 (如 分享链接：业务员) / How the order is credited (e.g. share link: agent)")] string? Attribution,
    [property: Description("收货联系人 / Delivery contact")] string ContactName,
    [property: Description("收货电话 / Delivery phone")] string ContactPhone,
    [property: Description("收货地址 / Delivery address")] string DeliveryAddress,
    [property: Description("订单备注 / Order note")] string? Note,
    [property: Description("驳回原因 / Why it was rejected")] string? RejectReason,
    [property: Description("取消原因 / Why it was cancelled")] string? CancelReason,
    [property: Description("ERP 中的单号；未推送为 null / The order's id in the ERP; null until pushed")] string? ErpOrderId,
    [property: Description("订单行 / Order lines")] IReadOnlyList<OrderLineDto> Lines,
    [property: Description("流转记录 / Timeline of the order flow")] IReadOnlyList<OrderEventDto> Timeline,
    [property: Description("下单时选的发票抬头 (当时的副本)；未开票为 null / The invoice title chosen with the order, as it was then; null if none")] OrderInvoiceDto? Invoice = null);

/// <summary>The invoice title the order was placed with, as it was then (null: none). Kind normal = 普票, special = 专票.</summary>
public sealed record OrderInvoiceDto(
    [property: Description("normal 普票 / special 专票 / normal or special (VAT) invoice")] string Kind,
    [property: Description("普票 或 专票 / The kind as text")] string KindText,
    [property: Description("抬头 / Invoice title")] string Title,
    [property: Description("税号 / Tax number")] string? TaxNo,
    [property: Description("开户行 / Bank")] string? BankName,
    [property: Description("银行账号 / Bank account")] string? BankAccount,
    [property: Description("注册地址 / Registered address")] string? Address,
    [property: Description("注册电话 / Registered phone")] string? Phone);

public sealed record OrderPageDto(
    [property: Description("本页订单 (新的在前) / Orders of this page, newest first")] IReadOnlyList<OrderSummaryDto> Items,
    [property: Description("下一页：作为 before 传回；没有更多为 null / Next page: send as before; null when there is no more")] long? NextBefore);

public sealed record ReorderedItemDto(
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("加入的数量 / Quantity added")] long Quantity,
    [property: Description("原订单单价 (分) / Unit price in the old order, in fen")] long OldUnitPriceFen,
    [property: Description("现在的单价 (分) / Unit price now, in fen")] long NewUnitPriceFen,
    [property: Description("价格已变 / The price has changed")] bool PriceChanged);

public sealed record ReorderResultDto(
    [property: Description("已加入购物车 / Added to the cart")] IReadOnlyList<ReorderedItemDto> Added,
    [property: Description("已不可订，未加入 / No longer orderable, left out")] IReadOnlyList<UnavailableDto> Dropped,
    [property: Description("数量按箱规、起订量或库存调整过 / Quantity adjusted to the pack size, MOQ or stock")] IReadOnlyList<ReorderedItemDto> QuantityAdjusted);

public sealed record AddressDto(
    [property: Description("地址 id / Address id")] long Id,
    [property: Description("标签，如 门店 / Label, e.g. store")] string? Label,
    [property: Description("联系人 / Contact name")] string ContactName,
    [property: Description("电话 / Phone")] string Phone,
    [property: Description("地址 / Address")] string Address,
    [property: Description("默认地址 / The default address")] bool IsDefault);

public sealed record FrequentItemDto(
    [property: Description("订过的次数 / Times ordered")] long TimesOrdered,
    [property: Description("上次数量 / Quantity last time")] long LastQuantity,
    [property: Description("上次下单时间 (上海时间) / Last ordered (Asia/Shanghai)")] string LastOrderedAt,
    [property: Description("商品，按现在的价格与库存 / The item, at today's price and stock")] CatalogItemDto Item);

public sealed record StatusChangeDto(
    [property: Description("订单号 / Order number")] string OrderNo,
    [property: Description("新状态 / The new status")] string Status,
    [property: Description("新状态文字 / The new status as text")] string StatusLabel);

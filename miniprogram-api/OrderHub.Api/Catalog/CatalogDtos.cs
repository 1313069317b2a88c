using System.ComponentModel;

namespace OrderHub.Api.Catalog;

// The catalog's API contract. Amounts are fen (integers) with a ready "¥" text; times are Asia/Shanghai ISO-8601.
// Every field says what it is in Chinese and English, beside the field ([property: Description]); the OpenAPI document
// and /docs show it (tests/OrderHub.Tests/Api/ApiDescriptionsTests.cs fails on a field without one).

public sealed record PriceDto(
    [property: Description("该门店此刻的单价 (分) / The store's unit price now, in fen")] long Fen,
    [property: Description("单价文字，如 ¥12.50 / The unit price as text, e.g. ¥12.50")] string Text,
    [property: Description("价格来源：promotion 促销、customer_price 客户协议价、tracking_price 客户跟踪价、group_price_list 等级价目表、base_price 基础价 / Where the price comes from: promotion, customer_price, tracking_price, group_price_list or base_price")] string Source,
    [property: Description("为什么是这个价 (中文，给门店看) / Why this price, in Chinese for the store")] string Reason,
    [property: Description("促销价时的促销 id / The promotion id when a promotion sets the price")] long? PromotionId,
    [property: Description("阶梯价时的起订数量 / The tier's minimum quantity when a quantity tier sets the price")] long? TierMinQty);

public sealed record TierDto(
    [property: Description("达到该数量起适用 / Applies from this quantity")] long MinQty,
    [property: Description("阶梯单价 (分) / The tier's unit price in fen")] long PriceFen,
    [property: Description("阶梯单价文字 / The tier's unit price as text")] string Text);

public sealed record PromotionBadgeDto(
    [property: Description("促销 id / The promotion id")] long PromotionId,
    [property: Description("促销类型：special_price 特价、buy_get 买赠、spend_save 满减 / Kind: special_price, buy_get or spend_save")] string Kind,
    [property: Description("促销名称 / The promotion's name")] string Name,
    [property: Description("角标文字，如 买10赠1 / Badge text, e.g. buy 10 get 1")] string Text,
    [property: Description("结束时间 (上海时间) / When it ends (Asia/Shanghai)")] string EndsAt);

public sealed record StockDto(
    [property: Description("可订数量 (库存减去未完成订单的占用)；按设置不显示时为 null / Quantity the store may order (on hand less open orders' reservations); null when stock is not shown")] long? Available,
    [property: Description("库存等级：InStock 有货、Low 少量、OutOfStock 缺货 / Stock level: InStock, Low or OutOfStock")] string Level,
    [property: Description("库存等级文字：有货、少量、缺货 / The stock level as text: 有货, 少量 or 缺货")] string LevelText);

public sealed record LastPaidDto(
    [property: Description("上次成交单价 (分) / The unit price last paid, in fen")] long PriceFen,
    [property: Description("上次成交单价文字 / The unit price last paid, as text")] string Text,
    [property: Description("上次订购数量 / The quantity last ordered")] long Quantity,
    [property: Description("上次下单时间 (上海时间) / When it was last ordered (Asia/Shanghai)")] string PaidAt);

public sealed record CatalogItemDto(
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("规格，如 500ml×12 / Specification, e.g. 500ml×12")] string? Spec,
    [property: Description("单位，如 箱 / Unit, e.g. case")] string Unit,
    [property: Description("箱规：订购数量须是它的倍数 / Pack size: quantities must be a multiple of it")] int PackSize,
    [property: Description("起订量 / Minimum order quantity")] int MinOrderQty,
    [property: Description("条码 / Barcode")] string? Barcode,
    [property: Description("品牌 / Brand")] string? Brand,
    [property: Description("商品分类 id / Product category id")] long? CategoryId,
    [property: Description("图片地址 / Image URLs")] IReadOnlyList<string> ImageUrls,
    [property: Description("该门店的价格 / The store's price")] PriceDto Price,
    [property: Description("基础价 (分) / The base price in fen")] long BasePriceFen,
    [property: Description("数量阶梯价 / Quantity price tiers")] IReadOnlyList<TierDto> Tiers,
    [property: Description("进行中的促销 / Promotions running now")] IReadOnlyList<PromotionBadgeDto> Promotions,
    [property: Description("库存 / Stock")] StockDto Stock,
    [property: Description("该门店上次成交价；从未订过为 null / What the store paid last time; null if never ordered")] LastPaidDto? LastPaid,
    [property: Description("标签 / Tags")] IReadOnlyList<string> Tags,
    [property: Description("新品 / New product")] bool IsNew,
    [property: Description("热销 / Best seller")] bool IsHot,
    [property: Description("可订购的单位 (基本单位在先)，各有该门店的价格、箱规与起订量 / The units the store may order in (base unit first), each with the store's price, pack size and MOQ in it")] IReadOnlyList<UnitDto> Units);

public sealed record CatalogItemDetailDto(
    [property: Description("商品编码 / Product SKU")] string Sku,
    [property: Description("商品名称 / Product name")] string Name,
    [property: Description("规格，如 500ml×12 / Specification, e.g. 500ml×12")] string? Spec,
    [property: Description("单位，如 箱 / Unit, e.g. case")] string Unit,
    [property: Description("箱规：订购数量须是它的倍数 / Pack size: quantities must be a multiple of it")] int PackSize,
    [property: Description("起订量 / Minimum order quantity")] int MinOrderQty,
    [property: Description("条码 / Barcode")] string? Barcode,
    [property: Description("品牌 / Brand")] string? Brand,
    [property: Description("商品分类 id / Product category id")] long? CategoryId,
    [property: Description("图片地址 / Image URLs")] IReadOnlyList<string> ImageUrls,
    [property: Description("该门店的价格 / The store's price")] PriceDto Price,
    [property: Description("基础价 (分) / The base price in fen")] long BasePriceFen,
    [property: Description("数量阶梯价 / Quantity price tiers")] IReadOnlyList<TierDto> Tiers,
    [property: Description("进行中的促销 / Promotions running now")] IReadOnlyList<PromotionBadgeDto> Promotions,
    [property: Description("库存 / Stock")] StockDto Stock,
    [property: Description("该门店上次成交价；从未订过为 null / What the store paid last time; null if never ordered")] LastPaidDto? LastPaid,
    [property: Description("商品介绍 / Product description")] string? Description,
    [property: Description("卖点 / Selling points")] IReadOnlyList<string> SellingPoints,
    [property: Description("标签 / Tags")] IReadOnlyList<string> Tags,
    [property: Description("新品 / New product")] bool IsNew,
    [property: Description("热销 / Best seller")] bool IsHot,
    [property: Description("可订购的单位 (基本单位在先)，各有该门店的价格、箱规与起订量 / The units the store may order in (base unit first), each with the store's price, pack size and MOQ in it")] IReadOnlyList<UnitDto> Units);

public sealed record CatalogPageDto(
    [property: Description("本页商品 / The items of this page")] IReadOnlyList<CatalogItemDto> Items,
    [property: Description("下一页游标 (作为 after 传回)；没有更多时为 null / Cursor of the next page (send as after); null when there is no more")] string? NextCursor,
    [property: Description("搜索结果按分类、品牌的数量 (仅搜索的第一页) / A search's matches per category and brand (first page of a search only)")] CatalogFacetsDto? Facets);

public sealed record CatalogFacetsDto(
    [property: Description("按分类 / By category")] IReadOnlyList<CategoryFacetDto> Categories,
    [property: Description("按品牌 / By brand")] IReadOnlyList<BrandDto> Brands,
    [property: Description("匹配的商品总数 / Matching products in all")] int Total);

public sealed record CategoryFacetDto(
    [property: Description("分类 id / Category id")] long CategoryId,
    [property: Description("分类名称 / Category name")] string Name,
    [property: Description("匹配的商品数 / Matching products")] int ProductCount);

public sealed record CategoryDto(
    [property: Description("分类 id / Category id")] long Id,
    [property: Description("分类编码 / Category code")] string Code,
    [property: Description("分类名称 / Category name")] string Name,
    [property: Description("该门店可见的商品数 (含子分类) / Products the store can see, subcategories included")] int ProductCount,
    [property: Description("子分类 / Subcategories")] IReadOnlyList<CategoryDto> Children);

public sealed record BrandDto(
    [property: Description("品牌 / Brand")] string Brand,
    [property: Description("该门店可见的商品数 / Products of the brand the store can see")] int ProductCount);

public sealed record PromotedProductDto(
    [property: Description("商品 (该门店看到的) / The product as this store sees it")] CatalogItemDto Product,
    [property: Description("特价 (分)；非特价为 null / This product's special price in fen; null for other kinds")] long? SpecialPriceFen,
    [property: Description("特价文字 / The special price as text")] string? SpecialPriceText);

public sealed record StorePromotionDto(
    [property: Description("促销 id / Promotion id")] long Id,
    [property: Description("类型：special_price、buy_get、spend_save / Kind")] string Kind,
    [property: Description("类型文字：特价、买赠、满减 / The kind as text")] string KindLabel,
    [property: Description("促销名称 / Promotion name")] string Name,
    [property: Description("显示文字，如 特价 ¥3.50、买10赠1、满500减50 / The badge to show")] string Badge,
    [property: Description("开始时间 (上海时间) / Starts (Asia/Shanghai)")] string StartsAt,
    [property: Description("结束时间 (上海时间) / Ends (Asia/Shanghai)")] string EndsAt,
    [property: Description("整单满减 (不限商品) / A spend-and-save on the whole order")] bool StoreWide,
    [property: Description("覆盖的商品数 (该门店可见的) / Products it covers that this store may see")] int ProductCount,
    [property: Description("覆盖的前 20 个商品 / The first 20 products it covers")] IReadOnlyList<PromotedProductDto> Products);

public sealed record UnitDto(
    [property: Description("单位名称，如 瓶、箱；下单时作为 unit 传入 / Unit name, e.g. 瓶 or 箱; send it as unit when ordering")] string Name,
    [property: Description("一个该单位等于多少基本单位，如 箱 = 24 / Base units in one of this unit, e.g. 24 for a case")] int Factor,
    [property: Description("是否基本单位 (库存按它计) / Whether this is the base unit (stock counts in it)")] bool IsBase,
    [property: Description("该门店每个该单位的价格 / The store's price for one of this unit")] PriceDto Price,
    [property: Description("箱规，按该单位计 / Pack size in this unit")] int PackSize,
    [property: Description("起订量，按该单位计 / Minimum order quantity in this unit")] int MinOrderQty);

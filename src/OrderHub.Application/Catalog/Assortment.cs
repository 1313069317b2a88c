using OrderHub.Domain.Catalog;
namespace OrderHub.Application.Catalog;

/// <summary>
/// Who may see and buy what (千人千面), as one SQL predicate over a product aliased <c>p</c>,
/// with parameters <c>@customerId</c> and <c>@groupId</c>. Used by the catalog, the cart and ordering alike.
/// Rules: the product is active; a customer deny hides it; a customer allow shows it; otherwise a group deny hides it,
/// and a group that has allow rules sees only what they allow. A rule matches a product or a category subtree.
/// </summary>
public static class Assortment
{
    private const string Match = "(r.product_id = p.id OR (r.category_path IS NOT NULL AND p.category_path LIKE r.category_path || '%'))";

    public const string VisibleTo = $"""
        p.active = TRUE
        AND NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = @customerId AND r.effect = '{AssortmentEffect.Deny}' AND {Match})
        AND (
            EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_id = @customerId AND r.effect = '{AssortmentEffect.Allow}' AND {Match})
            OR (
                NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_group_id = @groupId AND r.effect = '{AssortmentEffect.Deny}' AND {Match})
                AND (
                    NOT EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_group_id = @groupId AND r.effect = '{AssortmentEffect.Allow}')
                    OR EXISTS (SELECT 1 FROM assortment_rules r WHERE r.customer_group_id = @groupId AND r.effect = '{AssortmentEffect.Allow}' AND {Match})
                )
            )
        )
        """;
}

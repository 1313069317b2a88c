using OrderHub.Settings;
using OrderHub.WeChat;

namespace OrderHub.Application.ChatCommerce;

/// <summary>
/// Section <c>WeCom:Chat</c>: selling in the agent's chat (issue #20) — the callback (接收事件服务器) token and key, the
/// welcome message and the mini-program cards. See appsettings.template.json and src/OrderHub.WeChat/CONFIGURE.md.
/// </summary>
public sealed class WeComChatSettings
{
    /// <summary>Token of 客户联系 → API → 接收事件服务器 (letters and digits, ≤ 32). Empty: the callback answers 503.</summary>
    public string CallbackToken { get; set; } = "";
    /// <summary>EncodingAESKey of the same page (43 characters). A secret: set WeCom__Chat__CallbackEncodingAesKey in the environment.</summary>
    public string CallbackEncodingAesKey { get; set; } = "";
    /// <summary>How far a callback's timestamp may be from the server's clock, and how long its nonce is remembered.</summary>
    public int ReplayWindowSeconds { get; set; } = 300;
    /// <summary>Text of the welcome message (欢迎语); {agentName} and {storeName} are replaced. Empty: no text, only the card.</summary>
    public string WelcomeText { get; set; } = "老板您好，我是{agentName}，以后订货点下面的卡片就行，有事随时找我！";
    /// <summary>Per agent group (agents.chat_group): another welcome text.</summary>
    public Dictionary<string, string> WelcomeByGroup { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Title of the welcome card that opens the store's catalog (≤ 64 bytes).</summary>
    public string WelcomeCardTitle { get; set; } = "点此订货";
    /// <summary>Cover picture of the cards (JPG or PNG file, uploaded as WeChat Work temporary media every 3 days). Empty: a plain cover made by OrderHub.</summary>
    public string CardCoverPath { get; set; } = "";
    /// <summary>Catalog page of the mini-program the cards open (no leading slash; WeChat Work wants ".html" after it, added by OrderHub).</summary>
    public string CatalogPage { get; set; } = "pages/products/index";
    /// <summary>Product, promotion and order pages of the mini-program (no leading slash).</summary>
    public string ProductPage { get; set; } = "pages/product/index";
    public string PromotionPage { get; set; } = "pages/products/index";
    public string OrderPage { get; set; } = "pages/order/detail";
    public string UsualOrderPage { get; set; } = "pages/products/index";
    /// <summary>The community post page cards and 群发 open (经销商社区, ?id=post).</summary>
    public string CommunityPostPage { get; set; } = "pages/community/detail";

    public bool CallbackConfigured => !string.IsNullOrWhiteSpace(CallbackToken) && !string.IsNullOrWhiteSpace(CallbackEncodingAesKey);

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(CallbackEncodingAesKey))
        {
            string? problem = null;
            try { WeComCallbackCrypto.DecodeKey(CallbackEncodingAesKey); }
            catch (WeComCallbackException ex) { problem = ex.Message; }
            if (problem is not null) yield return $"Chat:CallbackEncodingAesKey {problem} (copy it from 接收事件服务器 → EncodingAESKey)";
        }
        if (ReplayWindowSeconds is < 30 or > 3600) yield return "Chat:ReplayWindowSeconds must be 30–3600";
        if (System.Text.Encoding.UTF8.GetByteCount(WelcomeCardTitle ?? "") is 0 or > 64) yield return "Chat:WelcomeCardTitle must be 1–64 bytes";
        if (!string.IsNullOrWhiteSpace(CardCoverPath) && !File.Exists(CardCoverPath)) yield return $"Chat:CardCoverPath {CardCoverPath} does not exist";
    }

    public override string ToString() => $"WeComChatSettings {{ CallbackToken = ***, CallbackEncodingAesKey = *** }}";
}

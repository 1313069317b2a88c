using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>
/// Issue #22, against the stricter fake: several nodes sharing one mini-program (stable token, no forced refresh),
/// and the fake's own rules (stable_token semantics, getwxacodeunlimit scene, subscribe field types, WeCom secrets).
/// </summary>
public sealed class Issue22Tests : FakeServerTest
{
    [Test]
    public async Task Two_nodes_with_their_own_caches_do_not_retire_each_others_tokens()
    {
        var nodeA = new AccessTokenCache(TimeSpan.FromMinutes(5), Clock);
        var nodeB = new AccessTokenCache(TimeSpan.FromMinutes(5), Clock);

        await MiniProgram(nodeA).GetUnlimitedQrCodeAsync("o=1");
        Clock.Advance(TimeSpan.FromMinutes(1));
        await MiniProgram(nodeB).GetUnlimitedQrCodeAsync("o=2");
        Clock.Advance(TimeSpan.FromMinutes(6)); // past the 5-minute grace a classic /cgi-bin/token fetch gives the old token
        await MiniProgram(nodeA).GetUnlimitedQrCodeAsync("o=3");
        await MiniProgram(nodeB).GetUnlimitedQrCodeAsync("o=4");

        Assert.That(Server.Calls.Where(c => c.Errcode == 40001).Select(c => c.Path), Is.Empty, "no node got 40001");
        Assert.That(Server.CallsTo("/cgi-bin/token"), Is.Empty, "getAccessToken is not used: it retires the other nodes' tokens");
        Assert.That(Server.TokenRequests, Is.EqualTo(2), "one stable_token call per node");
        Assert.That(Server.ForcedRefreshes, Is.Zero);
    }

    [Test]
    public async Task A_40001_never_forces_a_refresh()
    {
        var client = MiniProgram();
        await client.GetUnlimitedQrCodeAsync("o=1");

        Server.InvalidateTokens(); // as if another party force-refreshed
        var image = await client.GetUnlimitedQrCodeAsync("o=2");

        Assert.That(image, Is.Not.Null);
        var stableCalls = Server.CallsTo("/cgi-bin/stable_token");
        Assert.That(stableCalls, Has.Count.EqualTo(2));
        Assert.That(stableCalls.Select(c => JsonDocument.Parse(c.Body!).RootElement.TryGetProperty("force_refresh", out var f) && f.GetBoolean()),
            Is.All.False);
        Assert.That(Server.ForcedRefreshes, Is.Zero);
    }

    // ------------------------------------------------------------- the fake itself

    private async Task<JsonElement> StableToken(bool force)
    {
        var res = await Http.PostAsJsonAsync(Server.BaseUrl + "/cgi-bin/stable_token",
            new { grant_type = "client_credential", appid = Server.Options.AppId, secret = Server.Options.AppSecret, force_refresh = force });
        return JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
    }

    [Test]
    public async Task Fake_stable_token_normal_mode_keeps_the_token_and_forced_refresh_is_limited()
    {
        var first = (await StableToken(false)).GetProperty("access_token").GetString();
        Clock.Advance(TimeSpan.FromMinutes(10));
        var again = await StableToken(false);
        Assert.That(again.GetProperty("access_token").GetString(), Is.EqualTo(first));
        Assert.That(again.GetProperty("expires_in").GetInt32(), Is.EqualTo(7200 - 600));

        Clock.Advance(TimeSpan.FromSeconds(7200 - 600 - 299)); // the last 5 minutes: a new one, the old still valid
        var renewed = (await StableToken(false)).GetProperty("access_token").GetString();
        Assert.That(renewed, Is.Not.EqualTo(first));

        string? last = renewed;
        for (var i = 0; i < 20; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(31));
            var forced = (await StableToken(true)).GetProperty("access_token").GetString();
            Assert.That(forced, Is.Not.EqualTo(last));
            last = forced;
        }
        Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.That((await StableToken(true)).GetProperty("errcode").GetInt32(), Is.EqualTo(45009), "20 forced refreshes a day");
    }

    [Test]
    public async Task Fake_classic_token_retires_the_previous_one_after_5_minutes()
    {
        async Task<string> Classic() => JsonDocument.Parse(await Http.GetStringAsync(
            $"{Server.BaseUrl}/cgi-bin/token?grant_type=client_credential&appid={Server.Options.AppId}&secret={Server.Options.AppSecret}"))
            .RootElement.GetProperty("access_token").GetString()!;
        async Task<int> Use(string token) => (await Http.PostAsJsonAsync($"{Server.BaseUrl}/wxa/getwxacodeunlimit?access_token={token}", new { scene = "a=1" }))
            .Content.Headers.ContentType!.MediaType == "application/json" ? 1 : 0;

        var old = await Classic();
        await Classic();
        Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.That(await Use(old), Is.Zero, "still valid in the grace period");
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That(await Use(old), Is.EqualTo(1));
        Assert.That(Server.Calls.Last().Errcode, Is.EqualTo(40001));
    }

    [TestCase("time2", "2025-07-01", false)]
    [TestCase("time2", "2025-07-01 00:00", true)]
    [TestCase("time2", "15:01", true)]
    [TestCase("time2", "2019年10月1日 15:01~2019年10月2日 15:01", true)]
    [TestCase("time2", "-", false)]
    [TestCase("number3", "12.5", true)]
    [TestCase("number3", "1,200", false)]
    [TestCase("number3", "-", false)]
    [TestCase("amount4", "12.50", false)]
    [TestCase("amount4", "¥12.50", true)]
    [TestCase("amount4", "￥12.50元", true)]
    [TestCase("amount4", "-", false)]
    [TestCase("amount4", "¥-3.00", false)]
    [TestCase("phrase5", "已发货", true)]
    [TestCase("phrase5", "等待财务审核", false)]
    [TestCase("phrase5", "-", false)]
    [TestCase("phrase5", "OK", false)]
    [TestCase("thing6", "一二三四五六七八九十一二三四五六七八九十", true)]
    [TestCase("thing6", "一二三四五六七八九十一二三四五六七八九十一", false)]
    [TestCase("character_string7", "SO-2025_06/01", true)]
    [TestCase("character_string7", "单号1", false)]
    [TestCase("letter8", "abcXYZ", true)]
    [TestCase("letter8", "abc1", false)]
    [TestCase("car_number9", "粤A8Z888挂", true)]
    [TestCase("car_number9", "粤A8Z8888挂", false)]
    [TestCase("name10", "王小明", true)]
    [TestCase("name10", "Wang Xiaoming", true)]
    [TestCase("name10", "王小明王小明王小明王小", false)]
    [TestCase("phone_number11", "+86-0766-66888866", true)]
    [TestCase("phone_number11", "0766-6688886612345", false)]
    [TestCase("date12", "2019年10月1日", true)]
    [TestCase("date12", "2019-10-01 15:01", true)]
    [TestCase("date12", "昨天", false)]
    public async Task Fake_checks_each_subscribe_field_by_its_type(string key, string value, bool accepted)
    {
        Server.AcceptTemplate("o-buyer-001", "TPL_ANY");
        await MiniProgram().GetUnlimitedQrCodeAsync("o=1"); // a token
        var token = Server.CallsTo("/wxa/getwxacodeunlimit").Single().Query["access_token"];

        // straight to the fake: the client refuses such values itself now (see the next tests)
        var res = await Http.PostAsJsonAsync($"{Server.BaseUrl}/cgi-bin/message/subscribe/send?access_token={token}",
            new { touser = "o-buyer-001", template_id = "TPL_ANY", data = new Dictionary<string, object> { [key] = new { value } } });
        var answer = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;

        if (accepted)
        {
            Assert.That(answer.GetProperty("errcode").GetInt32(), Is.Zero, answer.ToString());
            Assert.That(Server.SentMessages.Single().Data[key], Is.EqualTo(value));
        }
        else
        {
            Assert.That(answer.GetProperty("errcode").GetInt32(), Is.EqualTo(47003));
            Assert.That(answer.GetProperty("errmsg").GetString(), Does.Contain($"data.{key}.value"), "WeChat names the field");
        }
    }

    [TestCase("time2", "2025-07-01")]
    [TestCase("amount3", "12.50")]
    [TestCase("phrase4", "-")]
    [TestCase("number5", "-")]
    public void The_client_refuses_a_value_WeChat_would_refuse_naming_the_field(string key, string value)
    {
        Server.AcceptTemplate("o-buyer-001", "TPL_ANY");

        var ex = Assert.ThrowsAsync<SubscribeFieldException>(() =>
            MiniProgram().SendSubscribeMessageAsync("o-buyer-001", "TPL_ANY", null, new Dictionary<string, string> { [key] = value }));

        Assert.That(ex!.Field, Is.EqualTo(key));
        Assert.That(ex.Message, Does.Contain(key));
        Assert.That(Server.CallsTo("/cgi-bin/message/subscribe/send"), Is.Empty);
    }

    [TestCase("thing1", "一二三四五六七八九十一二三四五六七八九十一", "一二三四五六七八九十一二三四五六七八九…")]
    [TestCase("thing1", "", "-")]
    [TestCase("character_string2", "SO 2025 001", "SO2025001")]
    [TestCase("amount3", "12.50", "¥12.50")]
    [TestCase("amount3", "￥1,234.00元", "¥1234.00")]
    [TestCase("number4", "1,200", "1200")]
    [TestCase("time5", "2025-06-30 23:59", "2025-06-30 23:59")]
    [TestCase("time5", "15:01~16:00", "15:01~16:00")]
    [TestCase("date6", "2025-06-30", "2025-06-30")]
    [TestCase("phrase7", "已发货", "已发货")]
    [TestCase("name8", "欧阳王小明欧阳王小明欧阳", "欧阳王小明欧阳王小明")]
    public void Format_makes_values_valid_for_their_type(string key, string value, string expected)
    {
        var formatted = SubscribeMessageFields.Format(key, value);

        Assert.That(formatted, Is.EqualTo(expected));
        Assert.That(Fakes.FakeSubscribeFieldRules.Check(key, formatted), Is.Null, "the fake (WeChat's rules) accepts it");
    }

    [TestCase("time2", "2025-06-30")]
    [TestCase("time2", "")]
    [TestCase("amount3", "-12.00")]
    [TestCase("amount3", "¥12345678901")]
    [TestCase("phrase4", "等待财务审核")]
    [TestCase("phrase4", "")]
    [TestCase("number5", "")]
    [TestCase("character_string6", "单号")]
    public void Format_refuses_what_cannot_be_made_valid(string key, string value)
    {
        var ex = Assert.Throws<SubscribeFieldException>(() => SubscribeMessageFields.Format(key, value));
        Assert.That(ex!.Field, Is.EqualTo(key));
        Assert.That(ex.Message, Does.Contain(" / "), "Chinese and English");
    }

    [TestCase("经销商=1", 40129)]
    [TestCase("a%20b", 40129)]
    [TestCase("this-scene-is-longer-than-32-chars", 40169)]
    public async Task Fake_refuses_a_scene_WeChat_refuses(string scene, int errcode)
    {
        await MiniProgram().GetUnlimitedQrCodeAsync("o=1"); // a token
        var token = Server.CallsTo("/wxa/getwxacodeunlimit").Single().Query["access_token"];
        var res = await Http.PostAsJsonAsync($"{Server.BaseUrl}/wxa/getwxacodeunlimit?access_token={token}", new { scene });
        Assert.That(JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.GetProperty("errcode").GetInt32(), Is.EqualTo(errcode));
    }

    [Test]
    public async Task Fake_WeCom_refuses_a_system_app_secret_an_app_outside_callable_apps_and_an_untrusted_IP()
    {
        Server.AddCustomer("sales.li", "wmA", "张三");
        var system = WeCom(options: Server.CreateWeComOptions() with { Secret = Server.Options.SystemAppSecret });
        Assert.That(Assert.ThrowsAsync<WeChatApiException>(() => system.ListExternalContactsAsync("sales.li"))!.Errcode, Is.EqualTo(48002));

        Server.AppInCallableApps = false;
        Assert.That(Assert.ThrowsAsync<WeChatApiException>(() => WeCom().ListExternalContactsAsync("sales.li"))!.Errcode, Is.EqualTo(48002));
        Server.AppInCallableApps = true;
        Server.TrustedIpConfigured = false;
        Assert.That(Assert.ThrowsAsync<WeChatApiException>(() => WeCom().ListExternalContactsAsync("sales.li"))!.Errcode, Is.EqualTo(60020));
        Server.TrustedIpConfigured = true;
        Assert.That(await WeCom().ListExternalContactsAsync("sales.li"), Is.EqualTo(new[] { "wmA" }));
    }

    [Test]
    public async Task Fake_resigned_transfer_is_refused_while_the_member_is_employed()
    {
        Server.AddCustomer("sales.li", "wmA", "张三");
        var client = WeCom();

        var outcome = (await client.TransferResignedCustomersAsync("sales.li", "sales.wang", ["wmA"])).Single();
        Assert.That(outcome.Errcode, Is.EqualTo(40097), "该成员尚未离职");

        Server.MemberLeaves("sales.li");
        Assert.That((await client.TransferResignedCustomersAsync("sales.li", "sales.wang", ["wmA"])).Single().Errcode, Is.Zero);
    }
}

using System.Text.Json;
using OrderHub.WeChat.Tests.Support;

namespace OrderHub.WeChat.Tests;

/// <summary>Distributor invitation codes (POST /wxa/getwxacodeunlimit).</summary>
public sealed class QrCodeTests : FakeServerTest
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Test]
    public async Task Returns_the_image_with_the_content_type_WeChat_answered_PNG_here()
    {
        Server.AddPage("pages/invite/index");

        var image = await MiniProgram().GetUnlimitedQrCodeAsync("dist=1024&by=7", "pages/invite/index", 600);

        Assert.That(image.ContentType, Is.EqualTo("image/png"));
        Assert.That(image.Content.Take(8), Is.EqualTo(PngSignature));
        Assert.That(image.Content.Length, Is.GreaterThan(100));
        var request = Server.QrCodeRequests.Single();
        Assert.That(request, Is.EqualTo(new Fakes.QrCodeRequest("dist=1024&by=7", "pages/invite/index", 600, true, "release")));
    }

    [Test]
    public async Task The_body_is_JSON_with_the_published_field_names()
    {
        await MiniProgram().GetUnlimitedQrCodeAsync("d=1", "pages/index/index", 280, checkPath: false, envVersion: "trial");

        using var body = JsonDocument.Parse(Server.CallsTo("/wxa/getwxacodeunlimit").Single().Body!);
        var root = body.RootElement;
        Assert.That(root.GetProperty("scene").GetString(), Is.EqualTo("d=1"));
        Assert.That(root.GetProperty("page").GetString(), Is.EqualTo("pages/index/index"));
        Assert.That(root.GetProperty("width").GetInt32(), Is.EqualTo(280));
        Assert.That(root.GetProperty("check_path").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("env_version").GetString(), Is.EqualTo("trial"));
    }

    [Test]
    public void An_unreleased_page_comes_back_as_a_JSON_error_not_as_image_bytes()
    {
        var ex = Assert.ThrowsAsync<WeChatApiException>(() => MiniProgram().GetUnlimitedQrCodeAsync("d=1", "pages/not/released"));

        Assert.That(ex!.Errcode, Is.EqualTo(41030));
        Assert.That(ex.Kind, Is.EqualTo(WeChatErrorKind.InvalidArgument));
    }

    [Test]
    public async Task An_unreleased_page_is_fine_with_checkPath_false()
    {
        var image = await MiniProgram().GetUnlimitedQrCodeAsync("d=1", "pages/not/released", checkPath: false);

        Assert.That(image.Content.Take(8), Is.EqualTo(PngSignature));
    }

    [Test]
    public async Task A_JPEG_answer_is_returned_as_JPEG_not_assumed_PNG()
    {
        Server.QrCodeContentType = "image/jpeg";

        var image = await MiniProgram().GetUnlimitedQrCodeAsync("d=1");

        Assert.That(image.ContentType, Is.EqualTo("image/jpeg"));
        Assert.That(image.Content.Take(3), Is.EqualTo(new byte[] { 0xFF, 0xD8, 0xFF }));
    }

    [TestCase("")]
    [TestCase("this-scene-is-longer-than-32-chars")]
    [TestCase("经销商=1")]
    [TestCase("a%20b")]
    public void A_scene_WeChat_would_refuse_is_rejected_before_calling(string scene)
    {
        Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => MiniProgram().GetUnlimitedQrCodeAsync(scene));
        Assert.That(Server.Calls, Is.Empty);
    }

    [TestCase(279)]
    [TestCase(1281)]
    public void A_width_outside_280_to_1280_is_rejected(int width)
    {
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => MiniProgram().GetUnlimitedQrCodeAsync("d=1", width: width));
    }
}

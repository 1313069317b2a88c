using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrderHub.Console.Tests;

/// <summary>
/// One real host and one headless Debian chromium per fixture; a fresh browser context (no shared session) per test.
/// Without /usr/bin/chromium the tests are skipped with a message — except in CI (CI=true), where that is a failure.
/// </summary>
public abstract class ConsoleTestBase
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--lang=zh-CN"];

    protected ConsoleHost Host = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;
    protected IPage Page = null!;
    private readonly List<string> _pageErrors = [];

    [OneTimeSetUp]
    public async Task StartHostAndBrowser()
    {
        if (!File.Exists(ChromiumPath))
        {
            const string message = $"Chromium is not installed at {ChromiumPath}: the console's browser tests need Debian's chromium package (apt-get install -y chromium; .ci/run installs it).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
            Assert.Ignore(message);
        }
        Host = CreateHost();
        Host.Start();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        SetDefaultExpectTimeout(15_000);
    }

    /// <summary>The fixture's host; a fixture that needs more settings (the fake WeChat server) makes its own.</summary>
    protected virtual ConsoleHost CreateHost() => new();

    [OneTimeTearDown]
    public async Task StopHostAndBrowser()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        Host?.Dispose();
    }

    [SetUp]
    public async Task NewPage()
    {
        _pageErrors.Clear();
        _context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseUrl, Locale = "zh-CN", TimezoneId = "Asia/Shanghai", AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        _context.SetDefaultTimeout(20_000);
        Page = await _context.NewPageAsync();
        Page.PageError += (_, e) => _pageErrors.Add(e);
    }

    [TearDown]
    public async Task ClosePage()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed && Page is not null)
            await Screenshot("failure");
        if (_context is not null) await _context.CloseAsync();
        Assert.That(_pageErrors, Is.Empty, "JavaScript errors in the console page");
    }

    /// <summary>Saves a full-page PNG to the test's output folder and attaches it to the test result.</summary>
    protected async Task<string> Screenshot(string name)
    {
        var dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{TestContext.CurrentContext.Test.MethodName}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
        return path;
    }

    /// <summary>Signs in through the login page, as a person would.</summary>
    protected async Task SignIn(string login, string password = ConsoleHost.DemoPassword)
    {
        await Page.GotoAsync("/console/");
        await Expect(Page.Locator("#login")).ToBeVisibleAsync();
        await Page.FillAsync("#login", login);
        await Page.FillAsync("#password", password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(Page.Locator("header.top .me")).ToBeVisibleAsync();
    }

    protected async Task SignOut()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "退出" }).ClickAsync();
        await Expect(Page.Locator("#login")).ToBeVisibleAsync();
    }

    /// <summary>Opens a queue and the order in it by clicking, and waits for its detail.</summary>
    protected async Task OpenOrderInQueue(string queueLabel, string orderNo)
    {
        await Page.Locator(".queues .tab", new() { HasText = queueLabel }).ClickAsync();
        await Expect(Page.Locator(".queues .tab.active")).ToContainTextAsync(queueLabel);
        var row = Page.Locator($"tr[data-order-no='{orderNo}']");
        await row.ClickAsync();
        await Expect(Page.Locator("#detail-order-no")).ToHaveTextAsync(orderNo);
    }
}

using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Architecture;

/// <summary>
/// One store-access resolver (issue #13, README "Architecture"): which store a caller may act for is decided only by
/// <c>Auth/StoreAccess.cs</c>. Every store-scoped endpoint — outside <c>/api/admin</c>, naming a <c>customerId</c> (route or
/// query) or declaring <c>.ProducesStoreNotFound()</c> — resolves the store through <c>StoreAccess</c> (directly, through
/// <c>StoreTarget</c>, or through a helper in the same file that does), and no other Api file reads the caller's store from
/// its token or looks a store up for an access decision.
/// </summary>
public sealed class StoreAccessConventionTests
{
    private static readonly string Root = FindRoot();
    private static readonly string ApiDir = Path.Combine(Root, "miniprogram-api", "OrderHub.Api");

    /// <summary>Files that read the store claim for something other than deciding access, with why.</summary>
    private static readonly Dictionary<string, string> ClaimReaders = new()
    {
        ["StoreAccess.cs"] = "the resolver itself",
        ["Caller.cs"] = "the actor and order scope written into the order's history, after access is decided",
        ["ActiveUserCheck.cs"] = "signs out a user whose token names a store it no longer belongs to (session check, not store access)",
    };

    /// <summary>
    /// Store-scoped handlers whose rule is not "the caller's store", with why. Binding codes: an agent may make one for a
    /// store that has no agent yet (binding makes the store its), and a code's pictures belong to the agent that made it;
    /// <c>BindingCodes</c> decides both in SQL (WeChatBindingTests prove it), so StoreAccess would refuse a legal request.
    /// </summary>
    private static readonly Dictionary<string, string> OwnRule = new()
    {
        ["BindingCodesApi.Create"] = "a store of this agent or a store without an agent",
        ["BindingCodesApi.PlainQr"] = "a code this agent made for this store",
        ["BindingCodesApi.MiniProgramCode"] = "a code this agent made for this store",
    };

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderHub.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new FileNotFoundException("OrderHub.sln not found above the test directory");
    }

    private static IEnumerable<string> ApiFiles() =>
        Directory.EnumerateFiles(ApiDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static readonly Regex Resolves = new(@"\bStoreAccess\.(ResolveAsync|RequireAsync)\(|\bStoreTarget\.ResolveAsync\(", RegexOptions.Compiled);
    private static readonly Regex MethodStart = new(@"^\s*(?:public|private|internal)\s+static\s+[^\n=]*?[\s>](\w+)\s*\(", RegexOptions.Compiled | RegexOptions.Multiline);

    /// <summary>Each static method of a file with its text up to the next one.</summary>
    private static Dictionary<string, string> Methods(string text)
    {
        var starts = MethodStart.Matches(text).ToList();
        var methods = new Dictionary<string, string>();
        for (var i = 0; i < starts.Count; i++)
        {
            var end = i + 1 < starts.Count ? starts[i + 1].Index : text.Length;
            var name = starts[i].Groups[1].Value;
            methods[name] = methods.GetValueOrDefault(name, "") + text[starts[i].Index..end];
        }
        return methods;
    }

    [Test]
    public void Only_StoreAccess_reads_the_callers_store_or_looks_a_store_up_for_access()
    {
        var pattern = new Regex(@"\.CustomerIdOf\(\)|\b[cC]ustomers\.For(Customer|Agent)Async\(");
        var offenders = ApiFiles().Where(f => !ClaimReaders.ContainsKey(Path.GetFileName(f)))
            .SelectMany(f => File.ReadAllLines(f).Select((l, i) => (f, i, l)))
            .Where(x => pattern.IsMatch(x.l))
            .Select(x => $"{Path.GetRelativePath(Root, x.f)}:{x.i + 1}: {x.l.Trim()}").ToList();
        Assert.That(offenders, Is.Empty, "resolve the store with StoreAccess.ResolveAsync (or RequireAsync), the one store-access resolver");
    }

    [Test]
    public async Task Every_store_scoped_endpoint_resolves_the_store_through_StoreAccess()
    {
        await using var host = new ApiHost();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var storeScoped = endpoints.Where(e =>
        {
            var route = e.RoutePattern.RawText ?? "";
            var handler = e.Metadata.GetMetadata<MethodInfo>();
            var declaresStore = e.Metadata.OfType<OrderHub.Api.Infrastructure.DeclaredProblem>()
                .Any(p => p.Description == Microsoft.AspNetCore.Builder.DeclaredProblemExtensions.StoreNotFound);
            var namesStore = route.Contains("{customerId", StringComparison.Ordinal)
                             || handler?.GetParameters().Any(p => p.Name == "customerId") == true;
            return declaresStore || (namesStore && !route.StartsWith("/api/admin", StringComparison.Ordinal));
        }).ToList();
        Assert.That(storeScoped, Has.Count.GreaterThan(30), "the store-scoped endpoints are found (catalog, cart, orders, agent pages…)");

        var sources = ApiFiles().ToDictionary(f => f, f => Methods(File.ReadAllText(f)));
        var offenders = new List<string>();
        foreach (var e in storeScoped)
        {
            var handler = e.Metadata.GetMetadata<MethodInfo>();
            var where = $"{string.Join(",", e.Metadata.OfType<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().SelectMany(m => m.HttpMethods))} {e.RoutePattern.RawText}";
            if (handler is null || handler.DeclaringType is null || handler.Name.Contains('<'))
            {
                offenders.Add($"{where}: an inline lambda; give the store-scoped handler a name so the check can read it");
                continue;
            }
            if (OwnRule.ContainsKey($"{handler.DeclaringType.Name}.{handler.Name}")) continue;
            var file = sources.Where(s => File.ReadAllText(s.Key).Contains($"class {handler.DeclaringType.Name}", StringComparison.Ordinal)).ToList();
            if (file.Count == 0 || !file.Any(f => f.Value.ContainsKey(handler.Name)))
            {
                offenders.Add($"{where}: handler {handler.DeclaringType.Name}.{handler.Name} not found in the Api sources");
                continue;
            }
            var methods = file.First(f => f.Value.ContainsKey(handler.Name)).Value;
            // The handler resolves itself, or calls a helper of its own file that does (one step: OwnCustomerAsync, BookOwnerAsync…).
            var helpers = methods.Where(m => Resolves.IsMatch(m.Value)).Select(m => m.Key).ToHashSet();
            var body = methods[handler.Name];
            if (!Resolves.IsMatch(body) && !helpers.Any(h => h != handler.Name && Regex.IsMatch(body, $@"\b{h}\(")))
                offenders.Add($"{where}: {handler.DeclaringType.Name}.{handler.Name} does not resolve the store through StoreAccess");
        }
        Assert.That(offenders, Is.Empty, "store-scoped endpoints resolve the store through StoreAccess (README, Architecture)");
    }
}

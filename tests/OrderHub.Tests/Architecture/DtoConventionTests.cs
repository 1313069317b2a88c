using System.Text.RegularExpressions;
using AutoMapper;
using AutoMapper.Internal;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Tests.Api;

namespace OrderHub.Tests.Architecture;

/// <summary>
/// One way DTOs are made at the API boundary (issue #13, README "Architecture"): an AutoMapper profile per area
/// (<c>XxxMappingProfile.cs</c>) maps the application's view records to DTOs, formatting money and time there. An Api file
/// outside a profile neither declares a DTO factory (<c>static XxxDto Of(..)</c>, <c>From(..)</c>, a private helper
/// returning a DTO) nor constructs a DTO with <c>new XxxDto(..)</c> — except the envelopes and echoes listed in
/// <see cref="Envelopes"/>, which hold only request values, counts and DTOs the mapper already made.
/// </summary>
public sealed class DtoConventionTests
{
    /// <summary>
    /// DTOs a handler may build itself, with why. The line: a DTO may be built in a handler when no application record is
    /// its source — it wraps DTOs the mapper made (a page and its cursor), echoes the request (ids, codes), or carries a count.
    /// A DTO whose fields come from an application record belongs in the area's profile.
    /// </summary>
    private static readonly Dictionary<string, string> Envelopes = new()
    {
        ["PageDto"] = "mapped items + the keyset cursor (CatalogAdminApi)",
        ["OrderPageDto"] = "mapped orders + the keyset cursor",
        ["VisitPageDto"] = "mapped visits + the keyset cursor",
        ["PaymentListDto"] = "wraps the list the service returns (already the contract type)",
        ["RefundToPostListDto"] = "wraps the list the service returns (already the contract type), as PaymentListDto",
        ["ProductImageDto"] = "the request's product id and SKU + the mapped image",
        ["ReassignedDto"] = "echoes the request: customer, previous agent, new agent",
        ["UnreadCountDto"] = "a count",
        ["MarkedReadDto"] = "two counts",
        ["DeliveryNotesDto"] = "the printing time + the mapped notes",
        ["ReturnableDto"] = "the request's order number + the mapped lines",
        ["ReturnListDto"] = "wraps the mapped returns",
        ["JsSdkConfigDto"] = "the corp and agent ids from settings + signatures computed for the request's URL (no application record)",
    };

    private static readonly string Root = FindRoot();
    private static readonly string ApiDir = Path.Combine(Root, "miniprogram-api", "OrderHub.Api");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderHub.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new FileNotFoundException("OrderHub.sln not found above the test directory");
    }

    private static IEnumerable<(string File, string[] Lines)> ApiSourcesOutsideProfiles() =>
        Directory.EnumerateFiles(ApiDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.EndsWith("MappingProfile.cs", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(Root, f), File.ReadAllLines(f)));

    private static List<string> Offenders(Regex pattern, Func<Match, bool> counts) =>
        ApiSourcesOutsideProfiles()
            .SelectMany(s => s.Lines.Select((line, i) => (s.File, No: i + 1, Line: line)))
            .SelectMany(l => pattern.Matches(l.Line).Where(counts).Select(m => $"{l.File}:{l.No}: {m.Value.Trim()}"))
            .ToList();

    // A method whose return type is a DTO: "static XxxDto Of(", "private static XxxDto Promo(", "static XxxDto? From(".
    private static readonly Regex StaticDtoFactory = new(@"\bstatic\s+(?:[\w.]+\.)?(\w+Dto)\??\s+\w+\s*\(", RegexOptions.Compiled);
    // A DTO constructed inline: "new XxxDto(" or "new XxxDto<T>(" (a target-typed "new(" inside a factory is caught above).
    private static readonly Regex NewDto = new(@"\bnew\s+(?:[\w.]+\.)?(\w+Dto)(?:<[^>(]*>)?\s*\(", RegexOptions.Compiled);

    [Test]
    public void No_Api_file_defines_a_static_DTO_factory()
    {
        var offenders = Offenders(StaticDtoFactory, _ => true);
        Assert.That(offenders, Is.Empty,
            "DTOs are made by the area's AutoMapper profile (XxxMappingProfile), not by a static factory; map with IMapper in the handler");
    }

    [Test]
    public void No_Api_handler_constructs_a_DTO_from_an_application_record()
    {
        var offenders = Offenders(NewDto, m => !Envelopes.ContainsKey(m.Groups[1].Value));
        Assert.That(offenders, Is.Empty,
            "map application records to DTOs in the area's XxxMappingProfile; only the envelopes and echoes listed in DtoConventionTests.Envelopes are built in handlers");
    }

    [Test]
    public void The_scan_finds_what_it_looks_for()
    {
        // The patterns themselves, so that a typo in them cannot make the two tests above pass vacuously.
        Assert.That(StaticDtoFactory.IsMatch("    public static AmountDto Of(long fen) => new(fen, Money.Format(fen));"));
        Assert.That(StaticDtoFactory.IsMatch("    private static PromotionDto Promo(PromotionRow p, long now)"));
        Assert.That(StaticDtoFactory.IsMatch("    private static Task<Ok<PromotionDto>> Get(long id)"), Is.False);
        Assert.That(NewDto.Match("Select(x => new TopCustomerDto(x.CustomerId, x.Code))").Groups[1].Value, Is.EqualTo("TopCustomerDto"));
        Assert.That(NewDto.Match("TypedResults.Ok(new PageDto<ProductDto>(items, next))").Groups[1].Value, Is.EqualTo("PageDto"));
        Assert.That(Envelopes.Keys, Has.All.Matches<string>(k => ApiSourcesOutsideProfiles().Any(s => s.Lines.Any(l => l.Contains($"new {k}")))),
            "an allow-listed envelope no handler builds any more: remove it from the list");
    }

    [Test]
    public async Task Every_mapping_profile_is_registered_and_its_configuration_is_valid()
    {
        await using var host = new ApiHost();
        var mapper = host.Services.GetRequiredService<IMapper>();
        // Every ctor parameter and member of every mapped DTO is mapped (a renamed field fails here, not in production).
        mapper.ConfigurationProvider.AssertConfigurationIsValid();
        var profiles = typeof(Program).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Profile)) && !t.IsAbstract).ToList();
        Assert.That(profiles.Select(p => p.Name), Has.All.EndsWith("MappingProfile"), "one XxxMappingProfile per area");
        var registered = mapper.ConfigurationProvider.Internal().Profiles.Select(p => p.Name).ToHashSet();
        Assert.That(profiles.Select(p => p.FullName), Is.SubsetOf(registered), "profiles are registered by the assembly scan in Program.cs");
    }
}

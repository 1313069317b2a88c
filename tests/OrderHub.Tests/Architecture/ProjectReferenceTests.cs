using System.Xml.Linq;

namespace OrderHub.Tests.Architecture;

/// <summary>
/// What may reference what, read from the project files themselves (README → Architecture). A new project, or a new
/// reference between production projects, fails here until this table and the README say why.
/// </summary>
public class ProjectReferenceTests
{
    /// <summary>Every production project and exactly the projects it references directly.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["OrderHub.Domain"] = [],
        ["OrderHub.Settings"] = [],
        ["OrderHub.Erp"] = [],
        ["OrderHub.WeChat"] = [],
        ["OrderHub.DemoData"] = ["OrderHub.Domain"],
        ["OrderHub.Erp.Tryton"] = ["OrderHub.Erp", "OrderHub.Settings"],
        ["OrderHub.Erp.Kingdee"] = ["OrderHub.Erp", "OrderHub.Settings"],
        ["OrderHub.Erp.SqlDatabase"] = ["OrderHub.Erp", "OrderHub.Settings"],
        ["OrderHub.Erp.Demo"] = ["OrderHub.Erp", "OrderHub.DemoData"],
        ["OrderHub.Application"] = ["OrderHub.Domain", "OrderHub.Settings", "OrderHub.Erp", "OrderHub.WeChat"],
        ["OrderHub.Demo"] = ["OrderHub.Application", "OrderHub.DemoData", "OrderHub.Erp.Demo"],
        ["OrderHub.Jobs"] = ["OrderHub.Application"],
        ["OrderHub.Hosting"] = ["OrderHub.Application", "OrderHub.Demo", "OrderHub.Jobs", "OrderHub.Erp.Tryton", "OrderHub.Erp.Kingdee", "OrderHub.Erp.SqlDatabase"],
        ["OrderHub.Api"] = ["OrderHub.Application", "OrderHub.Erp", "OrderHub.WeChat", "OrderHub.Hosting"],
        ["OrderHub.Worker"] = ["OrderHub.Hosting"],
    };

    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderHub.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new FileNotFoundException("OrderHub.sln not found above the test directory");
    }

    private static Dictionary<string, string[]> ProductionProjects() =>
        new[] { "src", "erp-adapters", "jobs", "miniprogram-api" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.csproj", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}"))
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), References);

    private static string[] References(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .Order().ToArray();

    [Test]
    public void Every_production_project_is_in_the_table()
    {
        Assert.That(ProductionProjects().Keys, Is.EquivalentTo(Allowed.Keys),
            "a production project was added or removed: add it to the table with the references it may have, and to the README's architecture section");
    }

    [Test]
    public void Each_production_project_references_exactly_what_the_architecture_allows()
    {
        foreach (var (project, references) in ProductionProjects())
            Assert.That(references, Is.EquivalentTo(Allowed[project]), $"{project} references");
    }

    [Test]
    public void Only_the_composition_root_links_the_ERP_adapters_and_the_application_knows_none_of_them()
    {
        var adapters = new[] { "OrderHub.Erp.Tryton", "OrderHub.Erp.Kingdee", "OrderHub.Erp.SqlDatabase", "OrderHub.Erp.Demo" };
        var production = ProductionProjects();
        foreach (var (project, references) in production)
        {
            if (project is "OrderHub.Hosting" or "OrderHub.Demo") continue;
            Assert.That(references.Intersect(adapters), Is.Empty, $"{project} links an ERP adapter; only OrderHub.Hosting (and OrderHub.Demo for the demo ERP) may");
        }
        // Transitively, too: the application and the scheduler reach no adapter, no host and no demo code.
        foreach (var project in new[] { "OrderHub.Application", "OrderHub.Jobs", "OrderHub.Erp.Tryton", "OrderHub.Erp.Kingdee", "OrderHub.Erp.SqlDatabase" })
            Assert.That(Closure(project, production).Intersect(adapters.Append("OrderHub.Demo").Append("OrderHub.Hosting").Append("OrderHub.Api").Where(a => a != project)),
                Is.Empty, $"{project} reaches");
    }

    private static HashSet<string> Closure(string project, Dictionary<string, string[]> graph)
    {
        var seen = new HashSet<string>();
        var todo = new Stack<string>(graph[project]);
        while (todo.TryPop(out var p))
            if (seen.Add(p) && graph.TryGetValue(p, out var next)) foreach (var n in next) todo.Push(n);
        return seen;
    }
}

using System.Text.Json;

namespace OrderHub.Tests.Api;

/// <summary>appsettings.template.json documents every setting the host reads, and documents each one.</summary>
public class SettingsTemplateTests
{
    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderHub.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new FileNotFoundException("OrderHub.sln not found above the test directory"), relative);
    }

    /// <summary>Leaf keys as Section:Key, leaving out _doc and the standard Logging section.</summary>
    private static IEnumerable<string> Keys(JsonElement e, string prefix = "")
    {
        foreach (var p in e.EnumerateObject().Where(p => p.Name is not ("_doc" or "Logging")))
        {
            var key = prefix.Length == 0 ? p.Name : $"{prefix}:{p.Name}";
            if (p.Value.ValueKind == JsonValueKind.Object) { foreach (var k in Keys(p.Value, key)) yield return k; }
            else yield return key;
        }
    }

    [Test]
    public void Every_setting_of_the_host_is_in_the_template_and_documented()
    {
        var template = JsonDocument.Parse(File.ReadAllText(RepoFile("appsettings.template.json"))).RootElement;
        var host = JsonDocument.Parse(File.ReadAllText(RepoFile("miniprogram-api/OrderHub.Api/appsettings.json"))).RootElement;
        var templateKeys = Keys(template).ToHashSet();
        Assert.That(Keys(host).Where(k => !templateKeys.Contains(k)), Is.Empty, "settings missing from appsettings.template.json");

        foreach (var section in template.EnumerateObject().Where(s => s.Value.ValueKind == JsonValueKind.Object && s.Name != "Logging"))
        {
            Assert.That(section.Value.TryGetProperty("_doc", out var doc), Is.True, $"section {section.Name} has no _doc");
            foreach (var key in section.Value.EnumerateObject().Where(k => k.Name != "_doc"))
                Assert.That(doc.TryGetProperty(key.Name, out _), Is.True, $"{section.Name}:{key.Name} is not documented");
        }
    }
}

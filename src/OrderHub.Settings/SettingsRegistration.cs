using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrderHub.Settings;

/// <summary>Settings that can say what is wrong with themselves, in words a distributor's IT person can act on.</summary>
public interface IValidatedSettings
{
    /// <summary>One message per wrong setting, naming the setting (relative to its section) and what it must be; empty when all is well.</summary>
    IEnumerable<string> Validate();
}

/// <summary>
/// The one way OrderHub reads a settings section: bound once into its class, validated when the host starts
/// (<c>ValidateOnStart</c>), and injectable as the class itself. A value that does not convert, an unknown key in a
/// strict section, or a rule of <see cref="IValidatedSettings"/> stops the start with a message naming the setting.
/// </summary>
public static class SettingsRegistration
{
    /// <param name="section">The section path, e.g. "Ordering" or "Erp:Tryton".</param>
    /// <param name="strict">Refuse keys the class does not have (a misspelt setting). Off for sections with sub-sections bound elsewhere.</param>
    /// <param name="rules">Extra rules for classes that cannot implement <see cref="IValidatedSettings"/> (domain options).</param>
    public static IServiceCollection AddSettings<T>(this IServiceCollection services, string section, bool strict = true,
        Func<T, IEnumerable<string>>? rules = null) where T : class, new()
    {
        if (services.Any(d => d.ServiceType == typeof(SettingsSection<T>))) return services;
        services.AddSingleton(new SettingsSection<T>(section));
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(sp => new SettingsValidator<T>(section, rules, strict ? sp.GetRequiredService<IConfiguration>() : null));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }

    private sealed record SettingsSection<T>(string Path);

    private sealed class SettingsValidator<T>(string section, Func<T, IEnumerable<string>>? rules, IConfiguration? strictAgainst)
        : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = new List<string>();
            if (strictAgainst is not null)
            {
                // A misspelt key would otherwise be ignored without a word. "_doc" is the template's documentation.
                var known = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var child in strictAgainst.GetSection(section).GetChildren())
                    if (child.Key != "_doc" && !known.Contains(child.Key))
                        failures.Add($"{child.Key} is not a setting of this section (misspelt?); known: {string.Join(", ", known.Order())}");
            }
            if (options is IValidatedSettings self) failures.AddRange(self.Validate());
            if (rules is not null) failures.AddRange(rules(options));
            return failures.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(failures.Select(f => $"设置错误 Setting {section}:{f}"));
        }
    }
}

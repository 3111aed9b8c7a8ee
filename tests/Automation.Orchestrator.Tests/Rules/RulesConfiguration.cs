using Automation.Orchestrator.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Tests.Rules;

/// <summary>Binds and validates an <c>Automation</c> section as the service does at start, without starting it.</summary>
internal static class RulesConfiguration
{
    /// <summary>The shipped defaults (the service's appsettings.json) with <paramref name="settings"/> over them.</summary>
    public static IConfiguration Defaults(IReadOnlyDictionary<string, string?>? settings = null) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();

    /// <summary>Only <paramref name="settings"/>, with a valid failure notice unless they set one.</summary>
    public static IConfiguration Only(IReadOnlyDictionary<string, string?> settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Automation:FailureNotice:Channel"] = "ops",
                ["Automation:FailureNotice:Template"] = "{{rule}} failed",
            })
            .AddInMemoryCollection(settings)
            .Build();

    public static AutomationOptions Bind(IConfiguration configuration)
    {
        var options = new AutomationOptions();
        AutomationOptionsBinder.Bind(configuration, options);
        return options;
    }

    public static ValidateOptionsResult Validate(IConfiguration configuration) =>
        new AutomationOptionsValidator().Validate(null, Bind(configuration));

    public static RuleBook Book(IConfiguration configuration)
    {
        var result = Validate(configuration);
        Assert.True(result.Succeeded, result.FailureMessage);
        return new RuleBook(Options.Create(Bind(configuration)));
    }
}

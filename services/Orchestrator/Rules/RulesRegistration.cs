using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Rules;

public static class RulesRegistration
{
    /// <summary>The <c>Automation</c> section, bound strictly and validated at start, and the <see cref="RuleBook"/> made of it.</summary>
    public static IServiceCollection AddAutomationRules(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<AutomationOptions>, AutomationOptionsValidator>();
        services.AddOptions<AutomationOptions>()
            .Configure<IConfiguration>((options, configuration) => AutomationOptionsBinder.Bind(configuration, options))
            .ValidateOnStart();
        services.AddSingleton<RuleBook>();
        return services;
    }
}

using System.ComponentModel.DataAnnotations;
using Automation.ServiceDefaults;

namespace Automation.Orchestrator.Runs;

/// <summary>How fresh the runs-by-state gauge is (section <c>RunMetrics</c>).</summary>
public sealed class RunMetricsOptions
{
    public const string SectionName = "RunMetrics";

    /// <summary>How often the runs are counted by state for <c>automation.runs.current</c>: one grouped count of the runs
    /// table each time, whatever the number of scrapes. Default 15 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "must be between 00:00:01 and 01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(15);
}

public static class RunMetricsRegistration
{
    /// <summary>The runs-by-state gauge and the background count that feeds it.</summary>
    public static IServiceCollection AddRunsByState(this IServiceCollection services)
    {
        services.AddValidatedOptions<RunMetricsOptions>(RunMetricsOptions.SectionName);
        services.AddSingleton<RunsByState>();
        services.AddHostedService<RunsByStateRefresher>();
        return services;
    }
}

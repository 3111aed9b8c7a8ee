namespace Automation.Orchestrator.Rules;

/// <summary>What the orchestrator does with the events it receives. Configuration section <c>Automation</c>, bound by
/// <see cref="AutomationOptionsBinder"/> and checked at start by <see cref="AutomationOptionsValidator"/>.</summary>
public sealed class AutomationOptions
{
    public const string SectionName = "Automation";

    /// <summary>The rules, by name. The name is part of every step's idempotency key, so renaming a rule makes its next
    /// runs new ones.</summary>
    public Dictionary<string, RuleOptions> Rules { get; set; } = [];

    /// <summary>How long a step (or a compensation) may go unanswered before its outcome is taken as unknown and the run
    /// compensates. Longer than the connectors' whole retry budget (immediate retries in each of the delayed redeliveries:
    /// about 3.5 minutes by default against a system that hangs, <c>Connector:Retry</c>), so a step still being retried is
    /// not given up. Default 5 minutes.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Where a run that had to compensate says so.</summary>
    public FailureNoticeOptions FailureNotice { get; set; } = new();
}

/// <summary>The notification a run sends when a step failed for good or timed out, once it has compensated what it could
/// (step <see cref="Automation.Contracts.StepIdentity.FailureNotice"/>). Section <c>Automation:FailureNotice</c>.</summary>
public sealed class FailureNoticeOptions
{
    /// <summary>A channel of the Notifier's configuration, e.g. <c>ops</c>.</summary>
    public string? Channel { get; set; }

    /// <summary>Filled by the Notifier: the run's template values plus <c>failure.*</c> and <c>run.*</c> (docs/automation.md).</summary>
    public string? Template { get; set; }
}

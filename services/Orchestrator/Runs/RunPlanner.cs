using System.Globalization;
using Automation.Orchestrator.Events;
using Automation.Orchestrator.Rules;

namespace Automation.Orchestrator.Runs;

/// <summary>Turns a stored event and a rule it matched into the <see cref="StartRun"/> of a run.</summary>
public static class RunPlanner
{
    public static StartRun Plan(EventCopy copy, EventFields fields, AutomationRule rule, int run) => new(
        RunIds.For(copy.Source, copy.EventId, rule.Name, run),
        copy.Id,
        copy.Source,
        copy.EventId,
        copy.Type,
        rule.Name,
        run,
        copy.OccurredAt,
        rule.Plan(fields),
        Values(copy, fields, rule.Name, run));

    /// <summary>The flat map connectors fill templates from: every data field as <c>data.{path}</c>, the event's
    /// metadata as <c>event.*</c>, and <c>source</c>, <c>rule</c>, <c>run</c>.</summary>
    public static Dictionary<string, string> Values(EventCopy copy, EventFields fields, string rule, int run)
    {
        var values = fields.Values.ToDictionary(field => "data." + field.Key, field => field.Value, StringComparer.Ordinal);
        values["event.id"] = copy.EventId;
        values["event.recordId"] = copy.Id.ToString();
        values["event.type"] = copy.Type;
        values["event.version"] = copy.Version.ToString(CultureInfo.InvariantCulture);
        values["event.occurredAt"] = copy.OccurredAt.ToString("O", CultureInfo.InvariantCulture);
        values["event.receivedAt"] = copy.ReceivedAt.ToString("O", CultureInfo.InvariantCulture);
        values["source"] = copy.Source;
        values["rule"] = rule;
        values["run"] = run.ToString(CultureInfo.InvariantCulture);
        return values;
    }
}

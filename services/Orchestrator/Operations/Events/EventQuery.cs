using System.ComponentModel;
using System.Globalization;
using Automation.Orchestrator.Rules;
using Automation.Orchestrator.Runs;
using Microsoft.AspNetCore.Mvc;

namespace Automation.Orchestrator.Operations.Events;

/// <summary>Which events: every condition given must hold. <see cref="States"/> match the latest run of any of the
/// event's rules (a failed run replayed since, and now completed, no longer counts as failed).</summary>
public sealed record EventFilter(string? Source, string? Type, string? EventId, IReadOnlyList<string> States, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>The query parameters of an event search (and of a replay by filter), as strings: <see cref="Read"/> checks
/// them, so a bad one is answered 400 naming it rather than ignored.</summary>
public sealed class EventQueryParameters
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static readonly string[] Names = ["source", "type", "eventId", "status", "from", "to", "limit", "cursor"];

    [Description("The source the event came from (the {source} of /webhooks/{source}).")]
    [FromQuery(Name = "source")]
    public string? Source { get; init; }

    [Description("The event type, e.g. content.state_changed.")]
    [FromQuery(Name = "type")]
    public string? Type { get; init; }

    [Description("The source's own event id.")]
    [FromQuery(Name = "eventId")]
    public string? EventId { get; init; }

    [Description("running, compensating, completed, compensated or failed; repeat for several. Matches the latest run of any of the event's rules.")]
    [FromQuery(Name = "status")]
    public string[]? Status { get; init; }

    [Description("Received at or after this time (RFC 3339, e.g. 2026-11-26T10:00:00Z).")]
    [FromQuery(Name = "from")]
    public string? From { get; init; }

    [Description("Received before this time (RFC 3339).")]
    [FromQuery(Name = "to")]
    public string? To { get; init; }

    [Description("Events per page: 1 to 200 (50) in a search, 1 to 1000 (100) in a replay.")]
    [FromQuery(Name = "limit")]
    public string? Limit { get; init; }

    [Description("The nextCursor of the previous page.")]
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }

    /// <summary>The filter and page, or the errors by parameter name.</summary>
    public (EventFilter Filter, PageRequest Page) Read(IQueryCollection query, ParameterErrors errors, int defaultLimit = DefaultLimit,
        int maxLimit = MaxLimit)
    {
        foreach (var name in query.Keys.Where(name => !name.Equals("status", StringComparison.OrdinalIgnoreCase) && query[name].Count > 1))
        {
            errors.Add(name, "is given more than once");
        }

        Check("source", Source, RunStateMap.MaxSourceLength, errors);
        Check("eventId", EventId, RunStateMap.MaxEventIdLength, errors);
        if (Type is not null && !EventContracts.IsKnown(Type))
        {
            errors.Add("type", $"'{Type}' is not an event type ({string.Join(", ", EventContracts.Types)})");
        }

        var states = new List<string>();
        foreach (var status in Status ?? [])
        {
            if (RunStates.FromApi(status) is { } state)
            {
                states.Add(state);
            }
            else
            {
                errors.Add("status", $"'{status}' is not a run status ({string.Join(", ", RunStates.Names)})");
            }
        }

        var from = Time("from", From, errors);
        var to = Time("to", To, errors);
        if (from > to)
        {
            errors.Add("to", "is before from");
        }

        var page = new PageRequest(errors.Limit(Limit, defaultLimit, maxLimit), errors.Cursor(Cursor));
        return (new EventFilter(Source, Type, EventId, states.Distinct().ToList(), from, to), page);
    }

    private static void Check(string name, string? value, int maxLength, ParameterErrors errors)
    {
        if (value is { Length: 0 } || value?.Length > maxLength)
        {
            errors.Add(name, $"must be 1 to {maxLength} characters");
        }
    }

    private static DateTimeOffset? Time(string name, string? value, ParameterErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        // RFC 3339 needs a date, a time and an offset (Z or ±hh:mm): a time without one would be read in the server's zone.
        if (value.Length >= 20 && (value[^1] is 'Z' or 'z' || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time.ToUniversalTime();
        }

        errors.Add(name, $"'{value}' is not an RFC 3339 time, e.g. 2026-11-26T10:00:00Z");
        return null;
    }
}

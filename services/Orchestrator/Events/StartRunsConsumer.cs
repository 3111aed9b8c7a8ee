using System.Diagnostics;
using Automation.Contracts;
using Automation.Orchestrator.Persistence;
using Automation.Orchestrator.Rules;
using Automation.Orchestrator.Runs;
using MassTransit;

namespace Automation.Orchestrator.Events;

/// <summary>Receives one type of webhook event: stores its copy and opens run 1 of every enabled rule it matches, in the
/// inbox's transaction: the runs' rows commit with the copy, and their first commands and timeouts leave through its outbox
/// only then. An event whose copy is stored already (the same event delivered again, under any message id) starts
/// nothing.</summary>
public sealed partial class StartRunsConsumer<TEvent>(EventCopyStore events, OrchestratorDbContext db, RuleBook rules,
    RunOpener opener, TimeProvider clock, ILogger<StartRunsConsumer<TEvent>> logger) : IConsumer<TEvent>
    where TEvent : class, IWebhookEvent
{
    private static readonly string EventType = EventContracts.TypeOf(typeof(TEvent));

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var metadata = context.Message.Metadata;
        if (metadata.Type != EventType)
        {
            // Rules would read its data as the wrong type's: refuse it to the error queue rather than guess.
            throw new InvalidOperationException(
                $"Event {metadata.EventId} from {metadata.Source} says it is {metadata.Type} but arrived as {typeof(TEvent).Name} ({EventType}).");
        }

        var data = EventData.Of(context.Message);
        var copy = new EventCopy
        {
            Id = metadata.Id,
            Source = metadata.Source,
            EventId = metadata.EventId,
            Type = metadata.Type,
            Version = metadata.Version,
            OccurredAt = metadata.OccurredAt.ToUniversalTime(),
            ReceivedAt = metadata.ReceivedAt.ToUniversalTime(),
            StoredAt = clock.GetUtcNow(),
            Data = data.GetRawText(),
            TraceId = Activity.Current?.TraceId.ToHexString(),
        };
        if (!await events.TryAddAsync(copy, context.CancellationToken))
        {
            LogAlreadyStored(metadata.Type, metadata.EventId, metadata.Source);
            return;
        }

        var fields = EventFields.Of(data);
        var started = new List<string>();
        foreach (var rule in rules.Matching(metadata.Type, fields))
        {
            db.Runs.Add(await opener.OpenNewAsync(context, RunPlanner.Plan(copy, fields, rule, run: 1)));
            started.Add(rule.Name);
        }

        LogStored(metadata.Type, metadata.EventId, metadata.Source, started.Count, string.Join(", ", started));
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Stored {Type} event {EventId} from {Source}; {RunCount} run(s) started: {Rules}")]
    private partial void LogStored(string type, string eventId, string source, int runCount, string rules);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Type} event {EventId} from {Source} is stored already: its runs were started then, none now")]
    private partial void LogAlreadyStored(string type, string eventId, string source);
}

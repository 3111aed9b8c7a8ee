using System.Text.Json;

namespace Automation.Orchestrator.Operations.DeadLetters;

/// <summary>An error queue: where MassTransit moves a message that faulted (<c>{queue}_error</c>).</summary>
/// <param name="OriginalQueue">Where a redrive sends its messages.</param>
public sealed record DeadLetterQueueView(string Queue, string OriginalQueue, long Messages);

/// <summary>A dead-lettered message: which message, what failed and why, from MassTransit's fault headers.</summary>
/// <param name="MessageId">Kept by a redrive, so the consumer's inbox still knows the message.</param>
/// <param name="MessageType">The message's type as MassTransit names it, e.g. urn:message:Automation.Contracts:TriggerPipeline.</param>
/// <param name="InputAddress">The queue it was received from when it faulted.</param>
/// <param name="ExceptionType">The exception that made it fault, and its message.</param>
/// <param name="FaultedAt">When it was moved to the error queue.</param>
/// <param name="Message">The message itself (MassTransit's envelope's message), when it is JSON.</param>
public sealed record DeadLetterView(string? MessageId, string? MessageType, string? InputAddress, string? Reason, string? ExceptionType,
    string? ExceptionMessage, DateTimeOffset? FaultedAt, string? ConsumerType, JsonElement? Message);

public sealed record DeadLetterPageView(string Queue, string OriginalQueue, long Messages, IReadOnlyList<DeadLetterView> Items);

/// <summary>A message a redrive moved back to its queue.</summary>
public sealed record MovedMessage(string? MessageId, string? MessageType);

/// <summary>What a redrive did (also its audit record's result).</summary>
/// <param name="Error">Why it stopped before the end, if it did: what was moved before stays moved.</param>
public sealed record RedriveView(Guid Id, string Operator, DateTimeOffset At, string Queue, string OriginalQueue, IReadOnlyList<MovedMessage> Moved,
    string? Error);

namespace Automation.Bench.Messaging.Messages;

/// <summary>Published straight to the broker (the raw baseline).</summary>
public sealed record RawPing(Guid Id, int Sequence, string Body);

/// <summary>Published through the bus outbox by a request.</summary>
public sealed record RequestAccepted(Guid RequestId, int Sequence, string Body);

/// <summary>Consumed behind the inbox by a consumer that only deduplicates.</summary>
public sealed record DeduplicatedWork(Guid WorkId, int Sequence, string Body);

/// <summary>Consumed behind the inbox by a consumer that writes a row and publishes <see cref="WorkRecorded"/>.</summary>
public sealed record RecordedWork(Guid WorkId, int Sequence, string Body);

/// <summary>Consumed behind the inbox by a consumer that adds a row, publishes <see cref="WorkRecorded"/> and leaves the saving
/// to the inbox.</summary>
public sealed record InboxSavedWork(Guid WorkId, int Sequence, string Body);

public sealed record WorkRecorded(Guid WorkId);

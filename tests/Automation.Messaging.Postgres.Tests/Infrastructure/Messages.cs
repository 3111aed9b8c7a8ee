namespace Automation.Messaging.Postgres.Tests.Messages;

public sealed record OrderPlaced(Guid OrderId, int Position);

public sealed record ProcessOrder(Guid OrderId);

public sealed record OrderProcessed(Guid OrderId);

/// <summary>Published straight to the broker after the messages under test: once a FIFO receiver sees it, it has seen
/// everything that reached the broker before it.</summary>
public sealed record Marker(Guid Id);

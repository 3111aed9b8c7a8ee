using System.Collections.Concurrent;
using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

public sealed record FlakyWork(Guid WorkId);

public sealed record WorkAttempt(DateTime At, int RedeliveryCount, bool Succeeded);

public sealed class FlakyWorkFailedException(string message) : Exception(message);

/// <summary>Every attempt at every piece of flaky work.</summary>
public sealed class WorkAttempts
{
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<WorkAttempt>> _attempts = new();

    public IReadOnlyList<WorkAttempt> Of(Guid workId) =>
        _attempts.TryGetValue(workId, out var attempts) ? attempts.ToList() : [];

    public int Add(Guid workId, WorkAttempt attempt)
    {
        var attempts = _attempts.GetOrAdd(workId, _ => new ConcurrentQueue<WorkAttempt>());
        attempts.Enqueue(attempt);
        return attempts.Count;
    }
}

/// <summary>Fails the first <see cref="FailuresBeforeSuccess"/> attempts at each piece of work, as a flaky API would.</summary>
public sealed class FlakyWorkConsumer(WorkAttempts attempts) : IConsumer<FlakyWork>
{
    public const int FailuresBeforeSuccess = 2;

    public Task Consume(ConsumeContext<FlakyWork> context)
    {
        var attempt = attempts.Of(context.Message.WorkId).Count + 1;
        var succeeds = attempt > FailuresBeforeSuccess;
        attempts.Add(context.Message.WorkId, new WorkAttempt(DateTime.UtcNow, context.GetRedeliveryCount(), succeeds));
        return succeeds ? Task.CompletedTask : throw new FlakyWorkFailedException($"attempt {attempt} failed, as planned");
    }
}

/// <summary>The policy under test: no immediate retry, redelivery later through the durable scheduler.</summary>
public sealed class FlakyWorkConsumerDefinition : ConsumerDefinition<FlakyWorkConsumer>
{
    public static readonly TimeSpan[] RedeliveryIntervals = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<FlakyWorkConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseScheduledRedelivery(retry => retry.Intervals(RedeliveryIntervals));
}

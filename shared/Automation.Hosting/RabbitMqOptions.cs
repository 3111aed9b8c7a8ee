using System.ComponentModel.DataAnnotations;

namespace Automation.Hosting;

/// <summary>Where the broker is, and how the service's queues are declared and drained. Configuration section <c>RabbitMq</c>.</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    /// <summary>The broker and virtual host, e.g. <c>amqp://guest:guest@127.0.0.1:55672/</c>.</summary>
    [Required]
    public Uri? Uri { get; set; }

    /// <summary>Declares the service's receive queues as quorum queues (replicated over the cluster's nodes; the production
    /// overlay sets it). A queue's type is fixed when it is first declared: switching an existing classic queue fails at
    /// start with PRECONDITION_FAILED, so the queues must be moved (or deleted while empty) first.</summary>
    public bool QuorumQueues { get; set; }

    /// <summary>On shutdown (SIGTERM) the service stops taking messages and lets the ones in hand finish for this long; then
    /// their cancellation token fires and what is still unacknowledged is redelivered to another instance.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the <c>deploy-topology</c> command waits for the broker before it gives up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan DeployTimeout { get; set; } = TimeSpan.FromMinutes(1);
}

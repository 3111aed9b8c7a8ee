using System.ComponentModel.DataAnnotations;

namespace Automation.Hosting;

/// <summary>Where the broker is. Configuration section <c>RabbitMq</c>.</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    /// <summary>The broker and virtual host, e.g. <c>amqp://guest:guest@127.0.0.1:55672/</c>.</summary>
    [Required]
    public Uri? Uri { get; set; }
}

namespace Automation.Orchestrator.Operations;

/// <summary>The operator API's settings, section <c>Operations</c> (docs/operations.md).</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>Operator name → key. A request's <c>Authorization: Bearer &lt;key&gt;</c> must be one of these keys; the
    /// name is who acted, in the audit. None configured: the API answers 401 to everyone.</summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where a trace can be opened, with <c>{traceId}</c> in it, e.g. Jaeger's
    /// <c>http://127.0.0.1:16686/trace/{traceId}</c>; unset, the API gives trace ids without links.</summary>
    public string? TraceUrlTemplate { get; set; }

    public RabbitMqManagementOptions RabbitMqManagement { get; set; } = new();
}

/// <summary>The broker's management HTTP API, through which the dead-letter endpoints list the error queues (section
/// <c>Operations:RabbitMqManagement</c>).</summary>
public sealed class RabbitMqManagementOptions
{
    /// <summary>e.g. <c>http://127.0.0.1:15672/</c>.</summary>
    public Uri? Uri { get; set; }

    /// <summary>With <see cref="Password"/>; both unset, the user of <c>RabbitMq:Uri</c>.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }
}

public static class OperationsLimits
{
    /// <summary>Shorter keys are refused at start: a key is the only thing between the network and replays.</summary>
    public const int MinApiKeyLength = 32;

    public const int MaxOperatorNameLength = 100;

    public const string TraceIdPlaceholder = "{traceId}";
}

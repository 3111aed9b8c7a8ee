namespace Automation.Ingress.Webhooks;

/// <summary>The sources that may post webhooks. Configuration section <c>Ingress</c>.</summary>
public sealed class IngressOptions
{
    public const string SectionName = "Ingress";

    public Dictionary<string, SourceOptions> Sources { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One sending platform: how it signs and with which secrets.</summary>
public sealed class SourceOptions
{
    public string Scheme { get; set; } = "hmac-sha256-hex";

    public List<string> Secrets { get; set; } = [];
}

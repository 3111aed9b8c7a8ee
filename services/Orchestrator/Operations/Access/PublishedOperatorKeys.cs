namespace Automation.Orchestrator.Operations.Access;

/// <summary>Operator keys written in this repository for people to copy (the README's walkthrough and
/// appsettings.Development.json): anyone can use them, so outside Development a key among them stops the service.</summary>
public static class PublishedOperatorKeys
{
    public const string Demo = "demo-operator-key-from-the-readme";

    public static bool Contains(string key) => string.Equals(key.Trim(), Demo, StringComparison.Ordinal);
}

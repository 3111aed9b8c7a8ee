using System.Net.Http.Headers;
using Automation.Contracts;
using Automation.Orchestrator.Tests.Service;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>An Orchestrator for one test class with two operators' keys, the broker's management API of its virtual host,
/// a trace link template, and (besides the shipped rules) a rule that notifies on every content event, so a content event
/// has two runs.</summary>
public class OperationsService : OrchestratorService
{
    public const string Ada = "ada";
    public const string Grace = "grace";
    public const string AnyContent = "content-any";
    public const string TraceTemplate = "http://traces.test/trace/{traceId}";

    /// <summary>Keys of different lengths, so a key of another length is tried against both.</summary>
    public static readonly string AdaKey = "ada-" + Guid.NewGuid().ToString("N");
    public static readonly string GraceKey = "grace-key-" + Guid.NewGuid().ToString("N") + "-longer";

    public HttpClient Operator(string key = "")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Length == 0 ? AdaKey : key);
        return client;
    }

    protected override Dictionary<string, string> ExtraSettings() => new()
    {
        [$"Operations:ApiKeys:{Ada}"] = AdaKey,
        [$"Operations:ApiKeys:{Grace}"] = GraceKey,
        ["Operations:TraceUrlTemplate"] = TraceTemplate,
        ["Operations:RabbitMqManagement:Uri"] = VirtualHost.ManagementUri.ToString(),
        [$"Automation:Rules:{AnyContent}:EventType"] = WebhookEventTypes.ContentStateChanged,
        [$"Automation:Rules:{AnyContent}:Steps:0:Kind"] = StepKinds.Notify,
        [$"Automation:Rules:{AnyContent}:Steps:0:Channel"] = "content-team",
        [$"Automation:Rules:{AnyContent}:Steps:0:Template"] = "{{data.title}} is now {{data.toState}}",
    };
}

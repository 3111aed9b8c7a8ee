using Automation.Sandbox.GitHub;
using Automation.Sandbox.GitLab;
using Automation.Sandbox.HubSpot;
using Automation.Sandbox.Slack;
using Automation.Sandbox.Smtp;

namespace Automation.Sandbox;

/// <summary>What the sandbox shows and takes besides the stand-in APIs: the calls per event, and failures to give.</summary>
public static class SandboxEndpoints
{
    public static WebApplication MapSandbox(this WebApplication app)
    {
        var sandbox = app.MapGroup("/sandbox").WithTags("sandbox");
        sandbox.MapGet("/calls", (SandboxLedger ledger) => ledger.Calls)
            .WithSummary("Every call the stand-in APIs received, oldest first");
        sandbox.MapGet("/events/{source}/{eventId}", (string source, string eventId, SandboxLedger ledger, SandboxMailbox mailbox) =>
                new { source, eventId, calls = ledger.CallsFor(source, eventId), emails = mailbox.EmailsFor(source, eventId) })
            .WithSummary("The calls made and e-mails sent for one event (their idempotency keys start with {source}:{eventId}:)");
        sandbox.MapGet("/failures", (PlannedFailures failures) => failures.Pending)
            .WithSummary("The failures still to give");
        sandbox.MapPost("/failures", (PlannedFailure failure, PlannedFailures failures) =>
            {
                failures.Add(failure);
                return Results.Created("/sandbox/failures", failure);
            })
            .WithSummary("Fail the next matching calls: an API, optionally a method and a path fragment, and how (status, hang, malformed, after the effect)");
        sandbox.MapDelete("/failures", (PlannedFailures failures) =>
        {
            failures.Clear();
            return Results.NoContent();
        });
        sandbox.MapDelete("/", (SandboxLedger ledger, PlannedFailures failures, SandboxMailbox mailbox) =>
        {
            ledger.Clear();
            mailbox.Clear();
            failures.Clear();
            return Results.NoContent();
        }).WithSummary("Forget every call, answer, e-mail and planned failure");
        app.MapHubSpotStandIn();
        sandbox.MapSmtpSink();
        app.MapSlackStandIn();
        app.MapGitHubActions();
        app.MapGitLabPipelines();
        return app;
    }
}

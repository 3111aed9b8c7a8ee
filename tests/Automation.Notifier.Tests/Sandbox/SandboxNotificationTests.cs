using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Automation.Contracts;
using Automation.Testing;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using static Automation.Notifier.Tests.Infrastructure.NotifierFixture;

namespace Automation.Notifier.Tests.Sandbox;

/// <summary>The Sandbox's Slack stand-in and SMTP sink, alone and behind the Notifier as <c>./automation up</c> runs them.</summary>
public sealed class SandboxNotificationTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task When_the_notifier_sends_through_the_sandbox_then_the_event_shows_its_slack_post_and_its_email()
    {
        var eventId = $"evt_{Guid.NewGuid():N}";
        var slack = new StepIdentity(Guid.NewGuid(), "tests", eventId, "content-published", 1, 3);
        var email = slack with { Step = StepIdentity.FailureNotice };

        await fixture.SendAsync(Notification(slack, "content-team", "Published: {{data.title}}", ("data.title", "<b>Spring</b>")));
        await fixture.SendAsync(Notification(email, "ops", "Run failed\nCI answered 422"));
        await fixture.Probe.Succeeded(slack);
        var sent = await fixture.Probe.Succeeded(email);

        using var shown = JsonDocument.Parse(await fixture.Http.GetStringAsync($"/sandbox/events/tests/{eventId}", TestContext.Current.CancellationToken));
        var calls = shown.RootElement.GetProperty("calls").EnumerateArray().ToArray();
        var post = Assert.Single(calls, call => call.GetProperty("api").GetString() == "slack");
        Assert.Equal(("POST", SandboxFixture.WebhookPath, 200, "applied", slack.IdempotencyKey),
            (post.GetProperty("method").GetString(), post.GetProperty("path").GetString(), post.GetProperty("status").GetInt32(),
                post.GetProperty("effect").GetString(), post.GetProperty("idempotencyKey").GetString()));
        Assert.Contains("&lt;b&gt;Spring&lt;/b&gt;", post.GetProperty("body").GetString(), StringComparison.Ordinal);
        var mail = Assert.Single(shown.RootElement.GetProperty("emails").EnumerateArray());
        Assert.Equal(("Run failed", sent.ExternalReference, email.IdempotencyKey, SandboxFixture.Recipient),
            (mail.GetProperty("subject").GetString(), mail.GetProperty("messageId").GetString(),
                mail.GetProperty("idempotencyKey").GetString(), mail.GetProperty("to")[0].GetString()));
        Assert.Single(calls, call => call.GetProperty("api").GetString() == "smtp");
    }

    [Fact]
    public async Task When_a_slack_post_repeats_its_idempotency_key_then_the_stand_in_answers_ok_again_and_posts_once()
    {
        var key = $"tests:evt_{Guid.NewGuid():N}:rule:1:1";

        var answers = new List<(HttpStatusCode, string)>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, SandboxFixture.WebhookPath)
            {
                Content = JsonContent.Create(new { text = "Hello" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await fixture.Http.SendAsync(request, TestContext.Current.CancellationToken);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        Assert.Equal([(HttpStatusCode.OK, "ok"), (HttpStatusCode.OK, "ok")], answers);
        Assert.Equal(["applied", "replayed"], await EffectsOf(key));
    }

    [Theory]
    [InlineData("{}", "no_text")]
    [InlineData("{\"text\":\"   \"}", "no_text")]
    [InlineData("text=hello", "invalid_payload")]
    public async Task When_a_slack_post_is_not_a_message_then_the_stand_in_answers_as_slack_does(string body, string answer)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await fixture.Http.PostAsync(SandboxFixture.WebhookPath, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(answer, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task When_an_email_repeats_its_message_id_then_the_sink_accepts_it_and_keeps_one()
    {
        var key = $"tests:evt_{Guid.NewGuid():N}:rule:1:2";
        var message = Email(key);

        await SendEmailAsync(message);
        await SendEmailAsync(message);

        var kept = await EmailsAsync();
        Assert.Single(kept, email => email.GetProperty("messageId").GetString() == message.MessageId);
        Assert.Equal(["applied", "replayed"], await EffectsOf(key));
    }

    [Fact]
    public async Task When_a_failure_is_planned_for_smtp_then_the_sink_answers_with_it_once()
    {
        var key = $"tests:evt_{Guid.NewGuid():N}:rule:1:2";
        var recipient = $"{Guid.NewGuid():N}@sandbox.example";
        using (var planned = await fixture.Http.PostAsJsonAsync("/sandbox/failures",
            new { api = "smtp", pathContains = recipient, status = 451 }, TestContext.Current.CancellationToken))
        {
            planned.EnsureSuccessStatusCode();
        }

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => SendEmailAsync(Email(key, recipient)));
        await SendEmailAsync(Email(key, recipient));

        Assert.Equal(451, (int)refused.StatusCode);
        Assert.Equal(["failed", "applied"], await EffectsOf(key));
    }

    private static MimeMessage Email(string key, string recipient = SandboxFixture.Recipient)
    {
        var message = new MimeMessage { Subject = "Hello", MessageId = $"{Guid.NewGuid():N}@tests.example", Body = new TextPart("plain") { Text = "Hi" } };
        message.From.Add(MailboxAddress.Parse("automation@tests.example"));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Headers.Add("Idempotency-Key", key);
        return message;
    }

    private async Task SendEmailAsync(MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", fixture.SmtpPort, SecureSocketOptions.None, TestContext.Current.CancellationToken);
        await client.SendAsync(message, TestContext.Current.CancellationToken);
        await client.DisconnectAsync(true, TestContext.Current.CancellationToken);
    }

    private async Task<JsonElement[]> EmailsAsync()
    {
        using var emails = JsonDocument.Parse(await fixture.Http.GetStringAsync("/sandbox/emails", TestContext.Current.CancellationToken));
        return emails.RootElement.EnumerateArray().Select(email => email.Clone()).ToArray();
    }

    private async Task<string[]> EffectsOf(string key)
    {
        using var calls = JsonDocument.Parse(await fixture.Http.GetStringAsync("/sandbox/calls", TestContext.Current.CancellationToken));
        return calls.RootElement.EnumerateArray()
            .Where(call => call.GetProperty("idempotencyKey").GetString() == key)
            .Select(call => call.GetProperty("effect").GetString()!)
            .ToArray();
    }
}

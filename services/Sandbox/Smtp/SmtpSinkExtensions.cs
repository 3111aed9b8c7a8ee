using Automation.ServiceDefaults;

namespace Automation.Sandbox.Smtp;

public static class SmtpSinkExtensions
{
    /// <summary>The SMTP sink (<see cref="SmtpSink"/>) on <c>Sandbox:Smtp</c>, and the mailbox it fills.</summary>
    public static IHostApplicationBuilder AddSmtpSink(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SmtpSinkOptions>(SmtpSinkOptions.SectionName);
        builder.Services.AddSingleton<SandboxMailbox>();
        builder.Services.AddSingleton<SandboxMessageStore>();
        builder.Services.AddSingleton<SmtpSink>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<SmtpSink>());
        builder.Services.AddHealthChecks().AddCheck<SmtpSinkHealthCheck>("smtp-sink", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary><c>GET /sandbox/emails</c>: every e-mail the sink kept.</summary>
    public static RouteGroupBuilder MapSmtpSink(this RouteGroupBuilder sandbox)
    {
        sandbox.MapGet("/emails", (SandboxMailbox mailbox) => mailbox.Emails)
            .WithSummary("Every e-mail the SMTP sink received, once per Message-ID, oldest first");
        return sandbox;
    }
}

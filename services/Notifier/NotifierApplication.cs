using Automation.Connectors;
using Automation.Notifier.Channels;
using Automation.Notifier.Email;
using Automation.Notifier.Persistence;
using Automation.Notifier.Sending;
using Automation.Notifier.Slack;
using MassTransit;
using Microsoft.Extensions.Options;
using Polly;

namespace Automation.Notifier;

/// <summary>What the Notifier service is made of: the connector shape with one consumer (<c>notify</c> steps), Slack
/// incoming webhooks over a resilient HttpClient, and e-mail over SMTP with MailKit inside a resilience pipeline of its own.</summary>
public static class NotifierApplication
{
    public const string ServiceName = "notifier";

    public static IHostApplicationBuilder AddNotifier(this IHostApplicationBuilder builder)
    {
        builder.AddConnectorService<NotifierDbContext>(ServiceName, NotifierDbContext.Schema,
            bus => bus.AddConsumer<SendNotificationConsumer, SendNotificationConsumerDefinition>());

        var services = builder.Services;
        services.AddSingleton<IValidateOptions<NotifierOptions>, NotifierOptionsValidator>();
        services.AddOptions<NotifierOptions>().BindConfiguration(NotifierOptions.SectionName).ValidateOnStart();
        services.AddConnectorHttpClient<SlackWebhookClient>((_, _) => { })
            .RemoveAllLoggers(); // the request URI is the webhook's secret: HttpClient's own logs would print it
        services.AddTelemetryWithoutSecretUrls();
        services.AddResiliencePipeline(SmtpMailer.PipelineName, (pipeline, context) =>
            SmtpMailer.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<NotifierOptions>>().Value.Smtp));
        services.AddSingleton<SmtpMailer>();
        services.AddScoped<NotificationSender>();
        return builder;
    }
}

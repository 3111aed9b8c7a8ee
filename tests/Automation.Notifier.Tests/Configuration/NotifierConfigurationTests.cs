using Automation.Notifier.Channels;
using Automation.Notifier.Persistence;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Automation.Notifier.Tests.Configuration;

/// <summary>A bad Notifier configuration stops the service at start with a message naming the key, and never repeats a
/// secret.</summary>
public sealed class NotifierConfigurationTests
{
    private const string Secret = "T0PROD/B0PROD/do-not-print-me";

    public static TheoryData<string, Dictionary<string, string>> BadSettings => new()
    {
        { "Notifier:Channels:ops:To", new() { ["Notifier:Channels:ops:Kind"] = "Email", ["Notifier:Channels:ops:From"] = "a@b.example", ["Notifier:Smtp:Host"] = "smtp.example" } },
        { "Notifier:Channels:ops:From", new() { ["Notifier:Channels:ops:Kind"] = "Email", ["Notifier:Channels:ops:To:0"] = "ops@b.example", ["Notifier:Smtp:Host"] = "smtp.example" } },
        { "Notifier:Channels:ops:To:1", new() { ["Notifier:Channels:ops:Kind"] = "Email", ["Notifier:Channels:ops:From"] = "a@b.example", ["Notifier:Channels:ops:To:0"] = "ops@b.example", ["Notifier:Channels:ops:To:1"] = "not an address", ["Notifier:Smtp:Host"] = "smtp.example" } },
        { "Notifier:Smtp:Host", new() { ["Notifier:Channels:ops:Kind"] = "Email", ["Notifier:Channels:ops:From"] = "a@b.example", ["Notifier:Channels:ops:To:0"] = "ops@b.example" } },
        { "Notifier:Smtp:Security", new() { ["Notifier:Channels:ops:Kind"] = "Email", ["Notifier:Channels:ops:From"] = "a@b.example", ["Notifier:Channels:ops:To:0"] = "ops@b.example", ["Notifier:Smtp:Host"] = "smtp.example", ["Notifier:Smtp:Security"] = "None", ["Notifier:Smtp:UserName"] = "automation", ["Notifier:Smtp:Password"] = "hunter2" } },
        { "Notifier:Smtp:Password", new() { ["Notifier:Channels:ops:Kind"] = "Email", ["Notifier:Channels:ops:From"] = "a@b.example", ["Notifier:Channels:ops:To:0"] = "ops@b.example", ["Notifier:Smtp:Host"] = "smtp.example", ["Notifier:Smtp:UserName"] = "automation" } },
        { "Notifier:Smtp:Port", new() { ["Notifier:Channels:ops:Kind"] = "Email", ["Notifier:Channels:ops:From"] = "a@b.example", ["Notifier:Channels:ops:To:0"] = "ops@b.example", ["Notifier:Smtp:Host"] = "smtp.example", ["Notifier:Smtp:Port"] = "70000" } },
        { "Notifier:Channels:content-team:Kind", new() { ["Notifier:Channels:content-team:WebhookUrl"] = "https://hooks.slack.com/services/" + Secret } },
        { "Notifier:Channels:content-team:WebhookUrl", new() { ["Notifier:Channels:content-team:Kind"] = "Slack" } },
        { "Notifier:Channels:content-team:WebhookUrl", new() { ["Notifier:Channels:content-team:Kind"] = "Slack", ["Notifier:Channels:content-team:WebhookUrl"] = "http://hooks.slack.com/services/" + Secret } },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void When_a_setting_is_wrong_then_the_service_does_not_start_and_says_which(string key, Dictionary<string, string> notifier)
    {
        var settings = new Dictionary<string, string>(notifier)
        {
            ["RabbitMq:Uri"] = "amqp://guest:guest@127.0.0.1:1/",
            ["ConnectionStrings:Automation"] = "Host=127.0.0.1;Port=1",
            ["Database:MigrateOnStart"] = "false",
        };
        using var service = new ServiceFactory<NotifierDbContext>(settings).WithWebHostBuilder(host => host.UseEnvironment("Production"));

        var failure = Record.Exception(() => service.Services);

        Assert.NotNull(failure);
        Assert.Contains(key + ":", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_development_configuration_is_valid_and_sends_to_the_sandbox()
    {
        var development = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryRoot(), "services", "Notifier", "appsettings.Development.json"))
            .Build();
        var options = development.GetSection(NotifierOptions.SectionName).Get<NotifierOptions>()!;

        var result = new NotifierOptionsValidator(new HostingEnvironment { EnvironmentName = Environments.Development }).Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.StartsWith("http://127.0.0.1:5085/slack/services/", options.Channels["content-team"].WebhookUrl, StringComparison.Ordinal);
        Assert.Equal(ChannelKind.Email, options.Channels["OPS"].Kind); // rules may write a channel's name in any case
        Assert.Equal(("127.0.0.1", 2525), (options.Smtp.Host, options.Smtp.Port));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Automation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Automation.sln above {AppContext.BaseDirectory}");
    }
}

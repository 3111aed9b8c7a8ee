using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Hosting;

public static class TopologyDeployment
{
    /// <summary>The first argument that declares the service's exchanges, queues and bindings on RabbitMQ and exits.</summary>
    public const string Command = "deploy-topology";

    /// <summary>Whether the host is built for the <c>deploy-topology</c> command: its bus must be built to declare the topology
    /// only, and is built early (the health checks resolve it when the endpoints are mapped), so the command line the builder
    /// was given decides, not the command's own start.</summary>
    public static bool IsRequested(IConfiguration configuration) =>
        configuration is IConfigurationBuilder builder
        && builder.Sources.OfType<CommandLineConfigurationSource>().FirstOrDefault()?.Args.FirstOrDefault() is { } first
        && string.Equals(first, Command, StringComparison.OrdinalIgnoreCase);

    /// <summary>With <c>deploy-topology</c> as the first argument: declares every receive endpoint's queue and its bindings
    /// (and the exchanges of the types the service publishes) without consuming a message, returns 0, or prints why the
    /// broker refused or could not be reached and returns 1. <c>migrate</c> migrates (<see cref="DatabaseMigrationExtensions"/>);
    /// anything else runs the service until it stops.</summary>
    public static async Task<int> RunServiceAsync(this IHost host, string[] args)
    {
        if (args.Length == 0 || !string.Equals(args[0], Command, StringComparison.OrdinalIgnoreCase))
        {
            return await host.RunOrMigrateAsync(args);
        }

        var rabbit = host.Services.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        var (exitCode, outcome) = await DeployAsync(host.Services.GetRequiredService<IBusControl>(), rabbit);
        // Disposing flushes the log first, so the outcome is the last line the command writes.
        await ((IAsyncDisposable)host).DisposeAsync();
        await (exitCode == 0 ? Console.Out : Console.Error).WriteLineAsync($"{Command}: {outcome}");
        return exitCode;
    }

    private static async Task<(int ExitCode, string Outcome)> DeployAsync(IBusControl bus, RabbitMqOptions rabbit)
    {
        var broker = WithoutPassword(rabbit.Uri!);
        try
        {
            using var timeout = new CancellationTokenSource(rabbit.DeployTimeout);
            await bus.DeployAsync(timeout.Token);
            return (0, $"the exchanges, queues and bindings are declared on {broker}");
        }
        catch (OperationCanceledException)
        {
            return (1, $"RabbitMQ at {broker} was not reachable within {rabbit.DeployTimeout} ({RabbitMqOptions.SectionName}:DeployTimeout); " +
                $"check {RabbitMqOptions.SectionName}:Uri and that the broker runs");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return (1, $"declaring the topology on {broker} failed: {exception.GetBaseException().Message}");
        }
    }

    private static string WithoutPassword(Uri uri) => new UriBuilder(uri) { Password = null }.Uri.ToString();
}

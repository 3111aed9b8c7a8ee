using System.Net;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Net;

namespace Automation.Sandbox.Smtp;

/// <summary>The Sandbox's SMTP server (the SmtpServer library), where the Notifier's e-mail channels send in local runs:
/// it accepts every e-mail and hands it to the <see cref="SandboxMessageStore"/>. A port that is taken is logged and makes
/// the Sandbox unready (<see cref="SmtpSinkHealthCheck"/>) rather than stopping the HTTP stand-ins, which other tests and
/// demos may be using without e-mail.</summary>
public sealed class SmtpSink(IOptions<SmtpSinkOptions> options, SandboxMessageStore store, ILogger<SmtpSink> logger) : BackgroundService
{
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Where the sink listens, once it does (with port 0 configured, the port it was given).</summary>
    public Task<IPEndPoint> Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sink = options.Value;
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName("sandbox")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Parse(sink.Address), sink.Port)))
            .Build();
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, started) =>
        {
            var endpoint = (IPEndPoint)started.LocalEndPoint;
            logger.LogInformation("SMTP sink listening on {Address}:{Port}", endpoint.Address, endpoint.Port);
            _listening.TrySetResult(endpoint);
        };
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(store);
        try
        {
            await new SmtpServer.SmtpServer(serverOptions, services).StartAsync(stoppingToken);
        }
        catch (System.Net.Sockets.SocketException exception)
        {
            logger.LogError(exception, "SMTP sink cannot listen on {Address}:{Port}: set Sandbox:Smtp:Port", sink.Address, sink.Port);
            _listening.TrySetException(exception);
        }
    }
}

using Automation.Hosting;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Messaging.Postgres.CrashHost;

/// <summary>A service built as ours are (<c>AddAutomationMessaging</c>: pooled DbContext, the services' connection
/// settings, the bus outbox, the inbox policy), configured like them (<c>ConnectionStrings__Automation</c>,
/// <c>RabbitMq__Uri</c>). Usage:
/// <list type="bullet">
/// <item><c>publish N [before-send|after-send]</c>: commits N <see cref="ProcessCrashOrder"/> sends in one bus outbox, as a
/// web request would, and delivers them (crashing where told);</item>
/// <item><c>serve [after-consume]</c>: consumes them behind the inbox and delivers any bus outbox (crashing where told).</item>
/// </list>
/// It prints <c>READY</c> once started, <c>COMMITTED</c> and the order ids once a publisher committed them, and
/// <c>CRASH-POINT</c> at its crash point.</summary>
public static class CrashHostProgram
{
    public const string Ready = "READY";

    public const string Committed = "COMMITTED";

    public const string CrashPointReached = "CRASH-POINT";

    /// <summary>How many sends the broker confirms before an <c>after-send</c> host freezes.</summary>
    public const int SendsBeforeCrash = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var publish = args.Length > 0 && args[0] == "publish";
        var orders = publish ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var crashPoint = (publish ? args.Skip(2) : args.Skip(1)).FirstOrDefault() switch
        {
            null => CrashPoint.None,
            "before-send" => CrashPoint.BeforeSend,
            "after-send" => CrashPoint.AfterSend,
            "after-consume" => CrashPoint.AfterConsume,
            var other => throw new ArgumentException($"Unknown crash point '{other}'."),
        };

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["Database:MigrateOnStart"] = "false";
        builder.AddAutomationMessaging<CrashDbContext>("crash-host", CrashDbContext.Schema, bus =>
        {
            if (!publish)
            {
                bus.AddConsumer<ProcessCrashOrderConsumer, ProcessCrashOrderConsumerDefinition>();
            }
        });
        using var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CrashDbContext>().Database.EnsureCreatedAsync();
        }

        var observer = new CrashPointObserver(crashPoint, SendsBeforeCrash);
        var bus = host.Services.GetRequiredService<IBus>();
        bus.ConnectSendObserver(observer);
        bus.ConnectConsumeObserver(observer);
        await host.StartAsync();
        Console.Out.WriteLine(Ready);
        Console.Out.Flush();
        if (publish)
        {
            await CommitOrdersAsync(host.Services, orders);
        }

        await host.WaitForShutdownAsync();
        return 0;
    }

    private static async Task CommitOrdersAsync(IServiceProvider services, int orders)
    {
        await using var scope = services.CreateAsyncScope();
        var endpoint = await scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>()
            .GetSendEndpoint(new Uri($"queue:{ProcessCrashOrderConsumerDefinition.Queue}"));
        var orderIds = Enumerable.Range(0, orders).Select(_ => Guid.NewGuid()).ToList();
        foreach (var orderId in orderIds)
        {
            await endpoint.Send(new ProcessCrashOrder(orderId));
        }

        await scope.ServiceProvider.GetRequiredService<CrashDbContext>().SaveChangesAsync();
        Console.Out.WriteLine($"{Committed} {string.Join(',', orderIds)}");
        Console.Out.Flush();
    }
}

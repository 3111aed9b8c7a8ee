using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Automation.Contracts;
using Automation.Notifier.Tests.Infrastructure;
using Automation.Testing;
using static Automation.Notifier.Tests.Infrastructure.NotifierFixture;

namespace Automation.Notifier.Tests.Email;

/// <summary>A mail server that refuses connections (nothing listens on its port).</summary>
public sealed class UnreachableSmtpTests(UnreachableSmtpTests.Fixture fixture) : IClassFixture<UnreachableSmtpTests.Fixture>
{
    [Fact]
    public async Task When_the_smtp_server_refuses_connections_then_the_step_is_retried_then_faults_into_the_error_queue()
    {
        var step = NewStep();
        var errorQueue = StepCommandQueues.SendNotification + "_error";
        var errorsBefore = await fixture.VirtualHost.MessageCount(errorQueue);

        await fixture.SendAsync(Notification(step, EmailChannel, "Nobody listens"));

        var fault = await fixture.Probe.Faulted<SendNotification>(step);
        Assert.Contains("the connection failed", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        // The refused connection is the mail server's failure, not a database outage: the command is not handed back.
        // At least one more: an earlier test's faulted command may still be arriving there.
        await Eventually.Until(async () => await fixture.VirtualHost.MessageCount(errorQueue) >= errorsBefore + 1,
            "the command is in the error queue");
    }

    public sealed class Fixture : NotifierFixture
    {
        private readonly int _closedPort = ClosedPort();

        protected override bool SmtpAnswers => false;

        protected override Dictionary<string, string> Settings()
        {
            var settings = base.Settings();
            settings["Notifier:Smtp:Port"] = _closedPort.ToString(CultureInfo.InvariantCulture);
            return settings;
        }

        /// <summary>A port nothing listens on: one the system gave out a moment ago and took back.</summary>
        private static int ClosedPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}

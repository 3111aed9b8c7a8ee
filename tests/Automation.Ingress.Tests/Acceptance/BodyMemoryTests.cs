using System.Globalization;
using System.Text;
using Automation.Ingress.Sources;
using Automation.Ingress.Tests.Infrastructure;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>Memory follows the bytes that arrive, never the size a request claims: a Content-Length is a promise the
/// sender need not keep. Measured as the bytes the whole test process allocates, so the class runs alone.</summary>
[Collection(nameof(MeasuresTheWholeProcess))]
public sealed class BodyMemoryTests(BodyMemoryTests.Service ingress) : IClassFixture<BodyMemoryTests.Service>
{
    private const int Senders = 16;

    public sealed class Service : IngressServiceFixture
    {
        public BodyBytesRead BodyBytesRead { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddSingleton<IStartupFilter>(BodyBytesRead);

        protected override Dictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            AddSource(settings, "large", "hmac-sha256-hex", [HexSecret], ["survey.completed"],
                maxBodyBytes: IngressOptionsValidator.MaxBodyBytesLimit);
            return settings;
        }
    }

    [Fact]
    public async Task Requests_that_claim_the_largest_body_but_send_a_few_bytes_cost_what_they_sent_not_what_they_claimed()
    {
        const int claimed = IngressOptionsValidator.MaxBodyBytesLimit;
        var connections = new List<RawHttpConnection>();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        try
        {
            for (var sender = 0; sender < Senders; sender++)
            {
                var connection = await RawHttpConnection.OpenAsync(ingress.ServerAddress);
                connections.Add(connection);
                await connection.SendHeadAsync("/webhooks/large", "Content-Type: application/json",
                    $"Content-Length: {claimed.ToString(CultureInfo.InvariantCulture)}", $"{BodyBytesRead.RequestHeader}: claim-{sender}");
                await connection.SendAsync(Encoding.ASCII.GetBytes(new string(' ', 1024)));
            }

            // Every request is in the middle of reading its body, holding whatever it allocated for it.
            await Eventually.Until(() => Enumerable.Range(0, Senders).All(sender => ingress.BodyBytesRead.For($"claim-{sender}") >= 1024),
                "every request has read the bytes sent so far");
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            Assert.True(allocated < claimed, $"{Senders} requests claiming {claimed} bytes and sending 1 KiB each allocated {allocated} bytes");
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}

/// <summary>Test classes that measure the whole process (its allocations) and so must not run beside others.</summary>
[CollectionDefinition(nameof(MeasuresTheWholeProcess), DisableParallelization = true)]
public sealed class MeasuresTheWholeProcess;

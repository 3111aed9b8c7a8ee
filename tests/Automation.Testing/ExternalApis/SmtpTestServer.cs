using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Automation.Testing.ExternalApis;

/// <summary>A real SMTP server in the test process (the SmtpServer library) on a free loopback port, standing in for the
/// mail server: it keeps every e-mail with its envelope, and answers an e-mail carrying a given idempotency key with the
/// replies a test planned for it (451, 550 …) or not at all (a server that hangs).</summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _plannedReplies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _hanging = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedMail> _attempts = new();
    private Task _running = Task.CompletedTask;

    public int Port { get; private set; }

    /// <summary>Every e-mail the server saw at DATA, whatever it answered.</summary>
    public IReadOnlyList<ReceivedMail> Attempts => _attempts.ToArray();

    /// <summary>The e-mails it accepted (250).</summary>
    public IReadOnlyList<ReceivedMail> Accepted => _attempts.Where(mail => mail.Reply == 250).ToArray();

    public IReadOnlyList<ReceivedMail> AttemptsFor(string idempotencyKey) =>
        Attempts.Where(mail => mail.IdempotencyKey == idempotencyKey).ToArray();

    public IReadOnlyList<ReceivedMail> AcceptedFor(string idempotencyKey) =>
        Accepted.Where(mail => mail.IdempotencyKey == idempotencyKey).ToArray();

    /// <summary>The next e-mails with <paramref name="idempotencyKey"/> get these replies, one each; later ones 250.</summary>
    public void Reply(string idempotencyKey, params int[] replies) =>
        _plannedReplies[idempotencyKey] = new ConcurrentQueue<int>(replies);

    /// <summary>E-mails with <paramref name="idempotencyKey"/> are never answered.</summary>
    public void Hang(string idempotencyKey) => _hanging[idempotencyKey] = true;

    public static async Task<SmtpTestServer> StartAsync()
    {
        var server = new SmtpTestServer();
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, started) => listening.TrySetResult(((IPEndPoint)started.LocalEndPoint).Port);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(server));
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp-test")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        server._running = new SmtpServer.SmtpServer(options, services).StartAsync(server._stopping.Token);
        server.Port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private sealed class Store(SmtpTestServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var key = message.Headers["Idempotency-Key"] ?? "";
            var reply = server._plannedReplies.TryGetValue(key, out var planned) && planned.TryDequeue(out var next) ? next : 250;
            var hangs = server._hanging.ContainsKey(key);
            server._attempts.Enqueue(new ReceivedMail(transaction.From.AsAddress(),
                transaction.To.Select(mailbox => mailbox.AsAddress()).ToArray(), message, key, hangs ? 0 : reply));
            if (hangs)
            {
                using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, server._stopping.Token);
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }

            return new SmtpResponse((SmtpReplyCode)reply, reply == 250 ? "queued" : $"planned reply {reply}");
        }
    }
}

/// <param name="EnvelopeTo">The RCPT TO recipients: who really receives it, whatever the headers say.</param>
/// <param name="Reply">What the server answered at DATA (0: nothing, it hung).</param>
public sealed record ReceivedMail(string EnvelopeFrom, IReadOnlyList<string> EnvelopeTo, MimeMessage Message, string IdempotencyKey, int Reply);

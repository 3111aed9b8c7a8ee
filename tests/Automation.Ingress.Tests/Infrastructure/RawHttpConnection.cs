using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Automation.Ingress.Tests.Infrastructure;

/// <summary>HTTP/1.1 written by hand over a socket, for what HttpClient will not send: a header line repeated, a body
/// that stops half-way, a body far larger than what the server will read.</summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawHttpConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawHttpConnection> OpenAsync(Uri server)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(server.Host, server.Port);
        return new RawHttpConnection(client);
    }

    /// <summary>Sends the request line and headers (each given as <c>Name: value</c>), then the blank line.</summary>
    public Task SendHeadAsync(string path, params string[] headers)
    {
        var head = new StringBuilder($"POST {path} HTTP/1.1\r\nHost: localhost\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        return SendAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
    }

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    public Task SendChunkAsync(byte[] chunk) =>
        SendAsync([.. Encoding.ASCII.GetBytes(chunk.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), .. chunk, .. "\r\n"u8]);

    public Task SendLastChunkAsync() => SendAsync("0\r\n\r\n"u8.ToArray());

    /// <summary>Reads the status code of the response, waiting at most <paramref name="timeout"/>.</summary>
    public async Task<int> ReadStatusAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            if (await _stream.ReadAsync(buffer, deadline.Token) == 0)
            {
                throw new IOException($"The server closed the connection before a status line (read '{line}').");
            }

            line.Append((char)buffer[0]);
        }

        // "HTTP/1.1 413 Payload Too Large"
        return int.Parse(line.ToString().Split(' ')[1], CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}

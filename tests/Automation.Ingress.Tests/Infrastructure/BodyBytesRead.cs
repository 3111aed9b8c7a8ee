using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Automation.Ingress.Tests.Infrastructure;

/// <summary>Counts, per request (tagged with the <c>X-Test-Request</c> header), how many body bytes the service took
/// from the server: the proof that an oversize body was never read whole.</summary>
public sealed class BodyBytesRead : IStartupFilter
{
    public const string RequestHeader = "X-Test-Request";

    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public long For(string request) => _bytes.GetValueOrDefault(request);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(RequestHeader, out var tag))
            {
                context.Request.Body = new CountingStream(context.Request.Body, count => _bytes.AddOrUpdate(tag.ToString(), count, (_, total) => total + count));
            }

            await nextMiddleware(context);
        });
        next(app);
    };

    private sealed class CountingStream(Stream inner, Action<int> counted) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var count = await inner.ReadAsync(buffer, cancellationToken);
            counted(count);
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The service reads asynchronously.");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

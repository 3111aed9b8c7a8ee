using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Automation.Ingress.Webhooks;

public enum BodyReadStatus
{
    Read,
    TooLarge,
    TimedOut,
    Unreadable,
}

public readonly record struct BodyRead(BodyReadStatus Status, byte[] Body);

/// <summary>Reads a request body into memory without ever holding more than the source's limit: a declared
/// Content-Length over the limit is refused before reading anything, and a chunked body is refused as soon as it
/// passes the limit. A sender slower than the read timeout is cut off.</summary>
public static class WebhookBodyReader
{
    private const int ChunkSize = 16 * 1024;

    public static async Task<BodyRead> ReadAsync(HttpRequest request, int limit, TimeSpan timeout)
    {
        if (request.ContentLength > limit)
        {
            return new BodyRead(BodyReadStatus.TooLarge, []);
        }

        // The server enforces the same limit too, so nothing past it is even taken off the socket.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = limit;
        }

        var aborted = request.HttpContext.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(timeout);
        try
        {
            return request.ContentLength is { } length
                ? await ReadDeclaredAsync(request.Body, (int)length, deadline.Token)
                : await ReadChunkedAsync(request.Body, limit, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return new BodyRead(BodyReadStatus.TimedOut, []);
        }
        catch (BadHttpRequestException exception)
        {
            // The server's own checks: its body size limit, its minimum data rate, or a body cut short.
            return new BodyRead(exception.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => BodyReadStatus.TooLarge,
                StatusCodes.Status408RequestTimeout => BodyReadStatus.TimedOut,
                _ => BodyReadStatus.Unreadable,
            }, []);
        }
    }

    private static async Task<BodyRead> ReadDeclaredAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var count = await body.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (count == 0)
            {
                return new BodyRead(BodyReadStatus.Unreadable, []);
            }

            read += count;
        }

        return new BodyRead(BodyReadStatus.Read, buffer);
    }

    private static async Task<BodyRead> ReadChunkedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, ChunkSize));
        var read = 0;
        try
        {
            while (true)
            {
                if (read == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, buffer.Length * 2));
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var count = await body.ReadAsync(buffer.AsMemory(read, Math.Min(buffer.Length, limit + 1) - read), cancellationToken);
                if (count == 0)
                {
                    return new BodyRead(BodyReadStatus.Read, buffer.AsSpan(0, read).ToArray());
                }

                read += count;
                if (read > limit)
                {
                    return new BodyRead(BodyReadStatus.TooLarge, []);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

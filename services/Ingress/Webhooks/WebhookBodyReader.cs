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

/// <summary>Reads a request body into memory without ever holding more than the source's limit, counted on the body's
/// bytes (a chunked body's framing does not count): a declared Content-Length over the limit is refused before reading
/// anything, any body is refused as soon as it passes the limit. Memory follows the bytes that arrive, in pooled buffers
/// that grow as they fill, never the length a request claims. A sender slower than the read timeout is cut off.</summary>
public static class WebhookBodyReader
{
    private const int FirstBufferSize = 16 * 1024;

    public static async Task<BodyRead> ReadAsync(HttpRequest request, int limit, TimeSpan timeout)
    {
        if (request.ContentLength > limit)
        {
            return new BodyRead(BodyReadStatus.TooLarge, []);
        }

        // The server enforces a limit too, so nothing past it is even taken off the socket; but it counts a chunked
        // body's framing, so a chunked body is left to the limit below, which counts its decoded bytes.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = request.ContentLength is null ? null : limit;
        }

        var aborted = request.HttpContext.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(timeout);
        try
        {
            return await ReadAsync(request.Body, limit, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return new BodyRead(BodyReadStatus.TimedOut, []);
        }
        catch (BadHttpRequestException exception)
        {
            // The server's own checks: its body size limit, its minimum data rate, or a body cut short of its length.
            return new BodyRead(exception.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => BodyReadStatus.TooLarge,
                StatusCodes.Status408RequestTimeout => BodyReadStatus.TimedOut,
                _ => BodyReadStatus.Unreadable,
            }, []);
        }
    }

    private static async Task<BodyRead> ReadAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        // One byte past the limit is read to tell a body of exactly the limit from a longer one.
        var capacity = limit + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(capacity, FirstBufferSize));
        var read = 0;
        try
        {
            while (true)
            {
                if (read == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(capacity, buffer.Length * 2));
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var count = await body.ReadAsync(buffer.AsMemory(read, Math.Min(buffer.Length, capacity) - read), cancellationToken);
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

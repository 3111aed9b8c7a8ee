using System.Net;
using System.Text;

namespace Automation.EndToEnd.Tests.Infrastructure;

/// <summary>HubSpot's contact upsert answering each call after <see cref="Delay"/>, and counting calls as they arrive (WireMock
/// records a call only once it has answered), so a test knows a call is in flight.</summary>
public sealed class SlowHubSpot : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _arrived;
    private int _answered;

    public SlowHubSpot(string contactId)
    {
        BaseUrl = new Uri($"http://127.0.0.1:{FreeTcpPort.Next()}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _ = ServeAsync(Encoding.UTF8.GetBytes(FakeHubSpot.ContactUpserted(contactId).Json!));
    }

    public Uri BaseUrl { get; }

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(3);

    public int CallsArrived => Volatile.Read(ref _arrived);

    public int CallsAnswered => Volatile.Read(ref _answered);

    private async Task ServeAsync(byte[] body)
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext call;
            try
            {
                call = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _arrived);
            _ = AnswerAsync(call, body);
        }
    }

    private async Task AnswerAsync(HttpListenerContext call, byte[] body)
    {
        try
        {
            await Task.Delay(Delay, _stopping.Token);
            call.Response.StatusCode = 200;
            call.Response.ContentType = "application/json; charset=utf-8";
            await call.Response.OutputStream.WriteAsync(body, _stopping.Token);
            call.Response.Close();
            Interlocked.Increment(ref _answered);
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // The test is over, or the caller gave up: nothing to answer.
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Close();
        _stopping.Dispose();
    }
}

using System.Diagnostics;

namespace Automation.Testing;

internal static class DockerEngine
{
    /// <summary>True when <c>docker info</c> reaches an engine; the client alone (as on our machines) is not enough.</summary>
    public static async Task<bool> AnswersAsync()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker", "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return false;
        }
    }
}

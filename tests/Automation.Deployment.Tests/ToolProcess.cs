using System.ComponentModel;
using System.Diagnostics;

namespace Automation.Deployment.Tests;

/// <summary>Runs a command-line tool the deployment checks need (docker-compose, bash) and fails, naming what to install,
/// when it is missing.</summary>
internal static class ToolProcess
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, string install, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException($"{program} is not installed ({exception.Message}): run '{install}' (./automation test does).", exception);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            return (process.ExitCode, await output, await errors);
        }
    }
}

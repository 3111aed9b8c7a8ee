using System.Diagnostics;
using System.Text;

namespace Automation.Deployment.Tests;

/// <summary>What /proc says about a process, and a SIGKILL for a crash.</summary>
internal static class LinuxProcesses
{
    /// <summary>A zombie has ended: it only waits for its parent to collect its exit status.</summary>
    public static bool IsAlive(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        return stat is not null && stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
    }

    public static int ParentOf(int pid)
    {
        var stat = Read($"/proc/{pid}/stat") ?? throw new InvalidOperationException($"process {pid} is gone");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string? WorkingDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static IReadOnlyList<string> Environment(int pid) =>
        Read($"/proc/{pid}/environ")?.Split('\0', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>SIGKILLs the process; one that has exited already (e.g. a launcher whose child was killed first) is left.</summary>
    public static void KillHard(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Not running any more.
        }
    }

    private static string? Read(string path)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes(path));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Automation.Orchestrator.Runs;

/// <summary>A run's id is a function of (source, event id, rule, run): the same run asked for twice is the same saga,
/// whichever message asked.</summary>
public static class RunIds
{
    public static Guid For(string source, string eventId, string rule, int run)
    {
        // Lengths first, so no two different tuples hash the same text.
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{source.Length}:{source}|{eventId.Length}:{eventId}|{rule.Length}:{rule}|{run}");
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(name))[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // RFC 9562 version 8 (custom, name-based)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(bytes);
    }
}

using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Automation.Orchestrator.Operations;

/// <summary>Up to <see cref="Limit"/> items, newest first, after <see cref="After"/>.</summary>
public sealed record PageRequest(int Limit, PageCursor? After);

/// <summary>Where a page ended: lists are ordered by (time, id), newest first, so paging never repeats or skips an item
/// whatever arrives meanwhile. Given to clients as an opaque string.</summary>
public readonly record struct PageCursor(DateTimeOffset At, Guid Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{At.UtcTicks}:{Id:N}")));

    public static PageCursor? TryDecode(string text)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParseExact(parts[1], "N", out var id)
                ? new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

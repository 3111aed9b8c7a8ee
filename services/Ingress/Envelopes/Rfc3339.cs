using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.Ingress.Envelopes;

/// <summary>Reads RFC 3339 date-times (<c>2026-11-26T10:00:00Z</c>, <c>2026-11-26T11:00:00.5+01:00</c>) strictly:
/// a date alone, a missing offset or a local time is refused, where <see cref="DateTimeOffset.TryParse(string, out DateTimeOffset)"/>
/// would guess.</summary>
public static partial class Rfc3339
{
    // [0-9], not \d: \d also matches other scripts' digits, which int.Parse refuses.
    [GeneratedRegex(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        int Number(int group) => int.Parse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        int year = Number(1), month = Number(2), day = Number(3), hour = Number(4), minute = Number(5), second = Number(6);
        var offset = TimeSpan.Zero;
        if (!match.Groups[8].Success)
        {
            int offsetHours = Number(10), offsetMinutes = Number(11);
            if (offsetMinutes > 59)
            {
                return false;
            }

            offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (match.Groups[9].ValueSpan[0] == '-' ? -1 : 1);
        }

        // RFC 3339 allows a leap second (:60); .NET has none, so it is read as the last tick of that minute.
        var leapSecond = second == 60;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59
            || second > 60 || offset.Duration() > TimeSpan.FromHours(14))
        {
            return false;
        }

        var ticks = FractionTicks(match.Groups[7].ValueSpan) + (leapSecond ? TimeSpan.TicksPerSecond - 1 : 0);
        var local = new DateTime(year, month, day, hour, minute, leapSecond ? 59 : second, DateTimeKind.Unspecified);
        var utcTicks = local.Ticks + ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Fractions finer than a tick (100 ns) are cut, not rounded, so a time never moves into the next second.</summary>
    private static long FractionTicks(ReadOnlySpan<char> digits)
    {
        long ticks = 0;
        for (var index = 0; index < 7; index++)
        {
            ticks = ticks * 10 + (index < digits.Length ? digits[index] - '0' : 0);
        }

        return ticks;
    }
}

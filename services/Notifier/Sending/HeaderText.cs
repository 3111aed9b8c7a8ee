using System.Text;

namespace Automation.Notifier.Sending;

/// <summary>Makes text safe to put in a header, where a line break would end the header and start another one.</summary>
public static class HeaderText
{
    /// <summary>Event data for an e-mail header (the subject): every line break or other control character becomes a space,
    /// so <c>"x\r\nBcc: someone"</c> stays text of this header. MimeKit then encodes what is not ASCII.</summary>
    public static string SingleLine(string value)
    {
        if (!value.Any(char.IsControl))
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        foreach (var character in value)
        {
            text.Append(char.IsControl(character) ? ' ' : character);
        }

        return text.ToString();
    }

    /// <summary>An idempotency key as a header value: as it is when it is printable ASCII (the usual case), else
    /// percent-encoded, so an event id with a line break or a non-ASCII letter can neither break the header nor be
    /// refused by the HTTP client, and stays the same for every attempt.</summary>
    public static string Ascii(string key) =>
        key.All(character => character is >= ' ' and <= '~') ? key : Uri.EscapeDataString(key);
}

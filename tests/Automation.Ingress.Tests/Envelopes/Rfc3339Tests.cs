using Automation.Ingress.Envelopes;

namespace Automation.Ingress.Tests.Envelopes;

public sealed class Rfc3339Tests
{
    [Theory]
    [InlineData("2026-11-26T10:00:00Z", "2026-11-26T10:00:00.0000000+00:00")]
    [InlineData("2026-11-26t10:00:00z", "2026-11-26T10:00:00.0000000+00:00")]
    [InlineData("2026-11-26T11:30:00+01:30", "2026-11-26T10:00:00.0000000+00:00")]
    [InlineData("2026-11-26T08:00:00-02:00", "2026-11-26T10:00:00.0000000+00:00")]
    [InlineData("2026-11-26T10:00:00.123456789Z", "2026-11-26T10:00:00.1234567+00:00")]
    [InlineData("2026-11-26T10:00:00.5Z", "2026-11-26T10:00:00.5000000+00:00")]
    [InlineData("2016-12-31T23:59:60Z", "2016-12-31T23:59:59.9999999+00:00")]
    [InlineData("2028-02-29T00:00:00Z", "2028-02-29T00:00:00.0000000+00:00")]
    public void Reads_rfc_3339_date_times_as_utc(string text, string expected)
    {
        Assert.True(Rfc3339.TryParse(text, out var value));
        Assert.Equal(expected, value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-11-26")]
    [InlineData("2026-11-26T10:00:00")]
    [InlineData("2026-11-26 10:00:00Z")]
    [InlineData("2026-11-26T10:00Z")]
    [InlineData("2026-13-01T10:00:00Z")]
    [InlineData("2027-02-29T10:00:00Z")]
    [InlineData("2026-11-26T24:00:00Z")]
    [InlineData("2026-11-26T10:00:00+15:00")]
    [InlineData("2026-11-26T10:00:00+01:60")]
    [InlineData("2026-11-26T10:00:00.Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("Thu, 26 Nov 2026 10:00:00 GMT")]
    [InlineData("1795687200")]
    [InlineData("2026-11-26T10:00:00Z\n")]
    [InlineData("２０２６-11-26T10:00:00Z")]
    public void Refuses_what_is_not_an_rfc_3339_date_time(string text)
    {
        Assert.False(Rfc3339.TryParse(text, out _));
    }
}

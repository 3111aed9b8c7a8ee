using Automation.CrmSync.HubSpot;
using Automation.Testing;

namespace Automation.CrmSync.Tests;

/// <summary>CrmSync refuses to start with a HubSpot setting it cannot use, naming the setting's full key and never the token.</summary>
public sealed class HubSpotOptionsTests
{
    [Theory]
    [InlineData("CrmSync:HubSpot:AccessToken", "", "CrmSync:HubSpot:AccessToken: The AccessToken field is required.")]
    [InlineData("CrmSync:HubSpot:AccessToken", "   ", "CrmSync:HubSpot:AccessToken: The AccessToken field is required.")]
    [InlineData("CrmSync:HubSpot:BaseUrl", "api.hubapi.com", "CrmSync:HubSpot:BaseUrl: must be an absolute http or https address")]
    [InlineData("CrmSync:HubSpot:BaseUrl", "ftp://api.hubapi.com/", "CrmSync:HubSpot:BaseUrl: must be an absolute http or https address")]
    public async Task A_setting_it_cannot_use_stops_the_service_with_a_message_naming_the_key(string key, string value, string message)
    {
        await using var service = new ServiceFactory<HubSpotClient>(new Dictionary<string, string>
        {
            ["ConnectionStrings:Automation"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["CrmSync:HubSpot:AccessToken"] = "pat-na1-secret-token-value",
            [key] = value,
        });

        var failure = Assert.ThrowsAny<Exception>(() => service.Services);

        Assert.Contains(message, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("pat-na1-secret-token-value", failure.ToString(), StringComparison.Ordinal);
    }
}

using System.ComponentModel.DataAnnotations;

namespace Automation.CrmSync.HubSpot;

/// <summary>Where HubSpot is and how CrmSync signs in. Configuration section <c>CrmSync:HubSpot</c>.</summary>
public sealed class HubSpotOptions : IValidatableObject
{
    public const string SectionName = "CrmSync:HubSpot";

    /// <summary>The API's root: <c>https://api.hubapi.com/</c> (default), or the Sandbox's <c>http://127.0.0.1:5085/hubspot/</c>.</summary>
    [Required]
    public Uri? BaseUrl { get; set; } = new("https://api.hubapi.com/");

    /// <summary>A private app's access token, sent as <c>Authorization: Bearer</c>. The app needs the scopes
    /// <c>crm.objects.contacts.write</c> (contacts and notes) and <c>crm.objects.contacts.read</c> (searching notes).</summary>
    [Required]
    public string? AccessToken { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseUrl is not { IsAbsoluteUri: true } || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("must be an absolute http or https address", [nameof(BaseUrl)]);
        }
    }

    /// <summary><see cref="BaseUrl"/> ending with a slash, so the API's relative paths keep its path (<c>/hubspot/</c>).</summary>
    public Uri ApiRoot => BaseUrl!.AbsoluteUri.EndsWith('/') ? BaseUrl : new Uri(BaseUrl.AbsoluteUri + "/");
}

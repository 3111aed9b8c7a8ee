using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Automation.Sandbox.Smtp;

/// <summary>Where the Sandbox's SMTP sink listens. Configuration section <c>Sandbox:Smtp</c>.</summary>
public sealed class SmtpSinkOptions : IValidatableObject
{
    public const string SectionName = "Sandbox:Smtp";

    /// <summary>The address to listen on. Default 127.0.0.1: the sink accepts mail from anyone who can reach it.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Default 2525 (the Notifier's Development setting); 0 picks a free port (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 2525;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Address, out _))
        {
            yield return new ValidationResult("not an IP address", [nameof(Address)]);
        }
    }
}

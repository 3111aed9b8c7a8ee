using System.Globalization;
using Automation.Ingress.Envelopes;
using Automation.Ingress.Signatures;
using Microsoft.Extensions.Options;

namespace Automation.Ingress.Sources;

/// <summary>Checks the whole <c>Ingress</c> section, naming each bad setting by its full key
/// (<c>Ingress:Sources:demo:Secrets:1</c>). Messages never quote a secret. Secrets must be strong, and outside the
/// Development environment none may be one of the <see cref="PublishedSecrets"/>.</summary>
public sealed class IngressOptionsValidator(IHostEnvironment environment) : IValidateOptions<IngressOptions>
{
    public const int MaxSecretsPerSource = 10;
    public const int MaxBodyBytesLimit = 16 * 1024 * 1024;
    private const int MaxSourceIdLength = 100;

    public ValidateOptionsResult Validate(string? name, IngressOptions options)
    {
        var failures = new List<string>();
        void Fail(string key, string message) => failures.Add($"{IngressOptions.SectionName}:{key}: {message}");

        if (options.Sources.Count == 0)
        {
            Fail("Sources", "no source is configured, so every webhook would be refused; configure at least one");
        }

        if (options.BodyReadTimeout <= TimeSpan.Zero)
        {
            Fail(nameof(IngressOptions.BodyReadTimeout), "must be positive");
        }

        if (options.UnavailableRetryAfter < TimeSpan.FromSeconds(1))
        {
            Fail(nameof(IngressOptions.UnavailableRetryAfter), "must be at least one second");
        }

        var refusePublished = !environment.IsDevelopment();
        foreach (var (id, source) in options.Sources)
        {
            ValidateSource(id, source, refusePublished, (key, message) => Fail(key.Length == 0 ? $"Sources:{id}" : $"Sources:{id}:{key}", message));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateSource(string id, SourceOptions source, bool refusePublished, Action<string, string> fail)
    {
        if (id.Length > MaxSourceIdLength || !id.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_' or '.'))
        {
            fail("", $"a source id must be 1 to {MaxSourceIdLength} letters, digits, '-', '_' or '.' (it is a URL segment)");
        }

        if (!SignatureSchemes.IsKnown(source.Scheme))
        {
            fail(nameof(SourceOptions.Scheme), source.Scheme is null
                ? $"is required: one of {string.Join(", ", SignatureSchemes.All)}"
                : $"'{source.Scheme}' is not a signature scheme: use one of {string.Join(", ", SignatureSchemes.All)}");
        }

        ValidateSecrets(source, refusePublished, fail);
        ValidateEvents(source, fail);

        if (source.MaxBodyBytes is < 1 or > MaxBodyBytesLimit)
        {
            fail(nameof(SourceOptions.MaxBodyBytes), $"must be between 1 and {MaxBodyBytesLimit}");
        }

        if (!double.IsFinite(source.RequestsPerSecond) || source.RequestsPerSecond <= 0)
        {
            fail(nameof(SourceOptions.RequestsPerSecond), "must be a positive number");
        }

        if (source.Burst is < 1)
        {
            fail(nameof(SourceOptions.Burst), "must be at least 1");
        }

        if (source.DuplicateOrIgnoredPerSecond is { } repeats && (!double.IsFinite(repeats) || repeats <= 0))
        {
            fail(nameof(SourceOptions.DuplicateOrIgnoredPerSecond), "must be a positive number");
        }

        if (source.DuplicateOrIgnoredBurst is < 1)
        {
            fail(nameof(SourceOptions.DuplicateOrIgnoredBurst), "must be at least 1");
        }

        if (source.TimestampTolerance < TimeSpan.FromSeconds(1) || source.TimestampTolerance > TimeSpan.FromHours(1))
        {
            fail(nameof(SourceOptions.TimestampTolerance), "must be between 00:00:01 and 01:00:00");
        }
    }

    private static void ValidateSecrets(SourceOptions source, bool refusePublished, Action<string, string> fail)
    {
        if (source.Secrets.Count is 0 or > MaxSecretsPerSource)
        {
            fail(nameof(SourceOptions.Secrets), $"between 1 and {MaxSecretsPerSource} active secrets are needed");
        }

        if (!SignatureSchemes.IsKnown(source.Scheme))
        {
            return;
        }

        for (var index = 0; index < source.Secrets.Count; index++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{nameof(SourceOptions.Secrets)}:{index}");
            var secret = source.Secrets[index];
            if (!SignatureSchemes.TryDecodeSecret(source.Scheme!, secret, out var bytes, out var problem)
                || !SignatureSchemes.IsStrong(source.Scheme!, secret, bytes, out problem))
            {
                fail(key, problem);
            }
            else if (refusePublished && PublishedSecrets.Contains(secret))
            {
                fail(key, "is published in this repository (its documentation, samples or test vectors), so anyone can sign "
                    + "with it: outside the Development environment, use a secret of your own");
            }
        }
    }

    private static void ValidateEvents(SourceOptions source, Action<string, string> fail)
    {
        if (source.Events.Count == 0)
        {
            fail(nameof(SourceOptions.Events), $"subscribe to at least one event type: {string.Join(", ", EventSchemas.KnownTypes.Order())}");
        }

        for (var index = 0; index < source.Events.Count; index++)
        {
            if (!EventSchemas.IsKnownType(source.Events[index]))
            {
                fail(string.Create(CultureInfo.InvariantCulture, $"{nameof(SourceOptions.Events)}:{index}"),
                    $"'{source.Events[index]}' is not an event type: use one of {string.Join(", ", EventSchemas.KnownTypes.Order())}");
            }
        }
    }
}

using System.Collections.Frozen;
using Automation.Ingress.Signatures;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Automation.Ingress.Sources;

/// <summary>The sources in force. Built from the validated options at start; rebuilt whenever the configuration
/// reloads, but only from a configuration that validates: an invalid one is refused, logged, and reported on
/// readiness as Degraded while the last valid sources keep serving.</summary>
public sealed partial class SourceCatalog : IHostedService, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly IValidateOptions<IngressOptions>[] _validators;
    private readonly TimeProvider _clock;
    private readonly ILogger<SourceCatalog> _logger;
    private readonly IDisposable _reloadRegistration;
    private volatile Snapshot _current;
    private volatile string? _refusedReload;

    public SourceCatalog(
        IOptions<IngressOptions> options,
        IConfiguration configuration,
        IEnumerable<IValidateOptions<IngressOptions>> validators,
        TimeProvider clock,
        ILogger<SourceCatalog> logger)
    {
        _configuration = configuration;
        _validators = [.. validators];
        _clock = clock;
        _logger = logger;
        _current = Build(options.Value, previous: null);
        _reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    /// <summary>Why the latest configuration reload was refused, or null when the configuration in force is the latest.</summary>
    public string? RefusedReload => _refusedReload;

    public TimeSpan BodyReadTimeout => _current.Options.BodyReadTimeout;

    public TimeSpan UnavailableRetryAfter => _current.Options.UnavailableRetryAfter;

    public bool TryGet(string id, out WebhookSource source) => _current.Sources.TryGetValue(id, out source!);

    private void Reload()
    {
        IngressOptions candidate;
        try
        {
            candidate = new IngressOptions();
            IngressOptionsBinder.Bind(_configuration, candidate);
        }
        catch (InvalidOperationException exception)
        {
            // Names the key whose value does not convert, never the value.
            Refuse(exception.Message);
            return;
        }

        var failures = _validators
            .Select(validator => validator.Validate(Options.DefaultName, candidate))
            .Where(result => result.Failed)
            .SelectMany(result => result.Failures ?? [])
            .ToList();
        if (failures.Count > 0)
        {
            Refuse(string.Join("; ", failures));
            return;
        }

        _current = Build(candidate, _current);
        _refusedReload = null;
        LogReloaded(candidate.Sources.Count);
    }

    private void Refuse(string reason)
    {
        _refusedReload = reason;
        LogReloadRefused(reason);
    }

    private Snapshot Build(IngressOptions options, Snapshot? previous)
    {
        var sources = options.Sources.ToFrozenDictionary(
            entry => entry.Key,
            entry => BuildSource(entry.Key, entry.Value, previous),
            StringComparer.OrdinalIgnoreCase);
        return new Snapshot(options, sources);
    }

    private WebhookSource BuildSource(string id, SourceOptions options, Snapshot? previous)
    {
        var existing = previous?.Sources.GetValueOrDefault(id);
        var newEvents = SourceRateLimiter.For(options.RequestsPerSecond, options.Burst, _clock, existing?.NewEvents);
        var duplicatesOrIgnored = SourceRateLimiter.For(
            options.DuplicateOrIgnoredPerSecond ?? options.RequestsPerSecond * SourceOptions.DefaultRepeatFactor,
            options.DuplicateOrIgnoredBurst, _clock, existing?.DuplicatesOrIgnored);
        var verifier = SignatureSchemes.CreateVerifier(options.Scheme!, options.Secrets, options.TimestampTolerance, _clock);
        return new WebhookSource(id, verifier, options.Events.ToFrozenSet(StringComparer.Ordinal), options.MaxBodyBytes, newEvents,
            duplicatesOrIgnored, existing?.RecentDuplicates ?? new RecentDuplicates(_clock));
    }

    /// <summary>Nothing to start: being resolved as a hosted service builds the catalog when the host starts.</summary>
    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _reloadRegistration.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingress configuration reloaded: {SourceCount} sources in force")]
    private partial void LogReloaded(int sourceCount);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Ingress configuration reload refused, the previous configuration stays in force: {Reason}")]
    private partial void LogReloadRefused(string reason);

    private sealed record Snapshot(IngressOptions Options, FrozenDictionary<string, WebhookSource> Sources);
}

using System.ComponentModel.DataAnnotations;

namespace Automation.Ingress.Storage;

/// <summary>How long what the Ingress stores is kept. Configuration section <c>Ingress:Retention</c>.</summary>
public sealed class RetentionOptions : IValidatableObject
{
    public const string SectionName = "Ingress:Retention";

    /// <summary>How long a stored raw body (which can hold personal data) is kept; then it is cleared, and the event's row
    /// stays, so a replay is still answered as a duplicate. Default 7 days.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan KeepBodiesFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long an event's row, its (source, event id), is kept; then it is deleted, and a replay of that event
    /// is accepted as a new one. For the schemes without a timestamp in their signature, this is the only replay
    /// protection. Default 30 days; longer than <see cref="KeepBodiesFor"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan KeepEventsFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often expired bodies and rows are looked for. Default one minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most rows one statement purges or deletes, so no statement holds many locks or runs long.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeepEventsFor <= KeepBodiesFor)
        {
            yield return new ValidationResult($"must be longer than {SectionName}:{nameof(KeepBodiesFor)}", [nameof(KeepEventsFor)]);
        }
    }
}

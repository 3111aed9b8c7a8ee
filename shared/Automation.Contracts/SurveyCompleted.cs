namespace Automation.Contracts;

/// <summary><c>survey.completed</c>: a respondent finished a survey.</summary>
public sealed record SurveyCompleted(
    EventMetadata Metadata,
    string SurveyId,
    string ResponseId,
    Person Respondent,
    double? Score,
    IReadOnlyList<SurveyAnswer> Answers) : IWebhookEvent;

/// <summary>One answer of a survey response; the value is kept as the source sent it (JSON text).</summary>
public sealed record SurveyAnswer(string? QuestionId, string? Question, string? Value);

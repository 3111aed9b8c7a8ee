using Automation.Contracts;

namespace Automation.Ingress.Envelopes;

/// <summary><c>survey.completed</c> data.</summary>
internal static class SurveyCompletedData
{
    /// <summary>Version 1: <c>{surveyId, responseId, respondent {email, name, id}, score, answers [{questionId, question, value}]}</c>.</summary>
    public static IWebhookEvent ReadVersion1(JsonObjectReader data, EventMetadata metadata)
    {
        var respondent = data.RequiredObject("respondent");
        return new SurveyCompleted(
            metadata,
            data.RequiredString("surveyId"),
            data.RequiredString("responseId"),
            new Person(respondent.OptionalString("id"), respondent.RequiredString("email"), respondent.OptionalString("name")),
            data.OptionalNumber("score"),
            [.. data.OptionalArrayOfObjects("answers").Select(answer => new SurveyAnswer(
                answer.OptionalString("questionId"), answer.OptionalString("question"), answer.OptionalRawJson("value")))]);
    }
}

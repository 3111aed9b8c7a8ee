using System.Text;
using Automation.Contracts;
using Automation.Ingress.Envelopes;

namespace Automation.Ingress.Tests.Envelopes;

public sealed class EnvelopeReaderTests
{
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 26, 10, 0, 1, TimeSpan.Zero);

    [Fact]
    public void A_survey_completed_version_1_becomes_its_contract_with_the_envelope_as_metadata()
    {
        var reading = Read("""
            {"id":"evt_0001","type":"survey.completed","timestamp":"2026-11-26T11:00:00+01:00","version":1,
             "data":{"surveyId":"srv_42","responseId":"rsp_7","respondent":{"email":"ada@example.com","name":"Ada Lovelace"},"score":9,
                     "answers":[{"questionId":"q1","question":"How likely?","value":9},{"questionId":"q2","value":"yes"}]}}
            """);

        Assert.Equal(EnvelopeStatus.Valid, reading.Status);
        var survey = Assert.IsType<SurveyCompleted>(reading.Event);
        Assert.Equal(new EventMetadata(Id, "demo", "evt_0001", "survey.completed", 1,
            new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero), ReceivedAt), survey.Metadata);
        Assert.Equal(("srv_42", "rsp_7", 9d), (survey.SurveyId, survey.ResponseId, survey.Score!.Value));
        Assert.Equal(new Person(null, "ada@example.com", "Ada Lovelace"), survey.Respondent);
        Assert.Equal([new SurveyAnswer("q1", "How likely?", "9"), new SurveyAnswer("q2", null, "\"yes\"")], survey.Answers);
    }

    [Fact]
    public void A_content_state_changed_version_1_becomes_its_contract()
    {
        var reading = Read("""
            {"id":"evt_0002","type":"content.state_changed","timestamp":"2026-11-26T10:00:00Z","version":1,
             "data":{"contentId":"cnt_9","title":"Launch notes","fromState":"review","toState":"published","url":"https://example.com/launch",
                     "author":{"id":"u1","email":"grace@example.com","name":"Grace"}}}
            """);

        var content = Assert.IsType<ContentStateChanged>(reading.Event);
        Assert.Equal(("cnt_9", "Launch notes", "review", "published", "https://example.com/launch"),
            (content.ContentId, content.Title, content.FromState, content.ToState, content.Url));
        Assert.Equal(new Person("u1", "grace@example.com", "Grace"), content.Author);
    }

    [Fact]
    public void A_content_state_changed_version_2_is_upcast_onto_the_same_contract_as_version_1()
    {
        var version1 = Read("""
            {"id":"evt_3","type":"content.state_changed","timestamp":"2026-11-26T10:00:00Z","version":1,
             "data":{"contentId":"cnt_9","title":"T","fromState":"review","toState":"published","url":"u"}}
            """);
        var version2 = Read("""
            {"id":"evt_3","type":"content.state_changed","timestamp":"2026-11-26T10:00:00Z","version":2,
             "data":{"contentId":"cnt_9","title":"T","transition":{"from":"review","to":"published"},"url":"u"}}
            """);

        var upcast = Assert.IsType<ContentStateChanged>(version2.Event);
        Assert.Equal(2, upcast.Metadata.Version);
        Assert.Equal(Assert.IsType<ContentStateChanged>(version1.Event) with { Metadata = upcast.Metadata }, upcast);
    }

    [Fact]
    public void A_conversation_message_created_becomes_its_contract()
    {
        var reading = Read("""
            {"id":"evt_4","type":"conversation.message_created","timestamp":"2026-11-26T10:00:00Z","version":1,
             "data":{"conversationId":"c1","messageId":"m1","author":{"email":"a@example.com"},"channel":"chat","text":"hi"}}
            """);

        Assert.Equal(new ConversationMessageCreated(Assert.IsType<ConversationMessageCreated>(reading.Event).Metadata, "c1", "m1",
            new Person(null, "a@example.com", null), "chat", "hi"), reading.Event);
    }

    [Fact]
    public void A_task_executed_becomes_its_contract()
    {
        var reading = Read("""
            {"id":"evt_5","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,
             "data":{"taskId":"t1","name":"nightly","status":"failed","startedAt":"2026-11-26T09:00:00Z","finishedAt":"2026-11-26T09:05:00.25Z","output":"exit 1"}}
            """);

        var task = Assert.IsType<TaskExecuted>(reading.Event);
        Assert.Equal(TaskOutcome.Failed, task.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 9, 5, 0, 250, TimeSpan.Zero), task.FinishedAt);
        Assert.Equal("exit 1", task.Output);
    }

    [Fact]
    public void Unknown_fields_are_ignored_at_every_level()
    {
        var reading = Read("""
            {"id":"evt_6","type":"survey.completed","timestamp":"2026-11-26T10:00:00Z","version":1,"extra":{"deep":[1,2]},
             "data":{"surveyId":"s","responseId":"r","respondent":{"email":"e@example.com","phone":"+1"},"newField":true,
                     "answers":[{"value":1,"weight":3}]}}
            """);

        Assert.Equal(EnvelopeStatus.Valid, reading.Status);
    }

    [Theory]
    [InlineData("""{"type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{}}""", "id", "is required")]
    [InlineData("""{"id":7,"type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{}}""", "id", "must be a string")]
    [InlineData("""{"id":"","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{}}""", "id", "must not be empty")]
    [InlineData("""{"id":"a\u0000b","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{}}""", "id", "must not contain control characters")]
    [InlineData("""{"id":"\ud800","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{}}""", "id", "must be valid Unicode text (it has an unpaired surrogate escape)")]
    [InlineData("""{"id":"e","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{}}""", "type", "is required")]
    [InlineData("""{"id":"e","type":"task.executed","version":1,"data":{}}""", "timestamp", "is required")]
    [InlineData("""{"id":"e","type":"task.executed","timestamp":"2026-11-26","version":1,"data":{}}""", "timestamp", "must be an RFC 3339 date-time, e.g. 2026-11-26T10:00:00Z")]
    [InlineData("""{"id":"e","type":"task.executed","timestamp":"2026-11-26T10:00:00","version":1,"data":{}}""", "timestamp", "must be an RFC 3339 date-time, e.g. 2026-11-26T10:00:00Z")]
    [InlineData("""{"id":"e","type":"task.executed","timestamp":"2026-02-30T10:00:00Z","version":1,"data":{}}""", "timestamp", "must be an RFC 3339 date-time, e.g. 2026-11-26T10:00:00Z")]
    [InlineData("""{"id":"e","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","data":{}}""", "version", "is required")]
    [InlineData("""{"id":"e","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":"1","data":{}}""", "version", "must be a whole number of at least 1")]
    [InlineData("""{"id":"e","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1.5,"data":{}}""", "version", "must be a whole number of at least 1")]
    [InlineData("""{"id":"e","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":0,"data":{}}""", "version", "must be a whole number of at least 1")]
    [InlineData("""{"id":"e","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1}""", "data", "is required")]
    [InlineData("""{"id":"e","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":[]}""", "data", "must be an object")]
    [InlineData("""{"id":"e","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":null}""", "data", "is required")]
    public void A_missing_or_mistyped_envelope_field_is_named(string json, string path, string message)
    {
        var reading = Read(json);

        Assert.Equal(EnvelopeStatus.Malformed, reading.Status);
        Assert.Equal(message, reading.Errors[path]);
    }

    [Theory]
    [InlineData("survey.completed", """{"surveyId":"s","responseId":"r","respondent":{"name":"Ada"}}""", "data.respondent.email", "is required")]
    [InlineData("survey.completed", """{"surveyId":"s","responseId":"r"}""", "data.respondent", "is required")]
    [InlineData("survey.completed", """{"surveyId":"s","responseId":"r","respondent":"ada"}""", "data.respondent", "must be an object")]
    [InlineData("survey.completed", """{"surveyId":"s","responseId":"r","respondent":{"email":"e"},"score":"high"}""", "data.score", "must be a number")]
    [InlineData("survey.completed", """{"surveyId":"s","responseId":"r","respondent":{"email":"e"},"answers":[{},2]}""", "data.answers[1]", "must be an object")]
    [InlineData("survey.completed", """{"surveyId":"s","responseId":"r","respondent":{"email":"e"},"answers":{}}""", "data.answers", "must be an array")]
    [InlineData("survey.completed", """{"surveyId":"s","responseId":"r","respondent":{"email":"e"},"answers":[{"questionId":5}]}""", "data.answers[0].questionId", "must be a string")]
    [InlineData("content.state_changed", """{"contentId":"c","fromState":"a"}""", "data.toState", "is required")]
    [InlineData("content.state_changed", """{"contentId":"c","fromState":"a","toState":"b","author":{"email":1}}""", "data.author.email", "must be a string")]
    [InlineData("conversation.message_created", """{"conversationId":"c"}""", "data.messageId", "is required")]
    [InlineData("task.executed", """{"taskId":"t","name":"n","status":"done"}""", "data.status", "must be one of succeeded, failed")]
    [InlineData("task.executed", """{"taskId":"t","name":"n","status":"failed","startedAt":"yesterday"}""", "data.startedAt", "must be an RFC 3339 date-time, e.g. 2026-11-26T10:00:00Z")]
    public void A_missing_or_mistyped_data_field_is_named_by_its_json_path(string type, string data, string path, string message)
    {
        var reading = Read($$"""{"id":"e","type":"{{type}}","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{{data}}}""");

        Assert.Equal(EnvelopeStatus.Malformed, reading.Status);
        Assert.Equal(message, reading.Errors[path]);
    }

    [Fact]
    public void A_version_2_without_its_transition_names_the_missing_object()
    {
        var reading = Read("""{"id":"e","type":"content.state_changed","timestamp":"2026-11-26T10:00:00Z","version":2,"data":{"contentId":"c","fromState":"a","toState":"b"}}""");

        Assert.Equal("is required", reading.Errors["data.transition"]);
    }

    [Fact]
    public void Every_missing_field_is_named_at_once()
    {
        var reading = Read("""{"id":"e","type":"survey.completed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{"respondent":{}}}""");

        Assert.Equal(["data.respondent.email", "data.responseId", "data.surveyId"], reading.Errors.Keys.Order());
    }

    [Theory]
    [InlineData("""{"id":"a","id":"b","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{}}""")]
    [InlineData("""{"id":"a","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{"taskId":"t","taskId":"u"}}""")]
    [InlineData("""{"id":"a","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{"output":{"x":1,"\u0078":2}}}""")]
    [InlineData("""{"id":"a","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"extra":[{"k":1,"k":1}],"data":{}}""")]
    public void An_object_with_a_duplicate_key_at_any_depth_is_refused(string json)
    {
        var reading = Read(json);

        Assert.Equal(EnvelopeStatus.Malformed, reading.Status);
        Assert.Contains("repeats a property name", reading.Errors[EnvelopeReader.BodyPath], StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_is_located_by_the_line_and_byte_of_its_repeat()
    {
        var reading = Read("{\"id\":\"a\",\"type\":\"task.executed\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"version\":1,\n"
            + "  \"data\":{\"taskId\":\"t\",\n    \"taskId\":\"u\"}}");

        Assert.Contains("(line 3, byte 5)", reading.Errors[EnvelopeReader.BodyPath], StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_is_located_by_line_and_byte()
    {
        var reading = Read("{\"id\":\"a\",\n  \"type\" \"task.executed\"}");

        Assert.Contains("(line 2, byte 10)", reading.Errors[EnvelopeReader.BodyPath], StringComparison.Ordinal);
    }

    [Fact]
    public void The_errors_name_at_most_20_fields_and_count_the_rest()
    {
        var answers = string.Join(',', Enumerable.Repeat("7", 50));
        var reading = Read($$$"""{"id":"e","type":"survey.completed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{"surveyId":"s","responseId":"r","respondent":{"email":"e"},"answers":[{{{answers}}}]}}""");

        Assert.Equal(EnvelopeStatus.Malformed, reading.Status);
        Assert.Equal(20, reading.Errors.Count);
        Assert.Equal(30, reading.OmittedErrorCount);
        Assert.Equal("must be an object", reading.Errors["data.answers[0]"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"evt\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("{")]
    [InlineData("{} {}")]
    [InlineData("{\"id\":\"a\",}")]
    [InlineData("\uFEFF{}")]
    public void A_body_that_is_not_one_json_object_is_refused(string body)
    {
        var reading = Read(body);

        Assert.Equal(EnvelopeStatus.Malformed, reading.Status);
        Assert.True(reading.Errors.ContainsKey(EnvelopeReader.BodyPath));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    public void A_body_with_invalid_utf8_inside_a_string_is_refused(byte[] invalid)
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"e","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{"taskId":"t","name":"n","status":"failed","output":"X"}}""");
        var at = Array.IndexOf(body, (byte)'X');
        var withInvalid = body[..at].Concat(invalid).Concat(body[(at + 1)..]).ToArray();

        var reading = EnvelopeReader.Read(withInvalid, "demo", Id, ReceivedAt);

        Assert.Equal("The body is not valid UTF-8.", reading.Errors[EnvelopeReader.BodyPath]);
    }

    [Fact]
    public void An_event_id_of_200_characters_is_read_and_one_of_201_is_refused()
    {
        static string WithId(string id) =>
            $$$"""{"id":"{{{id}}}","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{"taskId":"t","name":"n","status":"failed"}}""";

        Assert.Equal(EnvelopeStatus.Valid, Read(WithId(new string('e', 200))).Status);
        Assert.Equal("must be at most 200 characters", Read(WithId(new string('e', 201))).Errors["id"]);
    }

    [Fact]
    public void A_nul_character_in_a_data_string_is_kept()
    {
        var reading = Read("""{"id":"e","type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{"taskId":"t","name":"n","status":"succeeded","output":"a\u0000b"}}""");

        Assert.Equal("a\0b", Assert.IsType<TaskExecuted>(reading.Event).Output);
    }

    [Fact]
    public void A_known_type_in_an_unknown_version_is_told_apart_from_an_unknown_type()
    {
        var unknownVersion = Read("""{"id":"e","type":"survey.completed","timestamp":"2026-11-26T10:00:00Z","version":9,"data":{}}""");
        var unknownType = Read("""{"id":"e","type":"invoice.paid","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{}}""");

        Assert.Equal((EnvelopeStatus.UnknownVersion, "e", "survey.completed", 9),
            (unknownVersion.Status, unknownVersion.EventId, unknownVersion.Type, unknownVersion.Version));
        Assert.Equal(EnvelopeStatus.UnknownType, unknownType.Status);
    }

    private static EnvelopeReading Read(string json) => EnvelopeReader.Read(Encoding.UTF8.GetBytes(json), "demo", Id, ReceivedAt);
}

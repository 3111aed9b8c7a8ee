using Automation.Connectors;
using Automation.Contracts;
using Automation.CrmSync.Contacts;
using Automation.CrmSync.HubSpot;
using Automation.CrmSync.Persistence;

namespace Automation.CrmSync.Notes;

/// <summary><c>crm.log_activity</c>: a note on the HubSpot contact of the command's e-mail (upserted by that e-mail first,
/// so the note has a contact even when no earlier step created it); the step's reference is the note id.</summary>
public sealed class LogCrmActivityConsumer(HubSpotClient hubSpot, StepOutcomes outcomes) : StepConsumer<LogCrmActivity>(outcomes)
{
    private static readonly Dictionary<string, string> NoProperties = [];

    protected override async Task<string?> CallAsync(LogCrmActivity command, CancellationToken cancellationToken)
    {
        var email = ContactProperties.RequireEmail(command.ContactEmail);
        var key = command.Step.IdempotencyKey;
        var contactId = await hubSpot.UpsertContactAsync(email, NoProperties, key, cancellationToken);
        return await hubSpot.CreateNoteAsync(contactId, NoteBody.Render(command.Template, command.Values, key), command.OccurredAt, key,
            cancellationToken);
    }
}

public sealed class LogCrmActivityConsumerDefinition()
    : ConnectorConsumerDefinition<LogCrmActivityConsumer, CrmSyncDbContext>(StepCommandQueues.LogCrmActivity);

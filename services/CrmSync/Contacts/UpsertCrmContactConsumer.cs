using Automation.Connectors;
using Automation.Contracts;
using Automation.CrmSync.HubSpot;
using Automation.CrmSync.Persistence;

namespace Automation.CrmSync.Contacts;

/// <summary><c>crm.upsert_contact</c>: creates or updates the HubSpot contact of the command's e-mail; the step's reference
/// is the contact id. Not compensable (the contact may have existed before).</summary>
public sealed class UpsertCrmContactConsumer(HubSpotClient hubSpot, StepOutcomes outcomes) : StepConsumer<UpsertCrmContact>(outcomes)
{
    protected override async Task<string?> CallAsync(UpsertCrmContact command, CancellationToken cancellationToken)
    {
        var email = ContactProperties.RequireEmail(command.Email);
        return await hubSpot.UpsertContactAsync(email, ContactProperties.Of(command.Name, command.Properties),
            command.Step.IdempotencyKey, cancellationToken);
    }
}

public sealed class UpsertCrmContactConsumerDefinition()
    : ConnectorConsumerDefinition<UpsertCrmContactConsumer, CrmSyncDbContext>(StepCommandQueues.UpsertCrmContact);

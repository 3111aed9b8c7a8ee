using Automation.Connectors;
using Automation.Contracts;
using Automation.CrmSync.HubSpot;
using Automation.CrmSync.Persistence;

namespace Automation.CrmSync.Notes;

/// <summary>Compensation of <c>crm.log_activity</c>: deletes the note. Without a reference (the step's outcome is unknown and
/// not recorded here either) it searches HubSpot for notes carrying the step's marker and deletes each; a note already
/// gone counts as undone.</summary>
public sealed class DeleteCrmNoteConsumer(HubSpotClient hubSpot, StepOutcomes outcomes) : CompensationConsumer<DeleteCrmNote>(outcomes)
{
    protected override string? ReferenceOf(DeleteCrmNote command) => command.NoteId;

    protected override async Task<string?> UndoAsync(DeleteCrmNote command, string? reference, CancellationToken cancellationToken)
    {
        var key = command.Step.CompensationKey;
        if (reference is not null)
        {
            return await hubSpot.DeleteNoteAsync(reference, key, cancellationToken)
                ? $"note {reference} deleted"
                : $"note {reference} was already gone";
        }

        var found = await hubSpot.FindNotesAsync(NoteBody.MarkerOf(command.Step.IdempotencyKey), key, cancellationToken);
        if (found.Count == 0)
        {
            return null;
        }

        foreach (var noteId in found)
        {
            await hubSpot.DeleteNoteAsync(noteId, key, cancellationToken);
        }

        return $"note {string.Join(", ", found)} found by the step's key and deleted";
    }
}

public sealed class DeleteCrmNoteConsumerDefinition()
    : ConnectorConsumerDefinition<DeleteCrmNoteConsumer, CrmSyncDbContext>(StepCommandQueues.DeleteCrmNote);

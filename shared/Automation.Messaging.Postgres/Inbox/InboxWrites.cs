using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

/// <summary>The inbox's own <c>SaveChanges</c> inside the transaction it holds.</summary>
internal static class InboxWrites
{
    /// <summary>Saves without EF's automatic savepoint. Inside a transaction EF wraps every <c>SaveChanges</c> in
    /// <c>SAVEPOINT</c> / <c>RELEASE SAVEPOINT</c> (two more round trips) so that the caller may carry on after a failed save;
    /// a failed inbox write fails the whole pass instead (rolled back, retried in a fresh scope), so the savepoint protects
    /// nothing here. The consumer's own <c>SaveChanges</c> calls keep theirs.</summary>
    public static async Task SaveAsync(DbContext dbContext, CancellationToken cancellationToken)
    {
        var database = dbContext.Database;
        var autoSavepoints = database.AutoSavepointsEnabled;
        database.AutoSavepointsEnabled = false;
        try
        {
            await dbContext.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            database.AutoSavepointsEnabled = autoSavepoints;
        }
    }
}

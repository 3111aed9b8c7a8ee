using Automation.Messaging.Postgres;
using Microsoft.EntityFrameworkCore;
using Automation.Ingress.Storage;
using Npgsql;

namespace Automation.Ingress.Webhooks;

internal static class StorageFailure
{
    /// <summary>Failures that mean "could not store it now": the database unreachable, timing out or refusing the
    /// write, or the Ingress stopping. The sender is told 503 and retries (a commit that did land makes that retry a
    /// duplicate).</summary>
    public static bool IsUnavailable(Exception exception) =>
        DatabaseOutage.IsOutage(exception) || exception is NpgsqlException or DbUpdateException or TimeoutException or IngressStoppingException;
}

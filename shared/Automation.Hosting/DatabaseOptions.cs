using System.ComponentModel.DataAnnotations;

namespace Automation.Hosting;

/// <summary>Where the service's database is. Configuration section <c>ConnectionStrings</c>.</summary>
public sealed class ConnectionStringOptions
{
    public const string SectionName = "ConnectionStrings";

    /// <summary>An Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres;Database=automation</c>.
    /// Every service may share one database: each keeps its tables in its own schema.</summary>
    [Required]
    public string? Automation { get; set; }
}

/// <summary>How the service treats its schema. Configuration section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Apply pending migrations when the service starts (under an advisory lock, so several instances may start at
    /// once). Turn it off where a deployment step runs the service with <c>migrate</c> first. Default true.</summary>
    public bool MigrateOnStart { get; set; } = true;
}

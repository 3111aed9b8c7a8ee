using System.ComponentModel.DataAnnotations;

namespace Automation.Ingress.Storage;

/// <summary>Where the Ingress' database is. Configuration section <c>ConnectionStrings</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "ConnectionStrings";

    /// <summary>PostgreSQL, e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres;Database=automation</c>; the Ingress
    /// keeps its tables in the schema <c>ingress</c>.</summary>
    [Required]
    public string? Automation { get; set; }
}

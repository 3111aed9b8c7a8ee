namespace Automation.Messaging.Postgres;

/// <summary>A saga instance whose row version is PostgreSQL's <c>xmin</c> system column (mapped by
/// <see cref="PostgresSagaMap{TSaga}"/>): every update checks it, so a lost update becomes a concurrency error.</summary>
public interface IRowVersioned
{
    uint RowVersion { get; set; }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Automation.Hosting;

/// <summary>Lets <c>dotnet ef migrations add</c> build a service's model without starting the service: the DbContext on
/// PostgreSQL with its migrations history in <paramref name="schema"/>, as <see cref="DatabaseExtensions.AddAutomationDbContext{TDbContext}"/>
/// registers it, plus what the service adds to its options (<paramref name="configure"/>, e.g. a naming convention).
/// A service declares one with a line: <c>sealed class XDesignTimeFactory() : DesignTimeDbContextFactory&lt;X&gt;(X.Schema, o =&gt; new(o));</c></summary>
public abstract class DesignTimeDbContextFactory<TDbContext>(string schema, Func<DbContextOptions<TDbContext>, TDbContext> create,
    Action<DbContextOptionsBuilder>? configure = null)
    : IDesignTimeDbContextFactory<TDbContext>
    where TDbContext : DbContext
{
    public TDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TDbContext>()
            .UseNpgsql("Host=127.0.0.1", npgsql => npgsql.MigrationsHistoryTable(DatabaseExtensions.MigrationsHistoryTable, schema));
        configure?.Invoke(options);
        return create(options.Options);
    }
}

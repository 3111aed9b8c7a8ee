using Automation.Connectors;
using Automation.CrmSync.Contacts;
using Automation.CrmSync.HubSpot;
using Automation.CrmSync.Notes;
using Automation.CrmSync.Persistence;
using Automation.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Automation.CrmSync;

/// <summary>What the CrmSync service is made of: the CRM steps (contact upsert, activity note, and the note's deletion as
/// compensation) against HubSpot's CRM v3 API.</summary>
public static class CrmSyncApplication
{
    public const string ServiceName = "crm-sync";

    public static IHostApplicationBuilder AddCrmSync(this IHostApplicationBuilder builder)
    {
        builder.AddConnectorService<CrmSyncDbContext>(ServiceName, CrmSyncDbContext.Schema, bus =>
        {
            bus.AddConsumer<UpsertCrmContactConsumer, UpsertCrmContactConsumerDefinition>();
            bus.AddConsumer<LogCrmActivityConsumer, LogCrmActivityConsumerDefinition>();
            bus.AddConsumer<DeleteCrmNoteConsumer, DeleteCrmNoteConsumerDefinition>();
        });
        builder.Services.AddValidatedOptions<HubSpotOptions>(HubSpotOptions.SectionName);
        builder.Services.AddConnectorHttpClient<HubSpotClient>((provider, http) =>
        {
            var hubSpot = provider.GetRequiredService<IOptions<HubSpotOptions>>().Value;
            http.BaseAddress = hubSpot.ApiRoot;
            http.DefaultRequestHeaders.Authorization = new("Bearer", hubSpot.AccessToken);
        });
        return builder;
    }
}

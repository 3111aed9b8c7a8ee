using Automation.CrmSync;
using Automation.Messaging.Postgres;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCrmSync();

var app = builder.Build();
app.MapDefaultEndpoints();
return await app.RunOrMigrateAsync(args);

using Automation.Notifier;
using Automation.Messaging.Postgres;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNotifier();

var app = builder.Build();
app.MapDefaultEndpoints();
return await app.RunOrMigrateAsync(args);

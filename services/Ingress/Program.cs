using Automation.Ingress;
using Automation.Messaging.Postgres;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIngress();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIngress();
return await app.RunOrMigrateAsync(args);

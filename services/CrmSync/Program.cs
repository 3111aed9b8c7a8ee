using Automation.CrmSync;
using Automation.Hosting;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCrmSync();

var app = builder.Build();
app.MapDefaultEndpoints();
return await app.RunServiceAsync(args);

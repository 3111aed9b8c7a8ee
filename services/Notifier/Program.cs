using Automation.Hosting;
using Automation.Notifier;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNotifier();

var app = builder.Build();
app.MapDefaultEndpoints();
return await app.RunServiceAsync(args);

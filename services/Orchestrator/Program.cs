using Automation.Hosting;
using Automation.Orchestrator;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOrchestrator();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapOrchestrator();
return await app.RunServiceAsync(args);

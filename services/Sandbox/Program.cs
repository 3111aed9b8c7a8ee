using Automation.Sandbox;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSandbox();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSandbox();
app.Run();

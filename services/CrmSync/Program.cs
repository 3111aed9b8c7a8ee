using Automation.CrmSync;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCrmSync();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

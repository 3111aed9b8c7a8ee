using Automation.CiTrigger;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCiTrigger();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

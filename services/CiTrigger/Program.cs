using Automation.CiTrigger;
using Automation.Hosting;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCiTrigger();

var app = builder.Build();
app.MapDefaultEndpoints();
return await app.RunServiceAsync(args);

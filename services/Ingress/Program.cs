using Automation.Hosting;
using Automation.Ingress;
using Automation.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIngress();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIngress();
return await app.RunServiceAsync(args);

using LearnApp.Api.ServiceInfo;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapServiceInfo();

app.Run();

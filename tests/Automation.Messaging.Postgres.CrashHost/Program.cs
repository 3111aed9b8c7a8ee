using Automation.Messaging.Postgres.CrashHost;

return await CrashHostProgram.RunAsync(args);

using System.Globalization;
using Automation.Bench.SagaAndScheduler;

// Measures, on the servers the tests use (AUTOMATION_STATE_DIR / infra.env), each run on its own database and vhost:
//   saga [messages]       which saga concurrency strategy holds under contention, and at what throughput;
//   scheduler [messages]  how late the durable scheduler delivers (it must never be early).
var what = args.Length > 0 ? args[0] : "saga";
var messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;

if (what == "saga")
{
    SagaScenario[] scenarios =
    [
        new("one hot instance, 1 replica", Instances: 1, messages, Replicas: 1, Concurrency: 32),
        new("one hot instance, 2 replicas", Instances: 1, messages, Replicas: 2, Concurrency: 32),
        new("200 instances, 1 replica", Instances: 200, messages, Replicas: 1, Concurrency: 32),
    ];
    Console.WriteLine("| scenario | strategy | sent | applied | lost | retried attempts | retries exhausted | throughput |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    foreach (var scenario in scenarios)
    {
        foreach (var strategy in SagaStrategy.All)
        {
            Console.WriteLine((await scenario.Run(strategy)).ToRow());
        }
    }
}
else if (what == "scheduler")
{
    Console.WriteLine("| workload | delivered | early | late p50 (ms) | p95 | p99 | max | scheduled/s |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    Console.WriteLine(await new SchedulerLateness(messages, Replicas: 1, TimeSpan.FromSeconds(10)).Run());
    Console.WriteLine(await new SchedulerLateness(messages, Replicas: 2, TimeSpan.FromSeconds(10)).Run());
}
else
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Automation.Bench.SagaAndScheduler -- saga|scheduler [messages]");
    return 2;
}

return 0;

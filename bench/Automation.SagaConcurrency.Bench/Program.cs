using Automation.SagaConcurrency.Bench;

// Which saga concurrency strategy holds under contention, and at what cost: each scenario runs on its own database
// and virtual host against the servers the tests use (AUTOMATION_STATE_DIR / infra.env).
var messages = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
Scenario[] scenarios =
[
    new("one hot instance, 1 replica", Instances: 1, messages, Replicas: 1, Concurrency: 32),
    new("one hot instance, 2 replicas", Instances: 1, messages, Replicas: 2, Concurrency: 32),
    new("200 instances, 1 replica", Instances: 200, messages, Replicas: 1, Concurrency: 32),
];

Console.WriteLine("| scenario | strategy | sent | applied | lost | retried attempts | retries exhausted | throughput |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var scenario in scenarios)
{
    foreach (var strategy in Strategy.All)
    {
        Console.WriteLine((await scenario.Run(strategy)).ToRow());
    }
}

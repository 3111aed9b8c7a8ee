using Automation.Contracts;

namespace Automation.CrmSync.Tests.Infrastructure;

/// <summary>Step identities no other test shares, so each test's calls are told apart by their key.</summary>
public static class Steps
{
    public static StepIdentity New(int step = 1) =>
        new(Guid.NewGuid(), "test", $"evt_{Guid.NewGuid():N}", "survey-completed", 1, step);

    public static readonly IReadOnlyDictionary<string, string> NoValues = new Dictionary<string, string>();
}

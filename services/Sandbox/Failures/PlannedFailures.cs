namespace Automation.Sandbox;

/// <summary>The failures the sandbox was told to give, each used up by as many matching calls as it says.</summary>
public sealed class PlannedFailures
{
    private readonly Lock _lock = new();
    private readonly List<(PlannedFailure Failure, int Left)> _planned = [];

    public void Add(PlannedFailure failure)
    {
        lock (_lock)
        {
            _planned.Add((failure, Math.Max(1, failure.Times)));
        }
    }

    /// <summary>Takes one use of the first planned failure that matches the call, if any.</summary>
    public PlannedFailure? TakeFor(string api, string method, string path)
    {
        lock (_lock)
        {
            var index = _planned.FindIndex(planned => planned.Failure.Matches(api, method, path));
            if (index < 0)
            {
                return null;
            }

            var (failure, left) = _planned[index];
            if (left == 1)
            {
                _planned.RemoveAt(index);
            }
            else
            {
                _planned[index] = (failure, left - 1);
            }

            return failure;
        }
    }

    public IReadOnlyList<PlannedFailure> Pending
    {
        get
        {
            lock (_lock)
            {
                return _planned.Select(planned => planned.Failure with { Times = planned.Left }).ToArray();
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _planned.Clear();
        }
    }
}

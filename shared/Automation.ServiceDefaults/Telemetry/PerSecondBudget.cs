namespace Automation.ServiceDefaults;

/// <summary>At most <c>perSecond</c> takes in each second of the clock; 0 or less: no limit.</summary>
internal sealed class PerSecondBudget(int perSecond)
{
    private readonly Lock _gate = new();
    private long _second;
    private int _takenThisSecond;

    public bool TryTake()
    {
        if (perSecond <= 0)
        {
            return true;
        }

        var second = Environment.TickCount64 / 1000;
        lock (_gate)
        {
            if (second != _second)
            {
                (_second, _takenThisSecond) = (second, 0);
            }

            return ++_takenThisSecond <= perSecond;
        }
    }
}

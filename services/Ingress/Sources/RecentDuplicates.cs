using System.Collections.Concurrent;

namespace Automation.Ingress.Sources;

/// <summary>The events of one source recently found to be duplicates, with their originals' ids: a replay of one is
/// answered from here, on the budget of duplicates, without a round trip to the database and without taking a permit of
/// the new-event budget. So one captured request replayed at will costs the database one look-up per
/// <see cref="Lifetime"/>. Bounded: at most <see cref="Capacity"/> ids (when full, it starts over), each for
/// <see cref="Lifetime"/>, far shorter than any retention window, so it never outlives the row it stands for by more.</summary>
public sealed class RecentDuplicates(TimeProvider clock)
{
    public const int Capacity = 4096;

    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (Guid Original, long FoundAt)> _originals = new(StringComparer.Ordinal);

    public bool TryGet(string eventId, out Guid original)
    {
        if (_originals.TryGetValue(eventId, out var entry) && clock.GetElapsedTime(entry.FoundAt) < Lifetime)
        {
            original = entry.Original;
            return true;
        }

        original = default;
        return false;
    }

    public void Remember(string eventId, Guid original)
    {
        // Count takes every lock of the dictionary; this runs only when the database has just found a duplicate.
        if (_originals.Count >= Capacity)
        {
            _originals.Clear();
        }

        _originals[eventId] = (original, clock.GetTimestamp());
    }
}

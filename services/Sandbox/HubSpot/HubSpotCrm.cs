using System.Text.Json.Serialization;

namespace Automation.Sandbox.HubSpot;

/// <summary>A contact or a note as the stand-in keeps it: HubSpot's numeric id, its properties, and for a note the
/// contacts it is associated with.</summary>
public sealed class CrmRecord(string id, DateTimeOffset createdAt)
{
    public string Id { get; } = id;

    public Dictionary<string, string?> Properties { get; } = new(StringComparer.Ordinal);

    public List<string> ContactIds { get; } = [];

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; set; } = createdAt;

    /// <summary>The record as HubSpot answers it, with the given properties only (all when null).</summary>
    public CrmObjectAnswer ToAnswer(IReadOnlyCollection<string>? properties = null) => new(
        Id,
        properties is null
            ? new Dictionary<string, string?>(Properties)
            : Properties.Where(property => properties.Contains(property.Key) || property.Key == "hs_object_id").ToDictionary(),
        CreatedAt,
        UpdatedAt,
        Archived: false);
}

/// <summary>A record in HubSpot's answers; <see cref="New"/> only in a batch upsert's results (whether it was created).</summary>
public sealed record CrmObjectAnswer(
    string Id,
    IReadOnlyDictionary<string, string?> Properties,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool Archived)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? New { get; init; }
}

/// <summary>The stand-in HubSpot account's contacts and notes, in memory: contacts keyed by e-mail (case-insensitive, as
/// HubSpot's unique <c>email</c> property), notes until archived.</summary>
public sealed class HubSpotCrm(TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CrmRecord> _contactsByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CrmRecord> _contacts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CrmRecord> _notes = new(StringComparer.Ordinal);
    private long _lastId = 1000;

    /// <summary>Creates the contact of <paramref name="email"/> or updates its properties; tells which.</summary>
    public (CrmRecord Contact, bool Created) UpsertContact(string email, IReadOnlyDictionary<string, string?> properties)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            var created = !_contactsByEmail.TryGetValue(email, out var contact);
            if (contact is null)
            {
                contact = NewRecord(now, "createdate");
                contact.Properties["email"] = email.ToLowerInvariant();
                _contactsByEmail[email] = contact;
                _contacts[contact.Id] = contact;
            }

            foreach (var (name, value) in properties)
            {
                contact.Properties[name] = value;
            }

            Touch(contact, now, "lastmodifieddate");
            return (contact, created);
        }
    }

    public CrmRecord? Contact(string idOrEmail, bool byEmail)
    {
        lock (_lock)
        {
            return (byEmail ? _contactsByEmail : _contacts).GetValueOrDefault(idOrEmail);
        }
    }

    /// <summary>Creates a note associated with <paramref name="contactIds"/>; null when one of them is no contact.</summary>
    public CrmRecord? CreateNote(IReadOnlyDictionary<string, string?> properties, IReadOnlyList<string> contactIds)
    {
        lock (_lock)
        {
            if (contactIds.Any(id => !_contacts.ContainsKey(id)))
            {
                return null;
            }

            var note = NewRecord(clock.GetUtcNow(), "hs_createdate");
            foreach (var (name, value) in properties)
            {
                note.Properties[name] = value;
            }

            note.ContactIds.AddRange(contactIds);
            Touch(note, note.CreatedAt, "hs_lastmodifieddate");
            _notes[note.Id] = note;
            return note;
        }
    }

    public CrmRecord? Note(string id)
    {
        lock (_lock)
        {
            return _notes.GetValueOrDefault(id);
        }
    }

    /// <summary>Archives (deletes) a note; false when there is none of that id.</summary>
    public bool ArchiveNote(string id)
    {
        lock (_lock)
        {
            return _notes.Remove(id);
        }
    }

    /// <summary>The notes that match, oldest first.</summary>
    public IReadOnlyList<CrmRecord> Notes(Func<CrmRecord, bool> match)
    {
        lock (_lock)
        {
            return _notes.Values.Where(match).OrderBy(note => long.Parse(note.Id, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
    }

    private CrmRecord NewRecord(DateTimeOffset now, string createdProperty)
    {
        var record = new CrmRecord(Interlocked.Increment(ref _lastId).ToString(System.Globalization.CultureInfo.InvariantCulture), now);
        record.Properties["hs_object_id"] = record.Id;
        record.Properties[createdProperty] = Timestamp(now);
        return record;
    }

    private static void Touch(CrmRecord record, DateTimeOffset now, string modifiedProperty)
    {
        record.UpdatedAt = now;
        record.Properties[modifiedProperty] = Timestamp(now);
    }

    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

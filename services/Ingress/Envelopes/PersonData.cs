using Automation.Contracts;

namespace Automation.Ingress.Envelopes;

internal static class PersonData
{
    /// <summary>An optional person <c>{id, email, name}</c>; null when the sender left it out.</summary>
    public static Person? ReadOptional(JsonObjectReader person) =>
        person.IsPresent ? new Person(person.OptionalString("id"), person.OptionalString("email"), person.OptionalString("name")) : null;
}

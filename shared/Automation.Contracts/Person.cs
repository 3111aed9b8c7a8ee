namespace Automation.Contracts;

/// <summary>A person named by an event: an author or a respondent. Every field is optional unless a type says otherwise.</summary>
public sealed record Person(string? Id, string? Email, string? Name);

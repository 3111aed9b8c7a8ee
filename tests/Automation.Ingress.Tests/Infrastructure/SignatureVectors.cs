using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.Ingress.Tests.Infrastructure;

/// <summary>The shared signature vectors (vectors/signatures.json, copied from the project's shared folder).</summary>
public static class SignatureVectors
{
    private static readonly Lazy<IReadOnlyList<SignatureVector>> Loaded = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", "signatures.json");
        var file = JsonSerializer.Deserialize<VectorFile>(File.ReadAllBytes(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"{path} is empty");
        return file.Vectors;
    });

    public static IReadOnlyList<SignatureVector> All => Loaded.Value;

    public static SignatureVector Named(string name) => All.Single(vector => vector.Name == name);

    private sealed record VectorFile(IReadOnlyList<SignatureVector> Vectors);
}

public sealed record SignatureVector(
    string Name,
    string Scheme,
    string? Secret,
    IReadOnlyList<string>? Secrets,
    [property: JsonPropertyName("now")] string? NowUnixSeconds,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    string Expect)
{
    [JsonIgnore]
    public IReadOnlyList<string> ActiveSecrets => Secrets ?? [Secret ?? throw new InvalidOperationException($"{Name} has no secret")];

    [JsonIgnore]
    public DateTimeOffset? Now => NowUnixSeconds is null ? null : DateTimeOffset.FromUnixTimeSeconds(long.Parse(NowUnixSeconds, System.Globalization.CultureInfo.InvariantCulture));

    [JsonIgnore]
    public bool ExpectsValid => Expect switch
    {
        "valid" => true,
        "invalid" => false,
        _ => throw new InvalidOperationException($"{Name}: unknown expectation '{Expect}'"),
    };
}

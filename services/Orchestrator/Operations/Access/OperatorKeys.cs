using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Operations.Access;

/// <summary>The configured operator keys, kept as SHA-256 hashes. A presented key is hashed and compared with every one
/// of them in fixed time: the hashes have one length whatever the keys' lengths, so neither a key's length nor how much
/// of it matched shows in the time taken, and the loop never stops early.</summary>
public sealed class OperatorKeys
{
    private readonly (string Operator, byte[] Hash)[] _keys;

    public OperatorKeys(IOptions<OperationsOptions> options) =>
        _keys = [.. options.Value.ApiKeys.Select(entry => (entry.Key, SHA256.HashData(Encoding.UTF8.GetBytes(entry.Value))))];

    public bool IsEmpty => _keys.Length == 0;

    /// <summary>The operator whose key this is, or null.</summary>
    public string? OperatorOf(string presentedKey)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        string? found = null;
        foreach (var (name, hash) in _keys)
        {
            var matches = CryptographicOperations.FixedTimeEquals(presented, hash);
            found = matches && found is null ? name : found;
        }

        return found;
    }
}

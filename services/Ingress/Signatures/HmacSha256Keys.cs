using System.Security.Cryptography;

namespace Automation.Ingress.Signatures;

/// <summary>A source's active HMAC-SHA256 keys, compared against a received MAC in fixed time.</summary>
public sealed class HmacSha256Keys
{
    public const int MacSize = HMACSHA256.HashSizeInBytes;

    private readonly byte[][] _keys;

    public HmacSha256Keys(IEnumerable<byte[]> keys)
    {
        _keys = [.. keys];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("At least one key is needed.", nameof(keys));
        }
    }

    public int Count => _keys.Length;

    /// <summary>True when <paramref name="received"/> is the MAC of <paramref name="body"/> under any key. Every key
    /// is tried, so the time taken does not depend on which one matched.</summary>
    public bool AnyMatches(ReadOnlySpan<byte> received, ReadOnlySpan<byte> body)
    {
        if (received.Length != MacSize)
        {
            return false;
        }

        Span<byte> computed = stackalloc byte[MacSize];
        var matched = false;
        foreach (var key in _keys)
        {
            HMACSHA256.HashData(key, body, computed);
            matched |= CryptographicOperations.FixedTimeEquals(computed, received);
        }

        return matched;
    }

    /// <summary>Computes the MAC of <c>prefix || body</c> under key <paramref name="index"/>, without copying the body.</summary>
    public void ComputeWithPrefix(int index, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _keys[index]);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }

    /// <summary>Decodes exactly <see cref="MacSize"/> bytes of hex (either case); false for any other length or character.</summary>
    public static bool TryDecodeHex(ReadOnlySpan<char> hex, Span<byte> mac) =>
        hex.Length == MacSize * 2
        && Convert.FromHexString(hex, mac, out _, out var written) == System.Buffers.OperationStatus.Done
        && written == MacSize;
}

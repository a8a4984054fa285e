using System.Security.Cryptography;

namespace Sfu.WebRtc.Dtls;

/// <summary>
/// Certificate fingerprints as SDP carries them (RFC 8122 §5: <c>a=fingerprint:hash-func UPPERHEX:UPPERHEX:...</c>).
/// </summary>
public static class DtlsFingerprint
{
    /// <summary>Hashes a DER certificate with an RFC 8122 hash function name; false for unknown names.</summary>
    public static bool TryHash(string algorithm, ReadOnlySpan<byte> der, out byte[] hash)
    {
        hash = algorithm.ToLowerInvariant() switch
        {
            "sha-256" => SHA256.HashData(der),
            "sha-384" => SHA384.HashData(der),
            "sha-512" => SHA512.HashData(der),
            // RFC 8122 §5 still lists sha-1; old endpoints (and some SFUs) announce it.
            "sha-1" => SHA1.HashData(der),
            _ => [],
        };
        return hash.Length != 0;
    }

    /// <summary>"AB:CD:..." with upper-case hex, the form RFC 8122 §5 prescribes.</summary>
    public static string Format(ReadOnlySpan<byte> hash)
    {
        if (hash.IsEmpty)
            return string.Empty;
        return string.Create(hash.Length * 3 - 1, hash.ToArray(), static (chars, bytes) =>
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                if (i > 0)
                    chars[i * 3 - 1] = ':';
                var b = bytes[i];
                chars[i * 3] = HexDigit(b >> 4);
                chars[i * 3 + 1] = HexDigit(b & 0xF);
            }
        });
    }

    /// <summary>
    /// Parses "AB:CD:..." (either case, as browsers and RFC 4572 implementations differ) into bytes.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out byte[] hash)
    {
        hash = [];
        text = text.Trim();
        if (text.Length < 2 || (text.Length + 1) % 3 != 0)
            return false;
        var bytes = new byte[(text.Length + 1) / 3];
        for (var i = 0; i < bytes.Length; i++)
        {
            var at = i * 3;
            if (at + 2 < text.Length && text[at + 2] != ':')
                return false;
            var hi = HexValue(text[at]);
            var lo = HexValue(text[at + 1]);
            if (hi < 0 || lo < 0)
                return false;
            bytes[i] = (byte)(hi << 4 | lo);
        }
        hash = bytes;
        return true;
    }

    private static char HexDigit(int v) => (char)(v < 10 ? '0' + v : 'A' + v - 10);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}

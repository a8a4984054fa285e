using System.Text;

namespace Sfu.WebRtc.Sdp;

/// <summary>
/// <c>a=fingerprint:&lt;hash-func&gt; &lt;fingerprint&gt;</c> (RFC 8122 §5, required for DTLS-SRTP by RFC 8842 §5):
/// the digest of the peer's certificate as upper-case hex pairs joined by ':'. The DTLS layer compares
/// the certificate it receives against this before trusting the keys.
/// </summary>
public sealed record DtlsFingerprint(string Algorithm, string Value)
{
    /// <summary>Digest lengths of the hash functions in RFC 8122's registry; others are accepted with any length.</summary>
    private static readonly Dictionary<string, int> KnownLengths = new(StringComparer.OrdinalIgnoreCase)
    {
        ["md2"] = 16, ["md5"] = 16, ["sha-1"] = 20, ["sha-224"] = 28, ["sha-256"] = 32, ["sha-384"] = 48, ["sha-512"] = 64,
    };

    public override string ToString() => $"fingerprint:{Algorithm} {Value}";

    /// <summary>Builds the attribute for a digest our DTLS stack computed over its certificate.</summary>
    public static DtlsFingerprint FromDigest(string algorithm, ReadOnlySpan<byte> digest)
    {
        var sb = new StringBuilder(digest.Length * 3);
        for (var i = 0; i < digest.Length; i++)
        {
            if (i > 0) sb.Append(':');
            sb.Append(digest[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return new DtlsFingerprint(algorithm.ToLowerInvariant(), sb.ToString());
    }

    /// <summary>The digest bytes. Value was validated as hex pairs at parse time; a hand-built invalid value yields an empty array.</summary>
    public byte[] GetDigest() => TryDecode(Value, out var bytes) ? bytes : Array.Empty<byte>();

    /// <summary>Compares a certificate digest in constant time (the fingerprint is the DTLS trust anchor).</summary>
    public bool Matches(ReadOnlySpan<byte> digest) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(GetDigest(), digest);

    /// <summary>Parses the attribute value, i.e. the text after <c>a=fingerprint:</c>.</summary>
    public static bool TryParse(string value, out DtlsFingerprint? fingerprint, out string? error)
    {
        fingerprint = null;
        var parts = SdpToken.SplitSpaces(value);
        if (parts.Length != 2 || !SdpToken.IsToken(parts[0]))
        {
            error = "a=fingerprint needs '<hash-func> <hex pairs>'";
            return false;
        }
        if (!TryDecode(parts[1], out var digest) || digest.Length == 0)
        {
            error = $"a=fingerprint value is not hex pairs joined by ':' ({Trim(parts[1])})";
            return false;
        }
        if (KnownLengths.TryGetValue(parts[0], out var expected) && digest.Length != expected)
        {
            error = $"a=fingerprint {parts[0]} needs {expected} bytes, got {digest.Length}";
            return false;
        }
        fingerprint = new DtlsFingerprint(parts[0], parts[1]);
        error = null;
        return true;
    }

    private static string Trim(string s) => s.Length <= 40 ? s : s[..40] + "...";

    // RFC 8122 §5 grammar: 2UHEX *(":" 2UHEX). Lower-case hex is accepted too: some stacks emit it.
    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = Array.Empty<byte>();
        if (text.Length < 2 || (text.Length + 1) % 3 != 0) return false;
        var result = new byte[(text.Length + 1) / 3];
        for (var i = 0; i < result.Length; i++)
        {
            var at = i * 3;
            if (i > 0 && text[at - 1] != ':') return false;
            var hi = HexValue(text[at]);
            var lo = HexValue(text[at + 1]);
            if (hi < 0 || lo < 0) return false;
            result[i] = (byte)((hi << 4) | lo);
        }
        bytes = result;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}

using System.Text;

namespace Sfu.WebRtc.Rtp;

/// <summary>
/// Values of the SDES-item extensions (mid, rid, repaired-rid; RFC 9143 §15, RFC 8852 §3): short ASCII strings.
/// Compare without allocating on the packet path; decode to a string only when a new stream is discovered.
/// </summary>
public static class SdesExtensionValue
{
    public static bool Matches(ReadOnlySpan<byte> value, string text)
    {
        if (value.Length != text.Length)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != text[i])
            {
                return false;
            }
        }

        return true;
    }

    public static string ToString(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value);

    /// <summary>Writes <paramref name="text"/> as ASCII; returns bytes written or -1 if it does not fit.</summary>
    public static int Write(Span<byte> dest, string text)
    {
        if (dest.Length < text.Length)
        {
            return -1;
        }

        return Encoding.ASCII.GetBytes(text, dest);
    }
}

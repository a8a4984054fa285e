using System.Globalization;

namespace Sfu.WebRtc.Sdp;

/// <summary>Small lexical checks shared by the attribute parsers; none of them throw.</summary>
internal static class SdpToken
{
    /// <summary>RFC 8866 §9 token-char: visible ASCII except the separators it excludes.</summary>
    public static bool IsToken(string s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
        {
            if (c <= 0x20 || c >= 0x7F) return false;
            if (c is '"' or '(' or ')' or ',' or '/' or ':' or ';' or '<' or '=' or '>' or '?' or '@' or '[' or '\\' or ']' or '{' or '}') return false;
        }
        return true;
    }

    /// <summary>Visible ASCII and no spaces: what most identifiers (ufrag, mid, msid parts) may contain.</summary>
    public static bool IsVisible(string s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
            if (c <= 0x20 || c == 0x7F) return false;
        return true;
    }

    public static bool IsDigits(string s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }

    public static bool TryUInt(string s, out uint value) =>
        uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryULong(string s, out ulong value) =>
        ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryInt(string s, int min, int max, out int value)
    {
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            return true;
        value = 0;
        return false;
    }

    public static bool TryPort(string s, out int port) => TryInt(s, 0, 65535, out port);

    public static string[] SplitSpaces(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string Str(uint v) => v.ToString(CultureInfo.InvariantCulture);
    public static string Str(int v) => v.ToString(CultureInfo.InvariantCulture);
    public static string Str(ulong v) => v.ToString(CultureInfo.InvariantCulture);
    public static string Str(long v) => v.ToString(CultureInfo.InvariantCulture);
}

namespace Sfu.Service.Configuration.Binding;

/// <summary>String checks shared by the binders; each returns the reason a value is bad, or null.</summary>
internal static class Validators
{
    public static string? NonEmpty(string value) => value.Trim().Length == 0 ? "must not be empty" : null;

    public static string? NoWhitespace(string value) =>
        NonEmpty(value) ?? (value.Any(char.IsWhiteSpace) ? $"must not contain spaces, got {SectionReader.Quote(value)}" : null);

    /// <summary>An HTTP header name is an RFC 9110 token.</summary>
    public static string? HeaderName(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c))
            ? null
            : $"expected an HTTP header name, got {SectionReader.Quote(value)}";

    /// <summary>The URL schemes an RTCIceServer accepts (RFC 7064, RFC 7065); browsers reject the rest.</summary>
    public static string? IceUrl(string value)
    {
        var scheme = value.Split(':', 2)[0].ToLowerInvariant();
        return scheme is "stun" or "stuns" or "turn" or "turns" && value.Length > scheme.Length + 1
            ? null
            : $"expected a stun:, stuns:, turn: or turns: URL, got {SectionReader.Quote(value)}";
    }

    public static bool IsTurnUrl(string value) =>
        value.StartsWith("turn:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("turns:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Akka.NET seed addresses carry the actor system name: <c>akka.tcp://sfu@10.0.0.1:4053</c>.</summary>
    public static string? AkkaAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme is "akka.tcp" or "akka"
        && uri.UserInfo.Length > 0
        && uri.Host.Length > 0
        && uri.Port > 0
            ? null
            : $"expected an Akka address like akka.tcp://sfu@10.0.0.1:4053, got {SectionReader.Quote(value)}";

    public static string? HttpUrlOrEmpty(string value) =>
        value.Length == 0 || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? null
            : $"expected an http:// or https:// URL, got {SectionReader.Quote(value)}";

    /// <summary>HS256 needs at least a 256-bit key (RFC 7518 section 3.2); shorter ones are refused by the JWT library too.</summary>
    public static string? JwtSecret(string value) =>
        value.Length is > 0 and < 32 ? $"must be at least 32 characters (HS256 needs a 256-bit key), got {value.Length}" : null;

    /// <summary>SDP fmtp parameters: <c>name=value</c> pairs separated by ';' (RFC 8866 section 6.15).</summary>
    public static string? Fmtp(string value)
    {
        foreach (var part in value.Split(';'))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2 || pair[0].Trim().Length == 0 || pair[1].Trim().Length == 0 || pair[0].Any(char.IsWhiteSpace))
            {
                return $"expected name=value pairs separated by ';', got {SectionReader.Quote(value)}";
            }
        }

        return null;
    }

    /// <summary>The H.264 parameters browsers match on (RFC 6184 section 8.1).</summary>
    public static string? H264Fmtp(string value)
    {
        if (Fmtp(value) is { } reason)
        {
            return reason;
        }

        foreach (var part in value.Split(';'))
        {
            var pair = part.Split('=', 2);
            var name = pair[0].Trim();
            var parameter = pair[1].Trim();
            if (name == "profile-level-id" && !(parameter.Length == 6 && parameter.All(char.IsAsciiHexDigit)))
            {
                return $"profile-level-id must be 6 hex digits, got {SectionReader.Quote(parameter)}";
            }

            if (name == "packetization-mode" && parameter is not ("0" or "1" or "2"))
            {
                return $"packetization-mode must be 0, 1 or 2, got {SectionReader.Quote(parameter)}";
            }
        }

        return null;
    }
}

namespace Sfu.WebRtc.Sdp;

/// <summary>
/// <c>a=ssrc:&lt;ssrc-id&gt; &lt;attribute&gt;[:&lt;value&gt;]</c> (RFC 5576 §4.1), e.g. <c>cname</c> or the legacy
/// <c>msid</c>. Chrome still announces the SSRCs it will send this way (not for rid-based simulcast).
/// </summary>
public sealed record SsrcAttribute(uint Ssrc, string Attribute, string? Value = null)
{
    public override string ToString() => Value is null
        ? $"ssrc:{SdpToken.Str(Ssrc)} {Attribute}"
        : $"ssrc:{SdpToken.Str(Ssrc)} {Attribute}:{Value}";

    public static bool TryParse(string value, out SsrcAttribute? ssrc, out string? error)
    {
        ssrc = null;
        var space = value.IndexOf(' ');
        var idText = space < 0 ? value : value[..space];
        if (!SdpToken.TryUInt(idText, out var id))
        {
            error = $"a=ssrc id '{idText}' is not a 32-bit number";
            return false;
        }
        if (space < 0 || space == value.Length - 1)
        {
            error = "a=ssrc needs '<ssrc> <attribute>[:<value>]'";
            return false;
        }
        var rest = value[(space + 1)..];
        var colon = rest.IndexOf(':');
        var name = colon < 0 ? rest : rest[..colon];
        if (!SdpToken.IsToken(name))
        {
            error = $"a=ssrc attribute name '{name}' is not a token";
            return false;
        }
        ssrc = new SsrcAttribute(id, name, colon < 0 ? null : rest[(colon + 1)..]);
        error = null;
        return true;
    }
}

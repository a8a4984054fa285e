namespace Sfu.WebRtc.Sdp;

/// <summary>
/// <c>a=extmap:&lt;id&gt;[/&lt;direction&gt;] &lt;URI&gt; [&lt;extension attributes&gt;]</c> (RFC 8285 §8):
/// binds an RTP header extension id to its meaning for this m-section.
/// </summary>
public sealed record ExtMap(int Id, string Uri, MediaDirection? Direction = null, string? ExtensionAttributes = null)
{
    public override string ToString()
    {
        var id = Direction is { } d ? $"{SdpToken.Str(Id)}/{d.ToSdp()}" : SdpToken.Str(Id);
        return ExtensionAttributes is null ? $"extmap:{id} {Uri}" : $"extmap:{id} {Uri} {ExtensionAttributes}";
    }

    /// <summary>Parses the attribute value. The id's range against one-/two-byte headers is checked by the caller, which knows about extmap-allow-mixed.</summary>
    public static bool TryParse(string value, out ExtMap? extMap, out string? error)
    {
        extMap = null;
        var parts = value.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            error = "a=extmap needs '<id>[/<direction>] <uri>'";
            return false;
        }
        var idText = parts[0];
        MediaDirection? direction = null;
        var slash = idText.IndexOf('/');
        if (slash >= 0)
        {
            if (!MediaDirectionExtensions.TryParse(idText[(slash + 1)..], out var d))
            {
                error = $"a=extmap direction '{idText[(slash + 1)..]}' is not sendrecv/sendonly/recvonly/inactive";
                return false;
            }
            direction = d;
            idText = idText[..slash];
        }
        // RFC 8285 §5 lets offers use 4096-4351 for ids the answerer must remap; browsers never do, and
        // nothing above 255 can appear on the wire, so anything outside 1..255 is rejected here.
        if (!SdpToken.TryInt(idText, 1, SdpLimits.MaxTwoByteExtensionId, out var id))
        {
            error = $"a=extmap id '{idText}' is not 1..{SdpLimits.MaxTwoByteExtensionId}";
            return false;
        }
        if (!SdpToken.IsVisible(parts[1]))
        {
            error = "a=extmap URI is empty or not printable";
            return false;
        }
        extMap = new ExtMap(id, parts[1], direction, parts.Length == 3 ? parts[2] : null);
        error = null;
        return true;
    }
}

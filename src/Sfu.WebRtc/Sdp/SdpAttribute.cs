namespace Sfu.WebRtc.Sdp;

/// <summary>An <c>a=name[:value]</c> line kept verbatim because no property models it (RFC 8866 §5.13).</summary>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    /// <summary>The text after <c>a=</c>.</summary>
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";

    internal static SdpAttribute FromLine(string lineValue)
    {
        var colon = lineValue.IndexOf(':');
        return colon < 0 ? new SdpAttribute(lineValue) : new SdpAttribute(lineValue[..colon], lineValue[(colon + 1)..]);
    }
}

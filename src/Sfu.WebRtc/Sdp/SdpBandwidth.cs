namespace Sfu.WebRtc.Sdp;

/// <summary><c>b=&lt;bwtype&gt;:&lt;bandwidth&gt;</c> (RFC 8866 §5.8), e.g. AS (kbit/s) or TIAS (bit/s, RFC 3890).</summary>
public sealed record SdpBandwidth(string Type, ulong Value)
{
    public override string ToString() => $"{Type}:{SdpToken.Str(Value)}";

    internal static bool TryParse(string value, out SdpBandwidth? bandwidth, out string? error)
    {
        bandwidth = null;
        var colon = value.IndexOf(':');
        if (colon <= 0 || !SdpToken.IsToken(value[..colon]) || !SdpToken.TryULong(value[(colon + 1)..], out var bw))
        {
            error = $"b= needs '<type>:<number>', got '{value}'";
            return false;
        }
        bandwidth = new SdpBandwidth(value[..colon], bw);
        error = null;
        return true;
    }
}

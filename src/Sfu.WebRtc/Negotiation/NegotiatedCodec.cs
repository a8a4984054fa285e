namespace Sfu.WebRtc.Negotiation;

/// <summary>A codec as agreed on one m-section: payload type, name, clock, fmtp and its RTX payload type if any.</summary>
public sealed record NegotiatedCodec(int PayloadType, string Name, int ClockRate, int Channels, string? Fmtp, IReadOnlyList<string> RtcpFeedback, int? RtxPayloadType)
{
    public bool IsVideo => ClockRate == 90000;
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
}

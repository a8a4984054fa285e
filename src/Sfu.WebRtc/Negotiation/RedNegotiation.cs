using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Negotiation;

/// <summary>
/// Redundant audio (RFC 2198) for Opus, as Chrome offers it: <c>a=rtpmap:63 red/48000/2</c> with
/// <c>a=fmtp:63 111/111</c>, the fmtp listing the payload type of each block (RFC 2198 §5, RFC 8866 §6.15).
/// </summary>
public static class RedNegotiation
{
    /// <summary>The payload type of red toward subscribers: Chrome's own number, free among our fixed ones (<see cref="SubscriberOffer.PayloadTypeFor"/>).</summary>
    public const int SubscriberPayloadType = 63;

    /// <summary>
    /// The offered red codec that carries only <paramref name="primary"/> blocks at its clock rate, as a codec to answer
    /// with (offerer's payload type kept); null when the section offers none. A red whose fmtp names another codec
    /// (or none) is refused: the SFU could not strip it to a payload type the subscriber knows.
    /// </summary>
    public static NegotiatedCodec? Match(MediaDescription m, NegotiatedCodec primary)
    {
        foreach (var c in m.Codecs)
        {
            if (!c.Is("red") || c.ClockRate != primary.ClockRate || !CarriesOnly(c.FmtpRaw, primary.PayloadType)) continue;
            return new NegotiatedCodec(c.PayloadType, c.Name, c.ClockRate, c.Channels ?? 0, c.FmtpRaw, [], null);
        }
        return null;
    }

    /// <summary>The red codec we offer subscribers beside <paramref name="primary"/> (our payload types on both).</summary>
    public static NegotiatedCodec ForSubscriber(NegotiatedCodec primary)
    {
        var pt = SubscriberOffer.PayloadTypeFor(primary);
        return new NegotiatedCodec(SubscriberPayloadType, "red", primary.ClockRate, primary.Channels, $"{pt}/{pt}", [], null);
    }

    /// <summary>
    /// The red payload type the client kept in section <paramref name="index"/> of its answer; null when it answered
    /// without red, and the SFU strips RED to the primary Opus payload for it.
    /// </summary>
    public static int? AcceptedPayloadType(SessionDescription answer, int index)
    {
        if (index >= answer.Media.Count) return null;
        foreach (var c in answer.Media[index].Codecs)
            if (c.Is("red")) return c.PayloadType;
        return null;
    }

    private static bool CarriesOnly(string? fmtp, int payloadType)
    {
        if (string.IsNullOrWhiteSpace(fmtp)) return false;
        var any = false;
        foreach (var part in fmtp.Trim().Split('/'))
        {
            if (!int.TryParse(part, out var pt) || pt != payloadType) return false;
            any = true;
        }
        return any;
    }
}

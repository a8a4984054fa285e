namespace Sfu.WebRtc.Negotiation;

/// <summary>
/// The Opus fmtp parameters the SFU controls (RFC 7587 §6.1): <c>useinbandfec</c> (webrtc.fec) and <c>usedtx</c>
/// (webrtc.dtx). Both are receiver preferences: in our answer to a publisher they tell its encoder to add in-band FEC
/// and to go quiet in silence; in our offer to a subscriber they state what the stream it gets may carry.
/// </summary>
public static class OpusParameters
{
    /// <summary>The given fmtp with useinbandfec and usedtx set per the flags (absent when off), other parameters kept in order.</summary>
    public static string Apply(string? fmtp, bool fec, bool dtx)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(fmtp))
        {
            foreach (var raw in fmtp.Split(';'))
            {
                var p = raw.Trim();
                if (p.Length == 0) continue;
                var key = p.Split('=', 2)[0].Trim();
                if (key.Equals("useinbandfec", StringComparison.OrdinalIgnoreCase) || key.Equals("usedtx", StringComparison.OrdinalIgnoreCase)) continue;
                parts.Add(p);
            }
        }
        if (fec) parts.Add("useinbandfec=1");
        if (dtx) parts.Add("usedtx=1");
        return string.Join(';', parts);
    }

    /// <summary><paramref name="codec"/> with its fmtp adjusted if it is Opus; any other codec unchanged.</summary>
    public static NegotiatedCodec For(NegotiatedCodec codec, bool fec, bool dtx) =>
        codec.Is("opus") ? codec with { Fmtp = Apply(codec.Fmtp, fec, dtx) } : codec;
}

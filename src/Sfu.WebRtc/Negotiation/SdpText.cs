using System.Text;

namespace Sfu.WebRtc.Negotiation;

/// <summary>Line writing shared by our answers and offers; SDP lines end in CRLF (RFC 8866 §5).</summary>
internal static class SdpText
{
    public static StringBuilder Line(this StringBuilder sb, string line) => sb.Append(line).Append("\r\n");

    public static void SessionHeader(StringBuilder sb, ulong sessionId, ulong version, IEnumerable<string> bundleMids)
    {
        sb.Line("v=0")
          .Line($"o=- {sessionId} {version} IN IP4 0.0.0.0")
          .Line("s=-")
          .Line("t=0 0")
          // RFC 8445 §2.5: an ICE-lite agent says so at session level; it never sends checks of its own.
          .Line("a=ice-lite")
          .Line("a=msid-semantic: WMS *");
        var mids = string.Join(' ', bundleMids);
        if (mids.Length > 0) sb.Line($"a=group:BUNDLE {mids}");
        sb.Line("a=extmap-allow-mixed");
    }

    public static void Transport(StringBuilder sb, LocalIceParameters local, string setup, bool withCandidates)
    {
        sb.Line("c=IN IP4 0.0.0.0")
          .Line($"a=ice-ufrag:{local.Ufrag}")
          .Line($"a=ice-pwd:{local.Password}")
          .Line("a=ice-options:trickle")
          .Line($"a=fingerprint:sha-256 {local.Sha256Fingerprint}")
          .Line($"a=setup:{setup}");
        if (!withCandidates) return;
        var foundation = 1;
        foreach (var c in local.Candidates)
        {
            var family = c.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 1 : 0;
            // Host candidate priority per RFC 8445 §5.1.2.1 with type preference 126 (host), component 1.
            var priority = (126u << 24) | ((uint)(65535 - family) << 8) | 255;
            sb.Line($"a=candidate:{foundation++} 1 udp {priority} {c.Address} {c.Port} typ host generation 0");
            if (local.TcpPort is { } tcp)
            {
                var tcpPriority = (125u << 24) | ((uint)(65535 - family) << 8) | 255;
                sb.Line($"a=candidate:{foundation++} 1 tcp {tcpPriority} {c.Address} {tcp} typ host tcptype passive generation 0");
            }
        }
        sb.Line("a=end-of-candidates");
    }

    public static void Codec(StringBuilder sb, int pt, NegotiatedCodec codec, IEnumerable<string> feedback)
    {
        var channels = codec.Channels > 1 ? $"/{codec.Channels}" : "";
        sb.Line($"a=rtpmap:{pt} {codec.Name}/{codec.ClockRate}{channels}");
        foreach (var fb in feedback) sb.Line($"a=rtcp-fb:{pt} {fb}");
        if (!string.IsNullOrEmpty(codec.Fmtp)) sb.Line($"a=fmtp:{pt} {codec.Fmtp}");
    }
}

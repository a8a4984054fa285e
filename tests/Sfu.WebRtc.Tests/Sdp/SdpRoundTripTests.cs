using System.Text;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Sdp;

public class SdpRoundTripTests
{
    public static TheoryData<string> Fixtures => new(SdpFixtures.All);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_write_parse_keeps_every_modeled_fact(string fixture)
    {
        var first = SdpFixtures.Parse(fixture);
        var written = first.ToString();
        var second = SessionDescription.Parse(written);
        Assert.Equal(Facts(first), Facts(second));
        Assert.Equal(written, second.ToString());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Writer_emits_exactly_the_input_lines_in_canonical_order(string fixture)
    {
        // Every fixture line is modeled or kept, so the output is a permutation of the input lines.
        var input = SdpFixtures.Read(fixture).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Order(StringComparer.Ordinal);
        var written = SdpFixtures.Parse(fixture).ToString();
        Assert.EndsWith("\r\n", written);
        Assert.DoesNotContain("\n", written.Replace("\r\n", ""));
        var output = written.Split("\r\n").Where(l => l.Length > 0).Order(StringComparer.Ordinal);
        Assert.Equal(input, output);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Written_sections_follow_canonical_line_order(string fixture)
    {
        var lines = SdpFixtures.Parse(fixture).ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("v=0", lines[0]);
        Assert.StartsWith("o=", lines[1]);
        Assert.StartsWith("s=", lines[2]);
        Assert.StartsWith("t=", lines[3]);
        foreach (var (line, i) in lines.Select((l, i) => (l, i)))
        {
            if (!line.StartsWith("m=")) continue;
            Assert.StartsWith("c=", lines[i + 1]);
        }
    }

    [Fact]
    public void Changing_codecs_rewrites_the_m_line()
    {
        var sdp = SdpFixtures.Parse(SdpFixtures.ChromeAudioVideo);
        var video = sdp.Media[1];
        video.Codecs.RemoveAll(c => !(c.PayloadType is 96 or 97));
        var reparsed = SessionDescription.Parse(sdp.ToString()).Media[1];
        Assert.Equal(["96", "97"], reparsed.Formats);
        Assert.DoesNotContain("a=rtpmap:102", sdp.ToString());
    }

    [Fact]
    public void Built_description_parses_back()
    {
        var sdp = new SessionDescription(Origin.Create(4611686018427387903, 1)) { IceLite = true };
        sdp.Groups.Add(new SdpGroup(SdpGroup.Bundle, ["0"]));
        sdp.Attributes.Add(new SdpAttribute("msid-semantic", " WMS *"));
        var m = new MediaDescription("video", 9, "UDP/TLS/RTP/SAVPF")
        {
            Connection = ConnectionData.Unspecified,
            Mid = "0",
            Direction = MediaDirection.RecvOnly,
            IceUfrag = "sfu1",
            IcePwd = "abcdefghijklmnopqrstuvwx",
            Fingerprint = DtlsFingerprint.FromDigest("SHA-256", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()),
            Setup = DtlsSetup.Passive,
            RtcpMux = true,
            EndOfCandidates = true,
        };
        var vp8 = new RtpCodec(96, "VP8", 90000);
        vp8.RtcpFeedback.AddRange(["nack", "nack pli", "transport-cc"]);
        var rtx = new RtpCodec(97, "rtx", 90000);
        rtx.SetFmtp([new("apt", "96")]);
        m.Codecs.AddRange([vp8, rtx]);
        m.Extensions.Add(new ExtMap(4, RtpExtensionUris.Mid));
        var rid = new RidDescription("h", RidDirection.Recv);
        rid.Restrictions.Add(new("max-width", "640"));
        m.Rids.Add(new RidDescription("q", RidDirection.Recv));
        m.Rids.Add(rid);
        m.Simulcast = SimulcastDescription.TryParse("recv q;~h", out var sc, out _) ? sc : null;
        m.Candidates.Add(IceCandidate.Parse("candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host"));
        sdp.Media.Add(m);

        var text = sdp.ToString();
        var back = SessionDescription.Parse(text);
        var bm = back.Media[0];
        Assert.True(back.IceLite);
        Assert.Equal(["96", "97"], bm.Formats);
        Assert.Equal("00:01:02:03", bm.Fingerprint!.Value[..11]);
        Assert.Equal("sha-256", bm.Fingerprint.Algorithm);
        Assert.True(bm.Fingerprint.Matches(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.False(bm.Fingerprint.Matches(new byte[32]));
        Assert.Equal(96, bm.FindCodec(97)!.Apt);
        Assert.Equal("640", bm.Rids[1].GetRestriction("max-width"));
        Assert.True(bm.Simulcast!.Recv[1][0].Paused);
        Assert.Contains("a=simulcast:recv q;~h\r\n", text);
        Assert.Contains("a=rid:h recv max-width=640\r\n", text);
        Assert.Contains("a=end-of-candidates\r\n", text);
        Assert.Equal(Facts(sdp), Facts(back));
    }

    /// <summary>A textual projection of everything the model exposes, built from properties (not from the writer).</summary>
    internal static string Facts(SessionDescription d)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"origin {d.Origin.Username} {d.Origin.SessionId} {d.Origin.SessionVersion} {d.Origin.Address} name {d.SessionName}");
        sb.AppendLine($"groups {string.Join("|", d.Groups.Select(g => g.Semantics + ":" + string.Join(",", g.Mids)))}");
        sb.AppendLine($"ice {d.IceLite} {d.IceUfrag} {d.IcePwd} {string.Join(",", d.IceOptions)} fp {string.Join(",", d.Fingerprints)} setup {d.Setup} mixed {d.ExtmapAllowMixed} dir {d.Direction}");
        sb.AppendLine($"ext {string.Join(",", d.Extensions)}");
        sb.AppendLine($"attrs {string.Join("|", d.Attributes)}");
        sb.AppendLine($"timing {string.Join(",", d.Timings)} bw {string.Join(",", d.Bandwidths)} c {d.Connection}");
        foreach (var m in d.Media)
        {
            sb.AppendLine($"m {m.Kind} {m.Port} {m.Protocol} [{string.Join(" ", m.EffectiveFormats)}] mid {m.Mid} dir {m.Direction} c {m.Connection}");
            sb.AppendLine($" ice {m.IceUfrag} {m.IcePwd} {string.Join(",", m.IceOptions)} fp {string.Join(",", m.Fingerprints)} setup {m.Setup}");
            sb.AppendLine($" flags mux {m.RtcpMux} muxonly {m.RtcpMuxOnly} rsize {m.RtcpRsize} eoc {m.EndOfCandidates} mixed {m.ExtmapAllowMixed} sctp {m.SctpPort} max {m.MaxMessageSize}");
            foreach (var c in m.Codecs)
                sb.AppendLine($" codec {c.PayloadType} {c.Name}/{c.ClockRate}/{c.Channels} fmtp[{c.FmtpRaw}] fb[{string.Join(",", c.RtcpFeedback)}]");
            sb.AppendLine($" fb* {string.Join(",", m.WildcardRtcpFeedback)}");
            sb.AppendLine($" ext {string.Join(",", m.Extensions)}");
            sb.AppendLine($" msid {string.Join(",", m.Msids)}");
            sb.AppendLine($" ssrc {string.Join(",", m.Ssrcs)}");
            sb.AppendLine($" groups {string.Join(",", m.SsrcGroups)}");
            sb.AppendLine($" rids {string.Join(",", m.Rids)} sim {m.Simulcast}");
            sb.AppendLine($" cands {string.Join(",", m.Candidates)}");
            sb.AppendLine($" other {string.Join("|", m.OtherAttributes)}");
        }
        return sb.ToString();
    }
}

using System.Text;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Sdp;

public class SdpMalformedTests
{
    private static SdpParseException Fails(string sdp)
    {
        var e = Assert.Throws<SdpParseException>(() => SessionDescription.Parse(sdp));
        Assert.False(SessionDescription.TryParse(sdp, out var d, out var error));
        Assert.Null(d);
        Assert.Equal(e.Message, error);
        return e;
    }

    [Fact]
    public void Minimal_base_is_valid()
    {
        var sdp = SessionDescription.Parse(SdpFixtures.Minimal());
        Assert.Equal("opus", Assert.Single(Assert.Single(sdp.Media).Codecs).Name);
    }

    [Theory]
    // line, replacement, expected error line, fragment of the reason
    [InlineData(1, "o=- 1 2 IN IP4 127.0.0.1", 1, "first line must be v=0")]
    [InlineData(1, "v=1", 1, "unsupported SDP version")]
    [InlineData(2, "s=-", 2, "second line must be o=")]
    [InlineData(2, "o=- 1 2 IN IP4", 2, "6 space-separated fields")]
    [InlineData(2, "o=- x 2 IN IP4 127.0.0.1", 2, "session id")]
    [InlineData(3, "t=0 0", 3, "third line must be s=")]
    [InlineData(4, "t=0 zero", 4, "t= needs")]
    [InlineData(4, "x=unknown", 4, "unknown line type")]
    [InlineData(4, "garbage", 4, "expected '<type>=<value>'")]
    [InlineData(5, "a=group:BUNDLE 0 7", 5, "no m-section has it")]
    [InlineData(6, "m=audio 9 UDP/TLS/RTP/SAVPF", 6, "m= needs")]
    [InlineData(6, "m=audio", 6, "m= needs")]
    [InlineData(6, "m=audio nine UDP/TLS/RTP/SAVPF 111", 6, "port 'nine'")]
    [InlineData(6, "m=audio -9 UDP/TLS/RTP/SAVPF 111", 6, "port '-9'")]
    [InlineData(6, "m=audio 70000 UDP/TLS/RTP/SAVPF 111", 6, "port '70000'")]
    [InlineData(6, "m=audio 9 UDP/TLS/RTP/SAVPF opus", 6, "RTP payload type 'opus'")]
    [InlineData(6, "m=audio 9 UDP/TLS/RTP/SAVPF 128", 6, "RTP payload type '128'")]
    [InlineData(6, "m=audio 9 UDP/TLS/RTP/SAVPF 111 111", 6, "twice")]
    [InlineData(6, "m=audio 9 UDP/TLS/RTP/SAVPF 111 96", 6, "dynamic payload type 96 has no a=rtpmap")]
    [InlineData(7, "c=IN IP4", 7, "c= needs")]
    [InlineData(7, "t=0 0", 7, "not allowed in an m-section")]
    [InlineData(8, "a=mid:", 8, "a=mid needs a value")]
    [InlineData(9, "a=rtpmap:111", 9, "a=rtpmap needs")]
    [InlineData(9, "a=rtpmap:111 opus", 9, "encoding 'opus'")]
    [InlineData(9, "a=rtpmap:111 opus/fast/2", 9, "clock rate 'fast'")]
    [InlineData(9, "a=rtpmap:111 opus/48000/0", 9, "channel count '0'")]
    [InlineData(9, "a=rtpmap:128 opus/48000/2", 9, "payload type '128'")]
    [InlineData(9, "a=rtpmap:abc opus/48000/2", 9, "payload type 'abc'")]
    [InlineData(10, "a=extmap:0 urn:x", 10, "a=extmap id '0'")]
    [InlineData(10, "a=extmap:256 urn:x", 10, "a=extmap id '256'")]
    [InlineData(10, "a=extmap:15 urn:x", 10, "without a=extmap-allow-mixed")]
    [InlineData(10, "a=extmap:3/sideways urn:x", 10, "direction 'sideways'")]
    [InlineData(10, "a=fingerprint:sha-256 AB:CD", 10, "needs 32 bytes")]
    [InlineData(10, "a=fingerprint:sha-256 ZZ:00", 10, "not hex pairs")]
    [InlineData(10, "a=fingerprint:sha-256 ABCD", 10, "not hex pairs")]
    [InlineData(10, "a=fingerprint:sha-256", 10, "a=fingerprint needs")]
    [InlineData(10, "a=setup:sometimes", 10, "a=setup 'sometimes'")]
    [InlineData(10, "a=ice-ufrag:abc", 10, "4..256")]
    [InlineData(10, "a=ice-pwd:short", 10, "22..256")]
    [InlineData(10, "a=candidate:1 1 udp 2130706431 127.0.0.1 99999 typ host", 10, "candidate port")]
    [InlineData(10, "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 host", 10, "typ")]
    [InlineData(10, "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host generation", 10, "pairs")]
    [InlineData(10, "a=ssrc:4294967296 cname:x", 10, "a=ssrc id")]
    [InlineData(10, "a=ssrc-group:FID 1 x", 10, "a=ssrc-group ssrc 'x'")]
    [InlineData(10, "a=rid:a.b send", 10, "a=rid id")]
    [InlineData(10, "a=rid:a both", 10, "send or recv")]
    [InlineData(10, "a=simulcast:send a;b", 10, "no a=rid line")]
    [InlineData(10, "a=simulcast:sideways a", 10, "send or recv")]
    [InlineData(9, "a=sendonly\r\na=recvonly", 10, "more than one direction")]
    [InlineData(10, "a=mid:1", 10, "more than one a=mid")]
    [InlineData(10, "a=fmtp:111", 10, "no parameters")]
    [InlineData(10, "a=rtpmap:111 opus/48000/1", 10, "second a=rtpmap")]
    [InlineData(10, "a=msid:", 10, "a=msid needs a value")]
    public void Bad_line_is_reported_with_its_number(int line, string replacement, int expectedLine, string reason)
    {
        var e = Fails(SdpFixtures.Minimal(line, replacement));
        Assert.Equal(expectedLine, e.LineNumber);
        Assert.Contains(reason, e.Reason);
        Assert.Contains($"line {expectedLine}", e.Message);
    }

    [Fact]
    public void Extension_ids_above_14_need_extmap_allow_mixed()
    {
        var withMixed = SdpFixtures.Minimal(4, "t=0 0\r\na=extmap-allow-mixed") + "a=extmap:200 urn:x\r\n";
        Assert.Equal(200, SessionDescription.Parse(withMixed).Media[0].Extensions[0].Id);
        // Media-level extmap-allow-mixed after the extmap line still counts: the check runs when the section ends.
        var mediaLevel = SdpFixtures.Minimal() + "a=extmap:16 urn:x\r\na=extmap-allow-mixed\r\n";
        Assert.Equal(16, SessionDescription.Parse(mediaLevel).Media[0].Extensions[0].Id);
        var e = Fails(SdpFixtures.Minimal() + "a=extmap:4 urn:x\r\na=extmap:4 urn:y\r\n");
        Assert.Equal(12, e.LineNumber);
    }

    [Fact]
    public void Duplicate_mid_across_sections()
    {
        var e = Fails(SdpFixtures.Minimal() + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n");
        Assert.Equal(12, e.LineNumber);
        Assert.Contains("two m-sections", e.Reason);
    }

    [Fact]
    public void Missing_t_line()
    {
        var e = Fails("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n");
        Assert.Equal(4, e.LineNumber);
        Assert.Contains("t=", e.Reason);
        Assert.Equal(3, Fails("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n").LineNumber);
    }

    [Fact]
    public void Empty_and_null_input()
    {
        Assert.Equal(0, Fails("").LineNumber);
        Assert.Equal(0, Fails("\r\n\r\n").LineNumber);
        Assert.Equal(0, Assert.Throws<SdpParseException>(() => SessionDescription.Parse(null!)).LineNumber);
    }

    [Fact]
    public void Huge_input_is_rejected_before_parsing()
    {
        var sb = new StringBuilder(SdpFixtures.Minimal());
        while (sb.Length <= SdpLimits.MaxSdpBytes) sb.Append("a=x-padding:").Append('p', 100).Append("\r\n");
        var e = Fails(sb.ToString());
        Assert.Equal(0, e.LineNumber);
        Assert.Contains("larger than 65536 bytes", e.Reason);

        // Multi-byte UTF-8 counts by bytes: 30k 'é' is 60 KB of UTF-8 in ~30k chars.
        var wide = SdpFixtures.Minimal() + "a=x-name:" + new string('é', 33_000) + "\r\n";
        Assert.True(wide.Length < SdpLimits.MaxSdpBytes);
        Assert.Contains("larger than", Fails(wide).Reason);

        var tenMegabytes = new string('a', 10 * 1024 * 1024);
        Assert.Equal(0, Fails(tenMegabytes).LineNumber);
    }

    [Fact]
    public void More_than_64_m_sections()
    {
        var sb = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (var i = 0; i < 64; i++) sb.Append($"m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:{i}\r\n");
        Assert.Equal(64, SessionDescription.Parse(sb.ToString()).Media.Count);
        sb.Append("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n");
        var e = Fails(sb.ToString());
        Assert.Equal(4 + 64 * 2 + 1, e.LineNumber);
        Assert.Contains("more than 64 m-sections", e.Reason);
    }

    [Fact]
    public void Control_characters_inside_a_line()
    {
        var e = Fails(SdpFixtures.Minimal(8, "a=mid:0\0"));
        Assert.Equal(8, e.LineNumber);
        Assert.Contains("control character 0x00", e.Reason);
    }

    [Fact]
    public void Lenient_on_line_ends_and_trailing_blanks()
    {
        var lf = SdpFixtures.Minimal().Replace("\r\n", "\n");
        Assert.Equal("0", SessionDescription.Parse(lf).Media[0].Mid);
        var noFinalNewline = SdpFixtures.Minimal().TrimEnd();
        Assert.Single(SessionDescription.Parse(noFinalNewline).Media[0].Codecs);
        var trailingSpace = SdpFixtures.Minimal(8, "a=mid:0  ");
        Assert.Equal("0", SessionDescription.Parse(trailingSpace).Media[0].Mid);
    }

    [Fact]
    public void Rejected_section_may_list_payload_types_without_rtpmap()
    {
        var sdp = SessionDescription.Parse(SdpFixtures.Minimal(6, "m=audio 0 UDP/TLS/RTP/SAVPF 111 96"));
        var m = sdp.Media[0];
        Assert.True(m.IsRejected);
        Assert.Equal(["111", "96"], m.Formats);
        Assert.Contains("m=audio 0 UDP/TLS/RTP/SAVPF 111 96\r\n", sdp.ToString());
    }

    [Fact]
    public void Rtpmap_for_unlisted_payload_type_is_kept_verbatim()
    {
        var sdp = SessionDescription.Parse(SdpFixtures.Minimal() + "a=rtpmap:100 VP8/90000\r\na=fmtp:100 x=1\r\na=rtcp-fb:100 nack\r\n");
        var m = sdp.Media[0];
        Assert.Single(m.Codecs);
        Assert.Equal(["rtpmap:100 VP8/90000", "fmtp:100 x=1", "rtcp-fb:100 nack"], m.OtherAttributes.Select(a => a.ToString()));
    }

    [Fact]
    public void Wildcard_rtcp_feedback()
    {
        var sdp = SessionDescription.Parse(SdpFixtures.Minimal() + "a=rtcp-fb:* nack\r\n");
        Assert.Equal(["nack"], sdp.Media[0].WildcardRtcpFeedback);
        Assert.Contains("a=rtcp-fb:* nack\r\n", sdp.ToString());
    }
}

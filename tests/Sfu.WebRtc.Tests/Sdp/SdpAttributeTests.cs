using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Sdp;

public class SdpAttributeTests
{
    [Theory]
    [InlineData("candidate:842163049 1 udp 1677729535 186.50.9.10 52200 typ srflx raddr 0.0.0.0 rport 0 generation 0 network-cost 999")]
    [InlineData("candidate:1 1 UDP 2122252543 192.168.8.221 54925 typ host")]
    [InlineData("candidate:1560499547 1 udp 2113937151 2cf0b2c0-0842-4fe3-aaa0-4556a2dfbadc.local 33192 typ host generation 0 network-cost 999")]
    [InlineData("candidate:750991856 2 udp 25108222 237.30.30.30 51472 typ relay raddr 47.61.61.61 rport 54763 generation 0 ufrag PWwO")]
    public void Candidate_round_trips(string text)
    {
        var c = IceCandidate.Parse(text);
        Assert.Equal(text, c.ToString());
        Assert.Equal(text, IceCandidate.Parse("a=" + text).ToString());
    }

    [Fact]
    public void Candidate_fields()
    {
        var c = IceCandidate.Parse("candidate:842163049 1 udp 1677729535 186.50.9.10 52200 typ srflx raddr 192.168.0.196 rport 36768 generation 0 ufrag gydc");
        Assert.Equal("srflx", c.Type);
        Assert.Equal("192.168.0.196", c.RelatedAddress);
        Assert.Equal(36768, c.RelatedPort);
        Assert.Equal("gydc", c.GetExtension("ufrag"));
        Assert.Null(c.TcpType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("candidate:")]
    [InlineData("1 1 udp 1 1.2.3.4 5 typ host")]
    [InlineData("candidate:1 0 udp 1 1.2.3.4 5 typ host")]
    [InlineData("candidate:1 1 udp -1 1.2.3.4 5 typ host")]
    [InlineData("candidate:ThisFoundationIsLongerThan32Chars 1 udp 1 1.2.3.4 5 typ host")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 typ host rport x")]
    public void Candidate_rejects(string text)
    {
        Assert.False(IceCandidate.TryParse(text, out var c, out var error));
        Assert.Null(c);
        Assert.NotNull(error);
        Assert.Throws<SdpParseException>(() => IceCandidate.Parse(text));
    }

    [Fact]
    public void Fingerprint_digest_and_case()
    {
        Assert.True(DtlsFingerprint.TryParse("sha-1 4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:19:e5:7c:ab", out var f, out _));
        Assert.Equal(20, f!.GetDigest().Length);
        Assert.Equal(0x4A, f.GetDigest()[0]);
        Assert.False(DtlsFingerprint.TryParse("sha-1 4A:AD", out _, out var error));
        Assert.Contains("20 bytes", error);
        Assert.True(DtlsFingerprint.TryParse("x-new-hash 01:02:03", out _, out _));
        Assert.False(DtlsFingerprint.TryParse("sha-256 01:02:", out _, out _));
        Assert.False(DtlsFingerprint.TryParse("sha-256 01::02", out _, out _));
    }

    [Fact]
    public void Rid_with_payload_types_and_restrictions()
    {
        Assert.True(RidDescription.TryParse("hi send pt=96,97;max-width=1280;max-height=720;max-fps=30", out var rid, out _));
        Assert.Equal([96, 97], rid!.PayloadTypes);
        Assert.Equal("1280", rid.GetRestriction("max-width"));
        Assert.Equal("30", rid.GetRestriction("max-fps"));
        Assert.Equal("rid:hi send pt=96,97;max-width=1280;max-height=720;max-fps=30", rid.ToString());
        Assert.False(RidDescription.TryParse("hi send pt=300", out _, out _));
        Assert.False(RidDescription.TryParse("hi send pt", out _, out _));
    }

    [Fact]
    public void Simulcast_alternatives_and_paused_streams()
    {
        // RFC 8853 §5.1's example shape: two send streams (the first with two alternatives) and a paused recv stream.
        Assert.True(SimulcastDescription.TryParse("send 1,2;3 recv ~4", out var sc, out _));
        Assert.Equal(2, sc!.Send.Count);
        Assert.Equal(["1", "2"], sc.Send[0].Select(s => s.Rid));
        Assert.Equal(["1", "3"], sc.SendRids);
        Assert.True(sc.Recv[0][0].Paused);
        Assert.Equal("simulcast:send 1,2;3 recv ~4", sc.ToString());
        Assert.True(SimulcastDescription.TryParse(" send a;b", out var legacy, out _));
        Assert.Equal(["a", "b"], legacy!.SendRids);
        Assert.False(SimulcastDescription.TryParse("send a recv b send c", out _, out _));
        Assert.False(SimulcastDescription.TryParse("send a;;b", out _, out _));
        Assert.False(SimulcastDescription.TryParse("send a send b", out _, out _));
    }

    [Fact]
    public void Extmap_direction_and_attributes()
    {
        Assert.True(ExtMap.TryParse("6/recvonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", out var e, out _));
        Assert.Equal(MediaDirection.RecvOnly, e!.Direction);
        Assert.Equal("extmap:6/recvonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", e.ToString());
        Assert.True(ExtMap.TryParse("1 urn:ietf:params:rtp-hdrext:encrypt urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on", out var enc, out _));
        Assert.Equal("urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on", enc!.ExtensionAttributes);
    }

    [Fact]
    public void Fmtp_is_derived_from_raw_text()
    {
        var codec = new RtpCodec(102, "H264", 90000) { FmtpRaw = "level-asymmetry-allowed=1; packetization-mode=1 ;profile-level-id=42e01f" };
        Assert.Equal("1", codec.GetFmtp("Packetization-Mode"));
        Assert.Equal("42e01f", codec.Fmtp["profile-level-id"]);
        codec.SetFmtp([new("packetization-mode", "0")]);
        Assert.Equal("packetization-mode=0", codec.FmtpRaw);
        Assert.Null(codec.GetFmtp("profile-level-id"));
        codec.FmtpRaw = "";
        Assert.Null(codec.FmtpRaw);
        Assert.Empty(codec.Fmtp);
    }

    [Fact]
    public void Direction_helpers()
    {
        Assert.Equal(MediaDirection.RecvOnly, MediaDirection.SendOnly.Reverse());
        Assert.Equal(MediaDirection.Inactive, MediaDirection.Inactive.Reverse());
        Assert.True(MediaDirection.SendRecv.Sends());
        Assert.False(MediaDirection.RecvOnly.Sends());
    }
}

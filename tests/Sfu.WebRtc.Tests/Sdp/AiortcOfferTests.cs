using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Sdp;

/// <summary>An offer from aiortc 1.4.0 (the project's Python test peer), captured on this machine.</summary>
public class AiortcOfferTests
{
    private readonly SessionDescription _sdp = SdpFixtures.Parse(SdpFixtures.Aiortc);

    [Fact]
    public void Sections_and_transport()
    {
        Assert.Equal(["0", "1", "2"], _sdp.BundleGroup);
        Assert.Equal(["audio", "video", "application"], _sdp.Media.Select(m => m.Kind));
        Assert.False(_sdp.ExtmapAllowMixed);
        Assert.Equal([MediaDirection.SendRecv, MediaDirection.RecvOnly], _sdp.Media.Take(2).Select(m => m.Direction));
        // aiortc writes a distinct ufrag per section even though they are bundled.
        Assert.Equal(3, _sdp.Media.Select(m => m.IceUfrag).Distinct().Count());
        Assert.All(_sdp.Media, m => Assert.True(m.EndOfCandidates));
        Assert.All(_sdp.Media, m => Assert.Equal(DtlsSetup.ActPass, m.Setup));
        var candidate = Assert.Single(_sdp.Media[0].Candidates);
        Assert.Equal(32, candidate.Foundation.Length);
        Assert.Equal("127.0.0.1", candidate.Address);
        Assert.Equal(_sdp.Media[0].Port, candidate.Port);
    }

    [Fact]
    public void Codecs_and_extensions()
    {
        var audio = _sdp.Media[0];
        Assert.Equal(["opus", "PCMU", "PCMA"], audio.Codecs.Select(c => c.Name));
        Assert.Equal(1, audio.GetExtensionId(RtpExtensionUris.Mid));
        var video = _sdp.Media[1];
        Assert.Equal([97, 98, 99, 100, 101, 102], video.Codecs.Select(c => c.PayloadType));
        Assert.Equal(["nack", "nack pli", "goog-remb"], video.FindCodec(97)!.RtcpFeedback);
        Assert.Equal(98, video.FindRtxFor(97)!.PayloadType);
        Assert.Equal("1", video.FindCodec(99)!.GetFmtp("packetization-mode"));
        Assert.Equal(2, video.SsrcIds.Count);
        Assert.Equal(video.SsrcIds[1], video.RtxSsrcFor(video.SsrcIds[0]));
    }

    [Fact]
    public void Legacy_sctpmap_data_channel_is_kept()
    {
        // Pre-RFC 8841 form: "DTLS/SCTP <port>" with a=sctpmap, still what aiortc 1.4 offers.
        var data = _sdp.Media[2];
        Assert.Equal("DTLS/SCTP", data.Protocol);
        Assert.Equal(["5000"], data.Formats);
        Assert.True(data.IsDataChannel);
        Assert.Null(data.SctpPort);
        Assert.Equal(65536UL, data.MaxMessageSize);
        Assert.Contains(data.OtherAttributes, a => a.Name == "sctpmap" && a.Value == "5000 webrtc-datachannel 65535");
    }
}

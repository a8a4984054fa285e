using System.Net;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Sdp;

namespace Sfu.Streams.Tests.Recovery;

/// <summary>The subscriber offer's RTX (RFC 4588 §8): an rtx payload type per video codec and an FID group, and reading the answer.</summary>
public class SubscriberOfferRtxTests
{
    private static readonly LocalIceParameters Local = new("serverufrag12345", "serverpassword0123456789abcdef01",
        "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
        [new IPEndPoint(IPAddress.Loopback, 10000)]);

    private static readonly NegotiatedCodec Opus = new(109, "opus", 48000, 2, "minptime=10;useinbandfec=1", [], null);
    private static readonly NegotiatedCodec Vp8 = new(120, "VP8", 90000, 0, null, ["nack", "nack pli"], 124);
    private static readonly NegotiatedCodec H264 = new(126, "H264", 90000, 0, "packetization-mode=1", ["nack"], 127);

    private static string Offer() => SubscriberOffer.Create(
    [
        new("0", "audio", "PA_alice", "TR_a", 1111, Opus, true, RtxSsrc: 9999),
        new("1", "video", "PA_alice", "TR_v", 2222, Vp8, true, RtxSsrc: 3333),
        new("2", "video", "PA_bob", "TR_h", 4444, H264, true, RtxSsrc: 5555),
        new("3", "video", "PA_carol", "TR_x", 6666, Vp8, true),
    ], Local, 7, 2, "cname");

    [Fact]
    public void Video_sections_offer_rtx_with_apt_and_an_fid_group()
    {
        var offer = SessionDescription.Parse(Offer());
        var vp8 = offer.Media[1];
        Assert.Equal(new[] { 96, 97 }, vp8.Codecs.Select(c => c.PayloadType));
        Assert.True(vp8.Codecs[1].Is("rtx"));
        Assert.Equal(96, vp8.Codecs[1].Apt);
        var fid = Assert.Single(vp8.SsrcGroups, g => g.Semantics == "FID");
        Assert.Equal(new uint[] { 2222, 3333 }, fid.Ssrcs);
        Assert.Contains(vp8.Ssrcs, s => s.Ssrc == 3333 && s.Attribute == "cname");
        Assert.Equal(new[] { 102, 103 }, offer.Media[2].Codecs.Select(c => c.PayloadType));
        Assert.Equal(102, offer.Media[2].Codecs[1].Apt);
    }

    [Fact]
    public void Audio_and_sections_without_an_rtx_ssrc_offer_no_rtx()
    {
        var offer = SessionDescription.Parse(Offer());
        Assert.Equal(new[] { 111 }, offer.Media[0].Codecs.Select(c => c.PayloadType));
        Assert.Empty(offer.Media[0].SsrcGroups);
        Assert.Equal(new[] { 96 }, offer.Media[3].Codecs.Select(c => c.PayloadType));
        Assert.Empty(offer.Media[3].SsrcGroups);
    }

    [Fact]
    public void Answer_that_keeps_rtx_gives_its_payload_type_one_that_drops_it_gives_none()
    {
        // A recvonly answer as a browser writes it: our payload types, no SSRCs of its own.
        var answerText = string.Join("\r\n", Offer().Split("\r\n")
            .Where(l => !l.StartsWith("a=ssrc", StringComparison.Ordinal) && !l.StartsWith("a=msid:", StringComparison.Ordinal))
            .Select(l => l.Replace("a=sendonly", "a=recvonly").Replace("a=setup:actpass", "a=setup:active")));
        var answer = SessionDescription.Parse(answerText);
        Assert.Null(SubscriberOffer.AcceptedRtxPayloadType(answer, 0, Opus));
        Assert.Equal(97, SubscriberOffer.AcceptedRtxPayloadType(answer, 1, Vp8));
        Assert.Equal(103, SubscriberOffer.AcceptedRtxPayloadType(answer, 2, H264));
        Assert.Null(SubscriberOffer.AcceptedRtxPayloadType(answer, 3, Vp8));
        Assert.Null(SubscriberOffer.AcceptedRtxPayloadType(answer, 9, Vp8));

        var withoutRtx = SessionDescription.Parse(answerText.Replace("m=video 9 UDP/TLS/RTP/SAVPF 96 97", "m=video 9 UDP/TLS/RTP/SAVPF 96")
            .Replace("a=rtpmap:97 rtx/90000\r\n", "").Replace("a=fmtp:97 apt=96\r\n", ""));
        Assert.Null(SubscriberOffer.AcceptedRtxPayloadType(withoutRtx, 1, Vp8));
    }
}

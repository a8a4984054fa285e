using System.Net;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Negotiation;

public class PublisherAnswerTests
{
    private static readonly LocalIceParameters Local = new("serverufrag12345", "serverpassword0123456789abcdef01",
        "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
        [new IPEndPoint(IPAddress.Loopback, 10000)]);

    private static SessionDescription Fixture(string name) =>
        SessionDescription.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sdp", name)));

    private static PublisherNegotiation Answer(string fixture) =>
        PublisherAnswer.Create(Fixture(fixture), Local, CodecPreference.Defaults, 42, 1, maxTracks: 16);

    [Fact]
    public void Chrome_offer_gets_a_recvonly_ice_lite_answer_with_our_credentials()
    {
        var n = Answer("chrome-offer-audio-video.sdp");
        var answer = SessionDescription.Parse(n.AnswerSdp);
        Assert.True(answer.IceLite);
        // The fixture has audio+video (sendrecv), a second audio (sendonly) and a data channel.
        Assert.Equal(4, answer.Media.Count);
        Assert.Equal(0, answer.Media[3].Port);
        Assert.All(answer.Media.Take(3), m =>
        {
            Assert.Equal(MediaDirection.RecvOnly, m.Direction);
            Assert.Equal(DtlsSetup.Passive, m.EffectiveSetup(answer));
            Assert.Equal("serverufrag12345", m.EffectiveIceUfrag(answer));
            Assert.True(m.RtcpMux);
        });
        Assert.Equal(new[] { "0", "1", "2" }, answer.BundleGroup);
        Assert.Equal(3, n.Tracks.Count);
        var candidate = Assert.Single(answer.Media[0].Candidates);
        Assert.Equal("127.0.0.1", candidate.Address);
        Assert.Equal(10000, candidate.Port);
        Assert.Equal(DtlsRole.Server, n.Remote.OurRole);
    }

    [Fact]
    public void Codecs_follow_our_preference_and_keep_the_offerers_payload_types()
    {
        var offer = Fixture("chrome-offer-audio-video.sdp");
        var n = PublisherAnswer.Create(offer, Local, CodecPreference.Defaults, 1, 1, 16);
        var video = n.Tracks.Single(t => t.Kind == "video");
        Assert.Equal("VP8", video.Codecs[0].Name);
        var offeredVp8 = offer.Media[1].Codecs.First(c => c.Is("VP8")).PayloadType;
        Assert.Equal(offeredVp8, video.Codecs[0].PayloadType);
        Assert.NotNull(video.Codecs[0].RtxPayloadType);
        Assert.All(video.Codecs.Where(c => c.Is("H264")), c => Assert.Contains("packetization-mode=1", c.Fmtp));
        Assert.All(n.Tracks.Where(t => t.Kind == "audio"), a => Assert.Equal("opus", a.Codecs.Single().Name, ignoreCase: true));
    }

    [Fact]
    public void Tracks_carry_msid_ssrcs_and_extension_ids_from_the_offer()
    {
        var offer = Fixture("chrome-offer-audio-video.sdp");
        var n = PublisherAnswer.Create(offer, Local, CodecPreference.Defaults, 1, 1, 16);
        var video = n.Tracks.Single(t => t.Kind == "video");
        var m = offer.Media[1];
        Assert.Equal(m.Msids[0].TrackId, video.TrackId);
        Assert.Contains(m.SsrcGroups.Single(g => g.Semantics == "FID").Ssrcs[0], video.Ssrcs);
        Assert.Single(video.RtxSsrcs);
        Assert.Equal(m.GetExtensionId(Sfu.WebRtc.Rtp.RtpExtensionUris.Mid), video.ExtensionIds[Sfu.WebRtc.Rtp.RtpExtensionUris.Mid]);
    }

    [Fact]
    public void Simulcast_offer_is_mirrored_as_recv_rids()
    {
        var n = Answer("chrome-offer-simulcast.sdp");
        var answer = SessionDescription.Parse(n.AnswerSdp);
        var video = answer.Media.Single(m => m.Kind == "video");
        Assert.NotNull(video.Simulcast);
        Assert.All(video.Rids, r => Assert.Equal(RidDirection.Recv, r.Direction));
        var track = n.Tracks.Single(t => t.Kind == "video");
        Assert.Equal(3, track.Rids.Count);
    }

    [Fact]
    public void Firefox_offer_with_session_level_fingerprint_is_answered()
    {
        var n = Answer("firefox-offer.sdp");
        Assert.Equal(2, n.Tracks.Count);
        Assert.Equal("sha-256", n.Remote.FingerprintAlgorithm, ignoreCase: true);
        SessionDescription.Parse(n.AnswerSdp);
    }

    [Fact]
    public void Aiortc_offer_with_per_section_credentials_is_answered_with_credentials_everywhere()
    {
        var n = Answer("aiortc-offer.sdp");
        var answer = SessionDescription.Parse(n.AnswerSdp);
        Assert.All(answer.Media, m => Assert.NotNull(m.IceUfrag));
    }

    [Fact]
    public void Data_channel_and_sections_without_a_forwarded_codec_are_rejected_and_left_out_of_bundle()
    {
        var offer = Fixture("chrome-offer-audio-video.sdp");
        var data = new MediaDescription("video", 9, "UDP/TLS/RTP/SAVPF") { Mid = "9" };
        data.Codecs.Add(new RtpCodec(35, "MPV", 90000));
        offer.Media.Add(data);
        var n = PublisherAnswer.Create(offer, Local, CodecPreference.Defaults, 1, 1, 16);
        var answer = SessionDescription.Parse(n.AnswerSdp);
        Assert.Equal(0, answer.Media[3].Port);
        Assert.DoesNotContain("3", answer.BundleGroup!);
        Assert.Equal(0, answer.Media[4].Port);
        Assert.DoesNotContain("9", answer.BundleGroup!);
    }

    [Fact]
    public void Track_limit_answers_extra_sections_inactive()
    {
        var n = PublisherAnswer.Create(Fixture("chrome-offer-audio-video.sdp"), Local, CodecPreference.Defaults, 1, 1, maxTracks: 1);
        Assert.Single(n.Tracks);
        var answer = SessionDescription.Parse(n.AnswerSdp);
        Assert.Equal(MediaDirection.Inactive, answer.Media[1].Direction);
    }

    [Fact]
    public void Transport_cc_is_answered_when_offered_so_the_publisher_runs_its_own_estimate()
    {
        var offer = Fixture("chrome-offer-audio-video.sdp");
        var n = PublisherAnswer.Create(offer, Local, CodecPreference.Defaults, 1, 1, 16);
        var answer = SessionDescription.Parse(n.AnswerSdp);
        var uri = Sfu.WebRtc.Rtp.RtpExtensionUris.TransportWideCc;
        foreach (var (m, offered) in answer.Media.Take(3).Zip(offer.Media))
        {
            Assert.Equal(offered.GetExtensionId(uri), m.GetExtensionId(uri));
            var primary = m.Codecs.First(c => !c.Name.Equals("rtx", StringComparison.OrdinalIgnoreCase) && !c.Name.Equals("red", StringComparison.OrdinalIgnoreCase));
            Assert.Contains("transport-cc", primary.RtcpFeedback);
            if (m.Kind == "audio") Assert.Equal(["transport-cc"], primary.RtcpFeedback);
            else Assert.Contains("goog-remb", primary.RtcpFeedback);
        }
        var video = n.Tracks.Single(t => t.Kind == "video");
        Assert.Equal(3, video.ExtensionIds[uri]);
    }

    [Fact]
    public void Transport_cc_off_leaves_the_extension_and_feedback_out()
    {
        var n = PublisherAnswer.Create(Fixture("chrome-offer-audio-video.sdp"), Local, CodecPreference.Defaults, 1, 1, 16, transportCc: false);
        Assert.DoesNotContain("transport-cc", n.AnswerSdp);
        Assert.DoesNotContain(Sfu.WebRtc.Rtp.RtpExtensionUris.TransportWideCc, n.AnswerSdp);
        Assert.All(n.Tracks, t => Assert.False(t.ExtensionIds.ContainsKey(Sfu.WebRtc.Rtp.RtpExtensionUris.TransportWideCc)));
    }

    [Fact]
    public void Offer_with_transport_cc_feedback_but_no_extension_gets_no_transport_cc()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sdp", "chrome-offer-audio-video.sdp"));
        var stripped = string.Join("\r\n", text.Split("\r\n").Where(l => !l.Contains("transport-wide-cc")));
        var n = PublisherAnswer.Create(SessionDescription.Parse(stripped), Local, CodecPreference.Defaults, 1, 1, 16);
        Assert.DoesNotContain("transport-cc", n.AnswerSdp);
    }

    [Fact]
    public void Offer_without_fingerprint_is_refused()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sdp", "chrome-offer-audio-video.sdp"));
        var stripped = string.Join("\r\n", text.Split("\r\n").Where(l => !l.StartsWith("a=fingerprint")));
        Assert.Throws<NegotiationException>(() => PublisherAnswer.Create(SessionDescription.Parse(stripped), Local, CodecPreference.Defaults, 1, 1, 16));
    }
}

public class PublisherAnswerNackTests
{
    [Fact]
    public void With_nack_off_neither_nack_nor_rtx_is_negotiated_but_pli_is()
    {
        var local = new LocalIceParameters("serverufrag12345", "serverpassword0123456789abcdef01",
            "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99", []);
        var offer = SessionDescription.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sdp", "chrome-offer-audio-video.sdp")));
        var n = PublisherAnswer.Create(offer, local, CodecPreference.Defaults, 1, 1, 16, nack: false);
        var video = n.Tracks.Single(t => t.Kind == "video").Codecs[0];
        Assert.DoesNotContain("nack", video.RtcpFeedback);
        Assert.Contains("nack pli", video.RtcpFeedback);
        Assert.Null(video.RtxPayloadType);
    }
}

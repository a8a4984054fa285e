using System.Net;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Negotiation;

/// <summary>flexfec-03 (video FEC on its own SSRC) on both legs, from a real Chromium offer.</summary>
public class FlexFecNegotiationTests
{
    private static readonly LocalIceParameters Local = new("serverufrag12345", "serverpassword0123456789abcdef01",
        "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
        [new IPEndPoint(IPAddress.Loopback, 10000)]);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sdp", name));

    private static (SessionDescription Answer, PublisherNegotiation Negotiation) Answer(string fixture, bool fec)
    {
        var n = PublisherAnswer.Create(SessionDescription.Parse(Fixture(fixture)), Local, CodecPreference.Defaults, 1, 1, 16, fec: fec);
        return (SessionDescription.Parse(n.AnswerSdp), n);
    }

    [Fact]
    public void Chrome_flexfec_is_answered_after_the_media_codecs_when_fec_is_on()
    {
        var (answer, n) = Answer("chrome-offer-video-flexfec.sdp", fec: true);
        var video = answer.Media[0];
        Assert.Equal("VP8", video.Codecs[0].Name);
        Assert.Equal("49", video.Formats[^1]);
        var ff = video.Codecs.Single(c => c.Is("flexfec-03"));
        Assert.Equal("repair-window=10000000", ff.FmtpRaw);
        var track = Assert.Single(n.Tracks);
        Assert.Equal(49, track.FlexFec?.PayloadType);
        Assert.Equal(328712032u, track.FecSsrc);
        // The FEC SSRC is not a media stream of the track.
        Assert.Equal([1099141497u], track.Ssrcs);
        Assert.DoesNotContain(track.Codecs, c => c.Is("flexfec-03"));
        Assert.DoesNotContain(video.Codecs, c => c.Is("ulpfec") || c.Is("red"));
    }

    [Fact]
    public void With_fec_off_flexfec_is_not_answered()
    {
        var (answer, n) = Answer("chrome-offer-video-flexfec.sdp", fec: false);
        Assert.DoesNotContain(answer.Media[0].Codecs, c => c.Is("flexfec-03"));
        Assert.Null(n.Tracks[0].FlexFec);
        Assert.Null(n.Tracks[0].FecSsrc);
    }

    [Fact]
    public void Offers_without_flexfec_and_simulcast_offers_get_none()
    {
        foreach (var fixture in new[] { "chrome-offer-audio-video.sdp", "chrome-offer-simulcast.sdp" })
        {
            var (answer, n) = Answer(fixture, fec: true);
            Assert.All(answer.Media, m => Assert.DoesNotContain(m.Codecs, c => c.Is("flexfec-03")));
            Assert.All(n.Tracks, t => Assert.Null(t.FlexFec));
        }
    }

    [Fact]
    public void A_simulcast_section_offering_flexfec_is_answered_without_it()
    {
        var offer = SessionDescription.Parse(Fixture("chrome-offer-video-flexfec.sdp"));
        offer.Media[0].SsrcGroups.Add(new SsrcGroup(SsrcGroup.Sim, [1u, 2u, 3u]));
        Assert.Null(FlexFecNegotiation.Match(offer.Media[0]));
    }

    [Fact]
    public void Subscriber_offer_carries_flexfec_and_the_fec_fr_group_only_when_asked()
    {
        var vp8 = new NegotiatedCodec(96, "VP8", 90000, 0, null, [], null);
        var sections = new List<SubscriberSection>
        {
            new("0", "video", "PA_a", "TR_a", 1111, vp8, true, 2222) { FecSsrc = 3333 },
            new("1", "video", "PA_b", "TR_b", 4444, vp8, true, 5555),
        };
        var offer = SessionDescription.Parse(SubscriberOffer.Create(sections, Local, 1, 1, "cname"));
        var protectedSection = offer.Media[0];
        Assert.Equal(["96", "97", "49"], protectedSection.Formats);
        Assert.Equal("repair-window=10000000", protectedSection.Codecs.Single(c => c.Is("flexfec-03")).FmtpRaw);
        var group = protectedSection.SsrcGroups.Single(g => g.Semantics == SsrcGroup.FecFr);
        Assert.Equal([1111u, 3333u], group.Ssrcs);
        Assert.Contains(protectedSection.Ssrcs, s => s.Ssrc == 3333 && s.Attribute == "cname");
        Assert.DoesNotContain(offer.Media[1].Codecs, c => c.Is("flexfec-03"));
        Assert.DoesNotContain(offer.Media[1].SsrcGroups, g => g.Semantics == SsrcGroup.FecFr);
    }

    [Fact]
    public void Accepted_payload_type_reads_the_answer()
    {
        var withFec = SessionDescription.Parse(Fixture("chrome-offer-video-flexfec.sdp"));
        Assert.Equal(49, FlexFecNegotiation.AcceptedPayloadType(withFec, 0));
        Assert.Null(FlexFecNegotiation.AcceptedPayloadType(withFec, 1));
        Assert.Null(FlexFecNegotiation.AcceptedPayloadType(SessionDescription.Parse(Fixture("chrome-offer-audio-video.sdp")), 1));
    }
}

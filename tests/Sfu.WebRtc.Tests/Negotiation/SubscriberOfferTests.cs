using System.Net;
using Sfu.WebRtc.Dtls;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Negotiation;

public class SubscriberOfferTests
{
    private static readonly LocalIceParameters Local = new("serverufrag12345", "serverpassword0123456789abcdef01",
        "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
        [new IPEndPoint(IPAddress.Loopback, 10000)]);

    private static readonly NegotiatedCodec Opus = new(109, "opus", 48000, 2, "minptime=10;useinbandfec=1", [], null);
    private static readonly NegotiatedCodec Vp8 = new(120, "VP8", 90000, 0, null, ["nack", "nack pli"], 124);

    [Fact]
    public void Offer_has_one_sendonly_section_per_track_with_msid_and_ssrc()
    {
        var sections = new List<SubscriberSection>
        {
            new("0", "audio", "PA_alice", "TR_a", 1111, Opus, true),
            new("1", "video", "PA_alice", "TR_v", 2222, Vp8, true),
        };
        var offer = SessionDescription.Parse(SubscriberOffer.Create(sections, Local, 7, 2, "cname"));
        Assert.Equal(new[] { "0", "1" }, offer.BundleGroup);
        Assert.All(offer.Media, m => Assert.Equal(MediaDirection.SendOnly, m.Direction));
        Assert.Equal(DtlsSetup.ActPass, offer.Media[0].EffectiveSetup(offer));
        Assert.Equal("PA_alice", offer.Media[1].Msids[0].StreamId);
        Assert.Equal("TR_v", offer.Media[1].Msids[0].TrackId);
        Assert.Equal(2222u, offer.Media[1].Ssrcs[0].Ssrc);
        // Our fixed payload types, whatever the publisher used.
        Assert.Equal(96, offer.Media[1].Codecs.Single().PayloadType);
        Assert.Equal(111, offer.Media[0].Codecs.Single().PayloadType);
    }

    [Fact]
    public void Retired_sections_stay_inactive_without_msid()
    {
        var sections = new List<SubscriberSection> { new("0", "video", "PA_bob", "TR_v", 3, Vp8, false) };
        var offer = SessionDescription.Parse(SubscriberOffer.Create(sections, Local, 7, 3, "c"));
        Assert.Equal(MediaDirection.Inactive, offer.Media[0].Direction);
        Assert.Empty(offer.Media[0].Msids);
    }

    [Fact]
    public void Chrome_answer_gives_us_the_dtls_server_role()
    {
        var answer = SessionDescription.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sdp", "chrome-answer-to-server-offer.sdp")));
        var offered = answer.Media.Select((m, i) => new SubscriberSection(m.Mid!, m.Kind, "s", "t", (uint)i + 1, m.Kind == "audio" ? Opus : Vp8, true)).ToList();
        var remote = SubscriberOffer.ReadAnswer(answer, offered);
        Assert.Equal(DtlsRole.Server, remote.OurRole);
        // That answer is sendonly (it answered a recvonly offer): nothing in it receives.
        Assert.False(SubscriberOffer.Accepted(answer, 0));
    }

    [Fact]
    public void Answer_with_a_different_section_count_is_refused()
    {
        var answer = SessionDescription.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sdp", "chrome-answer-to-server-offer.sdp")));
        Assert.Throws<NegotiationException>(() => SubscriberOffer.ReadAnswer(answer, []));
    }
}

using System.Net;
using Sfu.WebRtc.Negotiation;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Negotiation;

/// <summary>Redundant audio (RFC 2198) and the Opus fmtp the SFU controls, on both legs.</summary>
public class RedNegotiationTests
{
    private static readonly LocalIceParameters Local = new("serverufrag12345", "serverpassword0123456789abcdef01",
        "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
        [new IPEndPoint(IPAddress.Loopback, 10000)]);

    private static readonly NegotiatedCodec Opus = new(109, "opus", 48000, 2, "minptime=10;useinbandfec=1", [], null);

    private static string ChromeOffer() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sdp", "chrome-offer-audio-video.sdp"));

    private static (SessionDescription Answer, PublisherNegotiation Negotiation) Answer(bool fec, bool dtx, string? sdp = null)
    {
        var n = PublisherAnswer.Create(SessionDescription.Parse(sdp ?? ChromeOffer()), Local, CodecPreference.Defaults, 1, 1, 16, fec: fec, dtx: dtx);
        return (SessionDescription.Parse(n.AnswerSdp), n);
    }

    [Fact]
    public void Chrome_red_is_answered_first_with_its_payload_type_when_fec_is_on()
    {
        var (answer, n) = Answer(fec: true, dtx: false);
        var audio = answer.Media[0];
        Assert.Equal("audio", audio.Kind);
        Assert.Equal(new[] { "63", "111" }, audio.Formats);
        var red = audio.Codecs.Single(c => c.Is("red"));
        Assert.Equal(48000, red.ClockRate);
        Assert.Equal(2, red.Channels);
        Assert.Equal("111/111", red.FmtpRaw);
        // The track forwards Opus; red is carried beside it.
        var track = n.Tracks.First(t => t.Kind == "audio");
        Assert.Equal("opus", track.Codecs.Single().Name);
        Assert.Equal(63, track.Red?.PayloadType);
        // Video sections get no audio red (the video red/ulpfec of the offer is not answered either).
        Assert.DoesNotContain(answer.Media[1].Codecs, c => c.Is("red") || c.Is("ulpfec"));
        Assert.Null(n.Tracks.First(t => t.Kind == "video").Red);
    }

    [Fact]
    public void Without_fec_red_follows_opus_so_chrome_keeps_sending_plain_opus()
    {
        var (answer, _) = Answer(fec: false, dtx: false);
        Assert.Equal(new[] { "111", "63" }, answer.Media[0].Formats);
        Assert.Equal("minptime=10", answer.Media[0].Codecs.Single(c => c.Is("opus")).FmtpRaw);
    }

    [Fact]
    public void Answer_opus_fmtp_follows_fec_and_dtx()
    {
        var (answer, _) = Answer(fec: true, dtx: true);
        var opus = answer.Media[0].Codecs.Single(c => c.Is("opus"));
        Assert.Equal("1", opus.GetFmtp("useinbandfec"));
        Assert.Equal("1", opus.GetFmtp("usedtx"));
        Assert.Equal("10", opus.GetFmtp("minptime"));
    }

    [Fact]
    public void Red_naming_another_codec_or_nothing_is_not_answered()
    {
        // The last case replaces the line, so that red has no fmtp at all.
        foreach (var fmtp in new[] { "a=fmtp:63 111/0", "a=fmtp:63 9", "a=rtcp-fb:63 nack" })
        {
            var sdp = ChromeOffer().Replace("a=fmtp:63 111/111", fmtp);
            var (answer, n) = Answer(fec: true, dtx: false, sdp);
            Assert.DoesNotContain(answer.Media[0].Codecs, c => c.Is("red"));
            Assert.All(n.Tracks, t => Assert.Null(t.Red));
        }
    }

    [Fact]
    public void Red_alone_without_opus_leaves_the_section_rejected()
    {
        var sdp = ChromeOffer().Replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 L16/48000/2");
        var (answer, n) = Answer(fec: true, dtx: false, sdp);
        Assert.Equal(0, answer.Media[0].Port);
        Assert.DoesNotContain(n.Tracks, t => t.Kind == "audio");
    }

    [Fact]
    public void Subscriber_offer_lists_red_then_opus_with_our_payload_types()
    {
        var sections = new List<SubscriberSection> { new("0", "audio", "PA_a", "TR_a", 1, Opus, true) { Red = true } };
        var offer = SessionDescription.Parse(SubscriberOffer.Create(sections, Local, 1, 1, "c", fec: true, dtx: true));
        var m = offer.Media[0];
        Assert.Equal(new[] { "63", "111" }, m.Formats);
        var red = m.Codecs.Single(c => c.Is("red"));
        // The red fmtp names our opus payload type, not the publisher's 109.
        Assert.Equal("111/111", red.FmtpRaw);
        var opus = m.Codecs.Single(c => c.Is("opus"));
        Assert.Equal("minptime=10;useinbandfec=1;usedtx=1", opus.FmtpRaw);
    }

    [Fact]
    public void Subscriber_offer_without_red_and_with_fec_and_dtx_off()
    {
        var sections = new List<SubscriberSection> { new("0", "audio", "PA_a", "TR_a", 1, Opus, true) };
        var offer = SessionDescription.Parse(SubscriberOffer.Create(sections, Local, 1, 1, "c", fec: false, dtx: false));
        var opus = offer.Media[0].Codecs.Single();
        Assert.True(opus.Is("opus"));
        Assert.Equal("minptime=10", opus.FmtpRaw);
    }

    [Fact]
    public void The_red_payload_type_kept_in_the_answer_is_read_per_section()
    {
        var sections = new List<SubscriberSection> { new("0", "audio", "PA_a", "TR_a", 1, Opus, true) { Red = true } };
        var offer = SubscriberOffer.Create(sections, Local, 1, 1, "c");
        // A client that keeps red answers with it; one that does not support it drops it from the section.
        var kept = SessionDescription.Parse(offer.Replace("a=sendonly", "a=recvonly"));
        Assert.Equal(63, RedNegotiation.AcceptedPayloadType(kept, 0));
        var dropped = SessionDescription.Parse(offer.Replace("a=sendonly", "a=recvonly").Replace(" 63 111", " 111")
            .Replace("a=rtpmap:63 red/48000/2\r\n", "").Replace("a=fmtp:63 111/111\r\n", ""));
        Assert.Null(RedNegotiation.AcceptedPayloadType(dropped, 0));
        Assert.Null(RedNegotiation.AcceptedPayloadType(kept, 5));
    }

    [Theory]
    [InlineData(null, true, false, "useinbandfec=1")]
    [InlineData("minptime=10;useinbandfec=1", false, false, "minptime=10")]
    [InlineData("minptime=10; useinbandfec=0;usedtx=0;stereo=1", true, true, "minptime=10;stereo=1;useinbandfec=1;usedtx=1")]
    [InlineData("", false, false, "")]
    public void Opus_parameters_replace_only_fec_and_dtx(string? fmtp, bool fec, bool dtx, string expected) =>
        Assert.Equal(expected, OpusParameters.Apply(fmtp, fec, dtx));
}

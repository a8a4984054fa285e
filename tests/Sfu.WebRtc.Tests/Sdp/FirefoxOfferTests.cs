using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Sdp;

/// <summary>A real Firefox 99 offer (see Fixtures/sdp/capture-chrome-offer.md for its source). LF line ends.</summary>
public class FirefoxOfferTests
{
    private readonly SessionDescription _sdp = SdpFixtures.Parse(SdpFixtures.Firefox);

    [Fact]
    public void Fingerprint_at_session_level_resolves_for_each_section()
    {
        Assert.Equal("mozilla...THIS_IS_SDPARTA-99.0", _sdp.Origin.Username);
        Assert.Equal(0UL, _sdp.Origin.SessionVersion);
        Assert.NotNull(_sdp.Fingerprint);
        Assert.Equal("sha-256", _sdp.Fingerprint!.Algorithm);
        Assert.StartsWith("75:4F:CA", _sdp.Fingerprint.Value);
        Assert.Equal(["trickle"], _sdp.IceOptions);
        Assert.False(_sdp.ExtmapAllowMixed);
        Assert.Equal(["0", "1"], _sdp.BundleGroup);
        foreach (var m in _sdp.Media)
        {
            Assert.Null(m.Fingerprint);
            Assert.Same(_sdp.Fingerprint, m.EffectiveFingerprint(_sdp));
            Assert.Equal(["trickle"], m.EffectiveIceOptions(_sdp));
            Assert.Equal("6c0579ea", m.EffectiveIceUfrag(_sdp));
            Assert.Equal("59efe498b762e472067fa5e134df8722", m.EffectiveIcePwd(_sdp));
            Assert.Equal(DtlsSetup.ActPass, m.EffectiveSetup(_sdp));
            Assert.Equal(MediaDirection.SendRecv, m.Direction);
            Assert.Equal(9, m.Port);
            Assert.Empty(m.Candidates);
        }
    }

    [Fact]
    public void Audio_codecs_and_directional_extmap()
    {
        var audio = _sdp.Media[0];
        Assert.Equal([109, 9, 0, 8, 101], audio.Codecs.Select(c => c.PayloadType));
        var opus = audio.Codecs[0];
        Assert.True(opus.Is("opus"));
        Assert.Equal(2, opus.Channels);
        Assert.Equal("1", opus.GetFmtp("stereo"));
        Assert.Equal("48000", opus.GetFmtp("maxplaybackrate"));
        Assert.Equal(1, audio.FindCodec(9)!.Channels);
        Assert.Equal("0-15", audio.FindCodec(101)!.FmtpRaw);
        Assert.True(audio.FindCodec(101)!.Fmtp.ContainsKey("0-15"));

        var csrcLevel = audio.Extensions.Single(e => e.Id == 2);
        Assert.Equal(MediaDirection.RecvOnly, csrcLevel.Direction);
        Assert.Equal("urn:ietf:params:rtp-hdrext:csrc-audio-level", csrcLevel.Uri);
        Assert.Equal(3, audio.GetExtensionId(RtpExtensionUris.Mid));
        Assert.Equal("-", audio.Msids[0].StreamId);
        Assert.Equal("{ba72adfe-d5b5-42bd-bf15-e8fcdcbb2ee1}", audio.Msids[0].TrackId);
        Assert.Equal("{b11da7a1-56f4-4fc1-a969-6d82236f494d}", audio.GetSsrcAttribute(3772375965, "cname"));
    }

    [Fact]
    public void Video_codecs_rtx_and_fid()
    {
        var video = _sdp.Media[1];
        Assert.Equal([120, 124, 121, 125, 126, 127, 97, 98], video.Codecs.Select(c => c.PayloadType));
        Assert.True(video.FindCodec(120)!.Is("VP8"));
        Assert.Equal("12288", video.FindCodec(120)!.GetFmtp("max-fs"));
        Assert.Equal(["nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"], video.FindCodec(120)!.RtcpFeedback);
        Assert.True(video.FindCodec(121)!.Is("VP9"));
        Assert.Equal("1", video.FindCodec(126)!.GetFmtp("packetization-mode"));
        Assert.Null(video.FindCodec(97)!.GetFmtp("packetization-mode"));
        Assert.Equal(124, video.FindRtxFor(120)!.PayloadType);
        Assert.Equal(127, video.FindRtxFor(126)!.PayloadType);
        Assert.Equal(7, video.GetExtensionId(RtpExtensionUris.TransportWideCc));
        Assert.Equal(MediaDirection.RecvOnly, video.Extensions.Single(e => e.Id == 6).Direction);
        Assert.True(video.RtcpRsize);
        Assert.Equal(2513307155u, video.RtxSsrcFor(7463831));
    }
}

using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Sdp;

/// <summary>Facts read off chrome-offer-audio-video.sdp, a real Chromium 156 offer (audio+video addTrack, sendonly audio, data channel).</summary>
public class ChromeOfferTests
{
    private readonly SessionDescription _sdp = SdpFixtures.Parse(SdpFixtures.ChromeAudioVideo);

    [Fact]
    public void Session_level()
    {
        Assert.Equal("-", _sdp.Origin.Username);
        Assert.Equal("3727824903762703111", _sdp.Origin.SessionId);
        Assert.Equal(2UL, _sdp.Origin.SessionVersion);
        Assert.Equal("-", _sdp.SessionName);
        Assert.Equal(["0", "1", "2", "3"], _sdp.BundleGroup);
        Assert.True(_sdp.ExtmapAllowMixed);
        Assert.Contains(_sdp.Attributes, a => a.Name == "msid-semantic" && a.Value == " WMS edee37b1-24f1-4474-8dc2-a012392b3dec");
        Assert.Null(_sdp.Fingerprint);
        Assert.Equal(["audio", "video", "audio", "application"], _sdp.Media.Select(m => m.Kind));
        Assert.All(_sdp.Media, m => Assert.True(_sdp.IsBundled(m)));
    }

    [Fact]
    public void Audio_transport_and_codecs()
    {
        var audio = _sdp.Media[0];
        Assert.Equal("0", audio.Mid);
        Assert.Equal(42247, audio.Port);
        Assert.Equal("UDP/TLS/RTP/SAVPF", audio.Protocol);
        Assert.Equal(MediaDirection.SendRecv, audio.Direction);
        Assert.Equal("AXZ5", audio.IceUfrag);
        Assert.Equal("ddOsQvqJmSmdPp976Jhm3dMd", audio.IcePwd);
        Assert.Equal(["trickle"], audio.IceOptions);
        Assert.Equal("sha-256", audio.Fingerprint!.Algorithm);
        Assert.Equal(32, audio.Fingerprint.GetDigest().Length);
        Assert.Equal(0x36, audio.Fingerprint.GetDigest()[0]);
        Assert.Equal(0x5D, audio.Fingerprint.GetDigest()[31]);
        Assert.Equal(DtlsSetup.ActPass, audio.Setup);
        Assert.True(audio.RtcpMux);
        Assert.True(audio.RtcpRsize);
        Assert.Equal(new ConnectionData("IN", "IP4", "127.0.0.1"), audio.Connection);

        Assert.Equal([111, 63, 9, 0, 8, 13, 110, 126], audio.Codecs.Select(c => c.PayloadType));
        var opus = audio.Codecs[0];
        Assert.True(opus.Is("opus"));
        Assert.Equal(48000, opus.ClockRate);
        Assert.Equal(2, opus.Channels);
        Assert.Equal("minptime=10;useinbandfec=1", opus.FmtpRaw);
        Assert.Equal("10", opus.GetFmtp("minptime"));
        Assert.Equal("1", opus.Fmtp["useinbandfec"]);
        Assert.Equal(["transport-cc"], opus.RtcpFeedback);
        var red = audio.FindCodec(63)!;
        Assert.Equal("red", red.Name);
        Assert.True(red.Fmtp.ContainsKey("111/111"));
        Assert.Equal("PCMU", audio.FindCodec(0)!.Name);
        Assert.Null(audio.FindCodec(0)!.Channels);
    }

    [Fact]
    public void Audio_extensions_msid_ssrc()
    {
        var audio = _sdp.Media[0];
        Assert.Equal(1, audio.GetExtensionId(RtpExtensionUris.AudioLevel));
        Assert.Equal(2, audio.GetExtensionId(RtpExtensionUris.AbsSendTime));
        Assert.Equal(3, audio.GetExtensionId(RtpExtensionUris.TransportWideCc));
        Assert.Equal(4, audio.GetExtensionId(RtpExtensionUris.Mid));
        Assert.All(audio.Extensions, e => Assert.Null(e.Direction));
        Assert.Equal([new Msid("edee37b1-24f1-4474-8dc2-a012392b3dec", "a52fa964-6e23-4c54-a45a-f49f36ec4e24")], audio.Msids);
        Assert.Equal([409783749u], audio.SsrcIds);
        Assert.Equal("uqPIFXVB3DVbm50g", audio.GetSsrcAttribute(409783749, "cname"));
        Assert.Contains(audio.OtherAttributes, a => a.Name == "rtcp" && a.Value == "9 IN IP4 0.0.0.0");
        Assert.Contains(audio.OtherAttributes, a => a.Name == "rtcp-xr" && a.Value == "rcvr-rtt=all");
    }

    [Fact]
    public void Audio_candidates()
    {
        var candidates = _sdp.Media[0].Candidates;
        Assert.Equal(8, candidates.Count);
        var first = candidates[0];
        Assert.Equal("714718613", first.Foundation);
        Assert.Equal(1, first.Component);
        Assert.True(first.IsUdp);
        Assert.Equal(2122194687u, first.Priority);
        Assert.Equal("127.0.0.1", first.Address);
        Assert.Equal(42247, first.Port);
        Assert.Equal("host", first.Type);
        Assert.Equal("3", first.GetExtension("network-id"));
        Assert.Equal("50", first.GetExtension("network-cost"));
        Assert.Equal("::1", candidates[2].Address);
        Assert.Equal(4, candidates.Count(c => c.IsTcp && c.TcpType == "active" && c.Port == 9));
        Assert.False(_sdp.Media[0].EndOfCandidates);
    }

    [Fact]
    public void Video_codecs_in_m_line_order()
    {
        var video = _sdp.Media[1];
        Assert.Equal("1", video.Mid);
        Assert.Equal(
            [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120],
            video.Codecs.Select(c => c.PayloadType));
        Assert.Equal(video.Formats, video.Codecs.Select(c => c.PayloadType.ToString()));

        var vp8 = video.FindCodec(96)!;
        Assert.True(vp8.Is("VP8"));
        Assert.Equal(90000, vp8.ClockRate);
        Assert.Equal(["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"], vp8.RtcpFeedback);
        Assert.Equal(97, video.FindRtxFor(96)!.PayloadType);
        Assert.Equal(96, video.FindCodec(97)!.Apt);

        var h264 = video.CodecsNamed("H264").ToList();
        Assert.Equal([102, 104, 108, 114, 116, 39], h264.Select(c => c.PayloadType));
        var baseline = video.FindCodec(102)!;
        Assert.Equal("1", baseline.GetFmtp("packetization-mode"));
        Assert.Equal("42001f", baseline.GetFmtp("profile-level-id"));
        Assert.Equal("1", baseline.GetFmtp("level-asymmetry-allowed"));
        Assert.Equal("0", video.FindCodec(104)!.GetFmtp("packetization-mode"));
        Assert.Equal("42e01f", video.FindCodec(108)!.GetFmtp("profile-level-id"));

        var av1 = video.FindCodec(45)!;
        Assert.True(av1.Is("AV1"));
        Assert.Equal("5", av1.GetFmtp("level-idx"));
        Assert.Equal("0", video.FindCodec(98)!.GetFmtp("profile-id"));
        Assert.True(video.FindCodec(100)!.Is("VP9"));
        Assert.Equal("2", video.FindCodec(100)!.GetFmtp("profile-id"));
        Assert.True(video.FindCodec(120)!.Is("ulpfec"));
        Assert.Empty(video.FindCodec(120)!.RtcpFeedback);
    }

    [Fact]
    public void Video_extensions_and_ssrcs()
    {
        var video = _sdp.Media[1];
        Assert.Equal(4, video.GetExtensionId(RtpExtensionUris.Mid));
        Assert.Equal(10, video.GetExtensionId(RtpExtensionUris.RtpStreamId));
        Assert.Equal(11, video.GetExtensionId(RtpExtensionUris.RepairedRtpStreamId));
        Assert.Equal(3, video.GetExtensionId(RtpExtensionUris.TransportWideCc));
        Assert.Equal(14, video.GetExtensionId(RtpExtensionUris.TransmissionOffset));
        Assert.Equal(13, video.GetExtensionId(RtpExtensionUris.VideoOrientation));

        var fid = Assert.Single(video.SsrcGroups);
        Assert.Equal(SsrcGroup.Fid, fid.Semantics);
        Assert.Equal([2741879210u, 997941091u], fid.Ssrcs);
        Assert.Equal(997941091u, video.RtxSsrcFor(2741879210));
        Assert.Equal([2741879210u, 997941091u], video.SsrcIds);
        Assert.Equal("b9ad046d-f6cb-4ca7-be70-98079c80d3a5", video.Msids[0].TrackId);
        Assert.Empty(video.Rids);
        Assert.Null(video.Simulcast);
    }

    [Fact]
    public void Sendonly_transceiver_without_stream()
    {
        var audio2 = _sdp.Media[2];
        Assert.Equal("2", audio2.Mid);
        Assert.Equal(MediaDirection.SendOnly, audio2.Direction);
        Assert.Equal("-", audio2.Msids[0].StreamId);
        Assert.Equal("1f98de0b-1341-4e0c-a40a-abd344598c37", audio2.Msids[0].TrackId);
    }

    [Fact]
    public void Data_channel_section()
    {
        var data = _sdp.Media[3];
        Assert.Equal("application", data.Kind);
        Assert.Equal("UDP/DTLS/SCTP", data.Protocol);
        Assert.True(data.IsDataChannel);
        Assert.False(data.IsRtp);
        Assert.Equal(["webrtc-datachannel"], data.Formats);
        Assert.Empty(data.Codecs);
        Assert.Equal(5000, data.SctpPort);
        Assert.Equal(262144UL, data.MaxMessageSize);
        Assert.Equal("3", data.Mid);
        Assert.Equal(8, data.Candidates.Count);
    }
}

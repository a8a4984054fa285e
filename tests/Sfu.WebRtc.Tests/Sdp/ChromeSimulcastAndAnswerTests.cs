using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Sdp;

/// <summary>Chromium 156 captures: a three-layer simulcast offer, an SFU-style recvonly offer and Chromium's answer to it.</summary>
public class ChromeSimulcastAndAnswerTests
{
    [Fact]
    public void Simulcast_offer_has_three_send_rids_and_no_ssrcs()
    {
        var sdp = SdpFixtures.Parse(SdpFixtures.ChromeSimulcast);
        Assert.Equal(["0"], sdp.BundleGroup);
        var video = Assert.Single(sdp.Media);
        Assert.Equal(MediaDirection.SendOnly, video.Direction);
        Assert.Equal(["q", "h", "f"], video.Rids.Select(r => r.Id));
        Assert.All(video.Rids, r => Assert.Equal(RidDirection.Send, r.Direction));
        Assert.All(video.Rids, r => Assert.Empty(r.PayloadTypes));
        Assert.NotNull(video.Simulcast);
        Assert.Equal(["q", "h", "f"], video.Simulcast!.SendRids);
        Assert.Empty(video.Simulcast.Recv);
        Assert.All(video.Simulcast.Send, alternatives => Assert.False(Assert.Single(alternatives).Paused));
        // Rid-based simulcast: Chromium no longer announces SSRCs; the SFU learns them from the rid header extension.
        Assert.Empty(video.Ssrcs);
        Assert.Empty(video.SsrcGroups);
        Assert.Equal(9, video.GetExtensionId(RtpExtensionUris.Mid));
        Assert.Equal(10, video.GetExtensionId(RtpExtensionUris.RtpStreamId));
        Assert.Equal(11, video.GetExtensionId(RtpExtensionUris.RepairedRtpStreamId));
        Assert.Equal(4, video.GetExtensionId(RtpExtensionUris.TransportWideCc));
        Assert.Equal(13, video.GetExtensionId(RtpExtensionUris.DependencyDescriptor));
        Assert.Equal(14, video.GetExtensionId(RtpExtensionUris.VideoLayersAllocation));
        Assert.Equal("810492c4-a2fd-4452-ac05-dc53d111f09c", video.Msids[0].StreamId);
    }

    [Fact]
    public void Recvonly_server_style_offer()
    {
        var sdp = SdpFixtures.Parse(SdpFixtures.ChromeRecvOnlyOffer);
        Assert.Equal(["0", "1"], sdp.BundleGroup);
        Assert.All(sdp.Media, m => Assert.Equal(MediaDirection.RecvOnly, m.Direction));
        Assert.All(sdp.Media, m => Assert.Empty(m.Msids));
        Assert.All(sdp.Media, m => Assert.Empty(m.Ssrcs));
        var video = sdp.Media[1];
        Assert.Equal(["0", "2", "1", "3"], new[] { 98, 100, 35, 37 }.Select(pt => video.FindCodec(pt)!.GetFmtp("profile-id")));
        Assert.Equal("1", video.FindCodec(47)!.GetFmtp("profile"));
        Assert.Equal("f4001f", video.FindCodec(41)!.GetFmtp("profile-level-id"));
        var flexfec = video.FindCodec(49)!;
        Assert.Equal("flexfec-03", flexfec.Name);
        Assert.Equal("10000000", flexfec.GetFmtp("repair-window"));
    }

    [Fact]
    public void Answer_to_recvonly_offer()
    {
        var sdp = SdpFixtures.Parse(SdpFixtures.ChromeAnswer);
        Assert.Equal(["0", "1"], sdp.BundleGroup);
        Assert.Equal(2, sdp.Media.Count);
        Assert.All(sdp.Media, m => Assert.Equal(DtlsSetup.Active, m.Setup));
        Assert.All(sdp.Media, m => Assert.Equal(MediaDirection.SendOnly, m.Direction));
        Assert.All(sdp.Media, m => Assert.Equal("gYFM", m.IceUfrag));

        var audio = sdp.Media[0];
        Assert.Equal(4, audio.Candidates.Count);
        Assert.All(audio.Candidates, c => Assert.True(c.IsUdp));
        Assert.Equal("Xzpfd2vuG0/S1k6m", audio.GetSsrcAttribute(253499631, "cname"));

        // The bundled (non-tagged) section carries no candidates and the JSEP placeholder port 9.
        var video = sdp.Media[1];
        Assert.Empty(video.Candidates);
        Assert.Equal(9, video.Port);
        Assert.Equal(ConnectionData.Unspecified, video.Connection);
        Assert.Equal("b920983d-8420-46d3-ad46-08b83bdb8d2d", video.Msids[0].StreamId);
        var fid = Assert.Single(video.SsrcGroups);
        Assert.Equal([1480353868u, 3263996684u], fid.Ssrcs);
        Assert.Equal(3263996684u, video.RtxSsrcFor(1480353868));
        Assert.Equal(10, video.GetExtensionId(RtpExtensionUris.RtpStreamId));
        Assert.True(video.FindCodec(102)!.Is("H264"));
    }
}

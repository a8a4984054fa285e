using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Sdp;

/// <summary>
/// Builds the answer an SFU gives a simulcast publisher, using only the model. The descriptions it writes to
/// <c>sdp-out/</c> in the test output directory are what Fixtures/sdp/verify-chrome-accepts.js feeds to Chromium.
/// </summary>
public class SfuAnswerTests
{
    internal static SessionDescription AnswerTo(SessionDescription offer)
    {
        var answer = new SessionDescription(Origin.Create(123456789, 1)) { IceLite = true };
        answer.Groups.Add(new SdpGroup(SdpGroup.Bundle, offer.BundleGroup!.ToList()));
        answer.Attributes.Add(new SdpAttribute("msid-semantic", " WMS *"));
        foreach (var om in offer.Media)
        {
            var m = new MediaDescription(om.Kind, 9, om.Protocol)
            {
                Connection = new ConnectionData("IN", "IP4", "127.0.0.1"),
                Mid = om.Mid,
                Direction = om.Direction.Reverse(),
                IceUfrag = "sfuU",
                IcePwd = "sfupasswordsfupassword12",
                Fingerprint = DtlsFingerprint.FromDigest("sha-256", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()),
                Setup = DtlsSetup.Passive,
                RtcpMux = true,
                RtcpRsize = true,
                EndOfCandidates = true,
            };
            var vp8 = om.CodecsNamed("VP8").First();
            m.Codecs.Add(vp8);
            m.Codecs.Add(om.FindRtxFor(vp8.PayloadType)!);
            foreach (var uri in new[] { RtpExtensionUris.Mid, RtpExtensionUris.RtpStreamId, RtpExtensionUris.RepairedRtpStreamId, RtpExtensionUris.TransportWideCc })
            {
                if (om.GetExtensionId(uri) is { } id) m.Extensions.Add(new ExtMap(id, uri));
            }
            foreach (var r in om.Rids) m.Rids.Add(new RidDescription(r.Id, RidDirection.Recv));
            if (om.Simulcast is not null)
            {
                m.Simulcast = new SimulcastDescription();
                m.Simulcast.Recv.AddRange(om.Simulcast.Send);
            }
            m.Candidates.Add(IceCandidate.Parse("candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host"));
            answer.Media.Add(m);
        }
        return answer;
    }

    [Fact]
    public void Answer_to_chrome_simulcast_offer()
    {
        var answer = AnswerTo(SdpFixtures.Parse(SdpFixtures.ChromeSimulcast));
        var text = answer.ToString();
        var parsed = SessionDescription.Parse(text);
        var m = Assert.Single(parsed.Media);
        Assert.True(parsed.IceLite);
        Assert.Equal(["96", "97"], m.Formats);
        Assert.Equal(MediaDirection.RecvOnly, m.Direction);
        Assert.Equal(["q", "h", "f"], m.Simulcast!.RecvRids);
        Assert.All(m.Rids, r => Assert.Equal(RidDirection.Recv, r.Direction));
        Assert.Equal(10, m.GetExtensionId(RtpExtensionUris.RtpStreamId));
        Assert.Contains("a=simulcast:recv q;h;f\r\n", text);
        Assert.Contains("a=setup:passive\r\n", text);

        var outDir = Path.Combine(AppContext.BaseDirectory, "sdp-out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "sfu-answer-to-simulcast.sdp"), text);
        foreach (var fixture in SdpFixtures.All)
            File.WriteAllText(Path.Combine(outDir, "rewritten-" + fixture), SdpFixtures.Parse(fixture).ToString());
    }
}

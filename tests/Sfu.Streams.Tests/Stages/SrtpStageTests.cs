using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Srtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Stages;

public sealed class SrtpStageTests : TestKit
{
    private readonly RtpTestHarness _h = new();
    private readonly IMaterializer _mat;

    public SrtpStageTests() => _mat = Sys.Materializer();

    protected override void Dispose(bool disposing)
    {
        _h.Dispose();
        base.Dispose(disposing);
    }

    private (TestPublisher.Probe<MediaPacket>, TestSubscriber.Probe<MediaPacket>) Run(PacketStage stage) =>
        this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(stage)).ToMaterialized(this.SinkProbe<MediaPacket>(), Keep.Both).Run(_mat);

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Decrypt_stage_unprotects_rtp_and_rtcp_and_marks_which_is_which(SrtpProfile profile)
    {
        var (transport, peerProtect, _) = _h.KeyedTransport(profile);
        var (src, sink) = Run(new SrtpDecryptStage(transport));
        var rtp = RtpTestHarness.Vp8Packet(0x1234, 7, 90000, keyframe: true);
        var rrBuffer = new byte[64];
        var rr = rrBuffer[..Sfu.WebRtc.Rtcp.ReceiverReport.Write(rrBuffer, 0x99)];

        sink.Request(2);
        src.SendNext(RtpTestHarness.Protected(peerProtect, rtp));
        src.SendNext(RtpTestHarness.Protected(peerProtect, rr, rtcp: true));
        var outRtp = sink.ExpectNext();
        var outRtcp = sink.ExpectNext();
        Assert.False(outRtp.IsRtcp);
        Assert.Equal(rtp, outRtp.Span.ToArray());
        Assert.True(outRtcp.IsRtcp);
        Assert.Equal(rr, outRtcp.Span.ToArray());
    }

    [Fact]
    public void Decrypt_stage_drops_tampered_and_replayed_packets_and_counts_them()
    {
        var (transport, peerProtect, _) = _h.KeyedTransport();
        var (src, sink) = Run(new SrtpDecryptStage(transport));
        var auth = DropCounters.Get(DropReason.SrtpAuthFailed);
        var replay = DropCounters.Get(DropReason.SrtpReplay);
        var first = RtpTestHarness.Protected(peerProtect, RtpTestHarness.Vp8Packet(1, 1, 1, false));
        var copy = MediaPacket.CopyOf(first.Span);
        var tampered = RtpTestHarness.Protected(peerProtect, RtpTestHarness.Vp8Packet(1, 2, 1, false));
        tampered.Buffer[30] ^= 0xFF;
        var good = RtpTestHarness.Protected(peerProtect, RtpTestHarness.Vp8Packet(1, 3, 1, false));

        sink.Request(10);
        src.SendNext(first);
        src.SendNext(copy);
        src.SendNext(tampered);
        src.SendNext(good);
        Assert.Equal(1, Seq(sink.ExpectNext()));
        Assert.Equal(3, Seq(sink.ExpectNext()));
        Assert.Equal(auth + 1, DropCounters.Get(DropReason.SrtpAuthFailed));
        Assert.Equal(replay + 1, DropCounters.Get(DropReason.SrtpReplay));
    }

    private static int Seq(MediaPacket p) => (p.Buffer[2] << 8) | p.Buffer[3];

    [Fact]
    public void Encrypt_stage_output_is_what_the_peer_can_unprotect()
    {
        var (transport, _, peerUnprotect) = _h.KeyedTransport(SrtpProfile.AeadAes128Gcm);
        var (src, sink) = Run(new SrtpEncryptStage(transport));
        var plain = RtpTestHarness.Vp8Packet(5, 100, 3000, true);
        sink.Request(1);
        src.SendNext(RtpTestHarness.ToPacket(plain));
        var wire = sink.ExpectNext();
        Assert.NotEqual(plain, wire.Span[..plain.Length].ToArray());
        var buffer = wire.Span.ToArray();
        Assert.Equal(SrtpResult.Ok, peerUnprotect.UnprotectRtp(buffer, buffer.Length, out var n));
        Assert.Equal(plain, buffer[..n]);
    }
}

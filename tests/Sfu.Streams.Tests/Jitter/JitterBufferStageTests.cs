using System.Buffers.Binary;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using Sfu.Streams.Jitter;
using Sfu.Streams.Stages;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Tests.Jitter;

public sealed class JitterBufferStageTests : TestKit
{
    private readonly ManualTime _clock = new();

    private static MediaPacket Packet(ushort seq, uint ts, bool marker)
    {
        var data = new byte[16];
        data[0] = 0x80;
        data[1] = (byte)((marker ? 0x80 : 0) | 96);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), ts);
        return MediaPacket.CopyOf(data);
    }

    private static ushort Seq(MediaPacket p)
    {
        var s = BinaryPrimitives.ReadUInt16BigEndian(p.Span[2..]);
        p.Release();
        return s;
    }

    [Fact]
    public void Reorders_and_the_timer_skips_a_frame_whose_packet_never_comes()
    {
        var buffer = new JitterBuffer(_clock, JitterBufferSettings.Default, 90000, packetPerFrame: false);
        var (src, sink) = this.SourceProbe<MediaPacket>().Via(Flow.FromGraph(new JitterBufferStage(buffer, TimeSpan.FromMilliseconds(2))))
            .ToMaterialized(this.SinkProbe<MediaPacket>(), Keep.Both).Run(Sys.Materializer());
        sink.Request(10);
        src.SendNext(Packet(1, 0, false));
        src.SendNext(Packet(3, 0, true));
        sink.ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        src.SendNext(Packet(2, 0, false));
        Assert.Equal(1, Seq(sink.ExpectNext()));
        Assert.Equal(2, Seq(sink.ExpectNext()));
        Assert.Equal(3, Seq(sink.ExpectNext()));
        // Frame 4..6 loses 5; frame 7 is complete behind it.
        src.SendNext(Packet(4, 3000, false));
        src.SendNext(Packet(6, 3000, true));
        src.SendNext(Packet(7, 6000, true));
        sink.ExpectNoMsg(TimeSpan.FromMilliseconds(30));
        // No packet arrives now: the stage's timer notices the wait is over.
        _clock.Advance(JitterBufferSettings.Default.Target);
        Assert.Equal(7, Seq(sink.ExpectNext(TimeSpan.FromSeconds(3))));
        Assert.Equal(1, buffer.Counters.FramesSkipped);
        src.SendComplete();
        sink.ExpectComplete();
    }
}

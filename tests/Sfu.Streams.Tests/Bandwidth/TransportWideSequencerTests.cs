using Sfu.Streams.Bandwidth;

namespace Sfu.Streams.Tests.Bandwidth;

public class TransportWideSequencerTests
{
    [Fact]
    public void Numbers_wrap_and_records_are_found_by_wire_number()
    {
        var sequencer = new TransportWideSequencer(capacity: 64, first: 65530);
        var wire = new List<ushort>();
        for (var i = 0; i < 20; i++)
        {
            wire.Add(sequencer.Next(sendMicros: 1000 * i, sizeBytes: 100 + i, probeClusterId: i % 3 == 0 ? 7 : -1));
        }

        Assert.Equal(new ushort[] { 65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2 }, wire.Take(9));
        for (var i = 0; i < 20; i++)
        {
            Assert.True(sequencer.TryGet(wire[i], out var sent));
            Assert.Equal(65530L + i, sent.Sequence);
            Assert.Equal(1000L * i, sent.SendMicros);
            Assert.Equal(100 + i, sent.Size);
            Assert.Equal(i % 3 == 0 ? 7 : -1, sent.ProbeClusterId);
        }
    }

    [Fact]
    public void Overwritten_and_future_numbers_are_unknown()
    {
        var sequencer = new TransportWideSequencer(capacity: 16, first: 0);
        for (var i = 0; i < 40; i++)
        {
            sequencer.Next(i, 1200);
        }

        Assert.False(sequencer.TryGet((ushort)10, out _));
        Assert.True(sequencer.TryGet((ushort)24, out _));
        Assert.True(sequencer.TryGet((ushort)39, out _));
        Assert.False(sequencer.TryGet((ushort)40, out _));
        Assert.False(sequencer.TryGet((ushort)30000, out _));
        Assert.Equal(40, sequencer.Count);
    }

    [Fact]
    public void Mark_sent_updates_the_send_time()
    {
        var sequencer = new TransportWideSequencer();
        var seq = sequencer.Next(100, 500);
        Assert.True(sequencer.MarkSent(seq, 250));
        Assert.True(sequencer.TryGet(seq, out var sent));
        Assert.Equal(250, sent.SendMicros);
        Assert.False(sequencer.MarkSent((ushort)(seq + 1), 300));
    }
}

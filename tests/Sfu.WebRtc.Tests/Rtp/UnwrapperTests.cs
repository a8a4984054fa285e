using Sfu.WebRtc.Rtp;

namespace Sfu.WebRtc.Tests.Rtp;

public class UnwrapperTests
{
    public static TheoryData<ushort[], long[]> SequenceCases => new()
    {
        { [1, 2, 3], [1, 2, 3] },
        { [65534, 65535, 0, 1], [65534, 65535, 65536, 65537] },
        // reordering around the wrap: the late 65534 stays before 65536
        { [65535, 0, 65534, 1, 2], [65535, 65536, 65534, 65537, 65538] },
        // two full cycles
        { [0, 30000, 60000, 24464, 54464, 18928], [0, 30000, 60000, 90000, 120000, 150000] },
        // a packet from before the first one goes negative rather than a cycle ahead
        { [0, 65535, 1], [0, -1, 1] },
        // exactly half the space away counts as newer
        { [0, 32768], [0, 32768] },
        { [100, 32869], [100, -32667] },
        { [10, 10, 9], [10, 10, 9] },
    };

    [Theory]
    [MemberData(nameof(SequenceCases))]
    public void UnwrapsSequenceNumbers(ushort[] input, long[] expected)
    {
        var unwrapper = new SequenceUnwrapper();
        var actual = input.Select(s => unwrapper.Unwrap(s)).ToArray();
        Assert.Equal(expected, actual);
        Assert.All(actual.Zip(input), p => Assert.Equal(p.Second, (ushort)p.First));
    }

    [Fact]
    public void PeekDoesNotMoveTheReference()
    {
        var unwrapper = new SequenceUnwrapper();
        Assert.False(unwrapper.IsStarted);
        unwrapper.Unwrap(65535);
        Assert.Equal(65536, unwrapper.Peek(0));
        Assert.Equal(65535, unwrapper.Last);
        Assert.Equal(65536, unwrapper.Unwrap(0));
    }

    [Fact]
    public void LongRunOfIncrementsCountsCycles()
    {
        var unwrapper = new SequenceUnwrapper();
        long last = 0;
        for (long i = 40000; i < 40000 + 5 * 65536; i += 7)
        {
            last = unwrapper.Unwrap((ushort)i);
            Assert.Equal(i, last);
        }
    }

    public static TheoryData<uint[], long[]> TimestampCases => new()
    {
        { [0xFFFF_FF00, 0x0000_0100], [0xFFFF_FF00, 0x1_0000_0100] },
        { [0xFFFF_FF00, 0x0000_0100, 0xFFFF_FFF0, 0x0000_0200], [0xFFFF_FF00, 0x1_0000_0100, 0xFFFF_FFF0, 0x1_0000_0200] },
        { [90000, 93000, 91500], [90000, 93000, 91500] },
        { [5, 0xFFFF_FFFF], [5, -1] },
    };

    [Theory]
    [MemberData(nameof(TimestampCases))]
    public void UnwrapsTimestamps(uint[] input, long[] expected)
    {
        var unwrapper = new TimestampUnwrapper();
        Assert.Equal(expected, input.Select(t => unwrapper.Unwrap(t)).ToArray());
    }
}

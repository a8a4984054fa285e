using Sfu.Streams.Forwarding;

namespace Sfu.Streams.Tests.Forwarding;

public class NtpTimeTests
{
    [Fact]
    public void Unix_epoch_is_2208988800_seconds_after_the_ntp_epoch()
    {
        var ntp = NtpTime.From(DateTimeOffset.UnixEpoch.AddSeconds(1.5));
        Assert.Equal(2208988801UL, ntp >> 32);
        Assert.Equal(0x8000_0000UL, ntp & 0xFFFF_FFFF);
        Assert.Equal(unchecked((uint)((2208988801UL << 16) | 0x8000)), NtpTime.Middle32(ntp));
    }
}

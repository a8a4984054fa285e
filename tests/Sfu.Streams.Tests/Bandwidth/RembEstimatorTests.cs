using Sfu.Streams.Bandwidth;
using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Tests.Bandwidth;

public class RembEstimatorTests
{
    [Fact]
    public void A_publisher_sending_above_a_1_Mbps_link_is_told_less_than_the_link()
    {
        var link = new BottleneckLink(1_000_000, 20_000, queueLimitBytes: 200_000);
        var remb = new RembEstimator(startBps: 2_000_000);
        // 1.5 Mbps of 1200-byte packets; abs-send-time wraps every 64 s, so start just before a wrap.
        const long clockStart = 63_500_000;
        for (var send = 0L; send < 4_000_000; send += 6_400)
        {
            var arrival = link.Send(send, 1200);
            if (arrival < 0)
            {
                continue;
            }

            remb.OnPacket(arrival, AbsSendTime.FromMicroseconds(clockStart + send), 1200);
        }

        Assert.InRange(remb.EstimateBps, 100_000, 1_000_000);
        Assert.InRange(remb.IncomingBps, 900_000, 1_100_000);
    }

    [Fact]
    public void An_uncongested_publisher_is_allowed_to_grow()
    {
        var remb = new RembEstimator(startBps: 500_000);
        for (var send = 0L; send < 10_000_000; send += 10_000)
        {
            remb.OnPacket(send + 30_000, AbsSendTime.FromMicroseconds(send), 600);
        }

        Assert.Equal(BandwidthUsage.Normal, remb.Usage);
        // Capped by 1.5 × the 480 kbps it receives + 10 kbps.
        Assert.InRange(remb.EstimateBps, 700_000, 730_000);
    }
}

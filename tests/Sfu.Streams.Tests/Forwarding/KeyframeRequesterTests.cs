using Sfu.Streams.Forwarding;

namespace Sfu.Streams.Tests.Forwarding;

public class KeyframeRequesterTests
{
    [Fact]
    public void At_most_one_request_per_interval()
    {
        var time = new ManualTime();
        var k = new KeyframeRequester(time, TimeSpan.FromMilliseconds(500));
        Assert.True(k.TryRequest(KeyframeReason.SubscriberRequest));
        Assert.False(k.TryRequest(KeyframeReason.SubscriberRequest));
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(k.TryRequest(KeyframeReason.SubscriberRequest));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(k.TryRequest(KeyframeReason.SubscriberRequest));
        Assert.Equal(4, k.Requests);
        Assert.Equal(2, k.Sent);
    }
}

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

    [Fact]
    public void Requests_are_counted_by_reason_whether_sent_or_throttled()
    {
        var time = new ManualTime();
        var k = new KeyframeRequester(time, TimeSpan.FromMilliseconds(500));
        Assert.True(k.TryRequest(KeyframeReason.NewSubscriber));
        Assert.False(k.TryRequest(KeyframeReason.UnrecoverableLoss));
        Assert.False(k.TryRequest(KeyframeReason.UnrecoverableLoss));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(k.TryRequest(KeyframeReason.LayerSwitch));
        Assert.Equal(1, k.RequestsFor(KeyframeReason.NewSubscriber));
        Assert.Equal(2, k.RequestsFor(KeyframeReason.UnrecoverableLoss));
        Assert.Equal(1, k.RequestsFor(KeyframeReason.LayerSwitch));
        Assert.Equal(0, k.RequestsFor(KeyframeReason.SubscriberRequest));
        Assert.Equal(2, k.Sent);
        Assert.Equal(2, k.Throttled);
    }
}

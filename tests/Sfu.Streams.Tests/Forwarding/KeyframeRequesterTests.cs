using Sfu.Streams.Forwarding;

namespace Sfu.Streams.Tests.Forwarding;

public sealed class KeyframeRequesterTests
{
    private readonly ManualTime _time = new();

    [Fact]
    public void Unanswered_requests_collapse_for_the_whole_interval()
    {
        var k = new KeyframeRequester(_time, TimeSpan.FromMilliseconds(500));
        Assert.True(k.TryRequest(KeyframeReason.NewSubscriber));
        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(k.TryRequest(KeyframeReason.SubscriberRequest));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(k.TryRequest(KeyframeReason.SubscriberRequest));
        Assert.Equal(2, k.Sent);
        Assert.Equal(1, k.Throttled);
    }

    [Fact]
    public void Once_a_keyframe_answered_the_last_request_the_next_may_follow_after_a_fifth_of_the_interval()
    {
        var k = new KeyframeRequester(_time, TimeSpan.FromMilliseconds(500));
        Assert.True(k.TryRequest(KeyframeReason.NewSubscriber));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        k.OnKeyframe();
        // A subscriber that connected just after that keyframe went by.
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.False(k.TryRequest(KeyframeReason.NewSubscriber));
        _time.Advance(TimeSpan.FromMilliseconds(30));
        Assert.True(k.TryRequest(KeyframeReason.NewSubscriber));
        // That one is not answered yet: the full interval applies again.
        _time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.False(k.TryRequest(KeyframeReason.SubscriberRequest));
    }
}

using Sfu.WebRtc.Ice;

namespace Sfu.WebRtc.Tests.Ice;

public class ConsentFreshnessTests
{
    [Fact]
    public void FreshSession_IsNotExpired()
    {
        var time = new ManualTimeProvider();
        var consent = new ConsentFreshness(time);
        Assert.Equal(TimeSpan.FromSeconds(30), consent.Timeout);
        Assert.False(consent.IsExpired);
    }

    [Fact]
    public void ExpiresThirtySecondsAfterTheLastValidRequest()
    {
        var time = new ManualTimeProvider();
        var consent = new ConsentFreshness(time);

        time.Advance(TimeSpan.FromSeconds(25));
        consent.OnValidRequest();
        time.Advance(TimeSpan.FromSeconds(29.999));
        Assert.False(consent.IsExpired);
        Assert.Equal(TimeSpan.FromSeconds(29.999), consent.SinceLastValidRequest);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(consent.IsExpired);
    }

    [Fact]
    public void RequestsEveryFiveSeconds_KeepConsentForever()
    {
        var time = new ManualTimeProvider();
        var consent = new ConsentFreshness(time);
        for (int i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            Assert.False(consent.IsExpired);
            consent.OnValidRequest();
        }
    }

    [Fact]
    public void ALateRequest_RestoresConsent()
    {
        // RFC 7675 leaves acting on expiry to the caller; the tracker only reports the age.
        var time = new ManualTimeProvider();
        var consent = new ConsentFreshness(time);
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(consent.IsExpired);
        consent.OnValidRequest();
        Assert.False(consent.IsExpired);
    }

    [Fact]
    public void CustomTimeout_IsHonoured()
    {
        var time = new ManualTimeProvider();
        var consent = new ConsentFreshness(time, TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(consent.IsExpired);
        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(consent.IsExpired);
    }

    [Fact]
    public void NonPositiveTimeout_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsentFreshness(new ManualTimeProvider(), TimeSpan.Zero));
    }
}

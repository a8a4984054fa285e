namespace Sfu.Web.Signaling;

/// <summary>Allows <c>ratePerSecond</c> events per second on average, with bursts up to the same number.</summary>
public sealed class TokenBucket(int ratePerSecond, TimeProvider time)
{
    private double _tokens = ratePerSecond;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(ratePerSecond, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * ratePerSecond);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}

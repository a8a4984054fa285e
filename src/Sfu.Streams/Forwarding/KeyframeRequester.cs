using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Forwarding;

/// <summary>
/// Throttles keyframe requests toward one publisher track: subscribers' PLIs and our own join-time requests
/// collapse into at most one per interval (500 ms), so a room of many viewers cannot make the publisher send
/// nothing but keyframes.
/// </summary>
public sealed class KeyframeRequester(TimeProvider time, TimeSpan interval)
{
    private long _last = long.MinValue;
    private long _requests;
    private long _sent;

    public long Requests => Interlocked.Read(ref _requests);
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>True when a request may go out now (and records it); false when one went out too recently.</summary>
    public bool TryRequest()
    {
        Interlocked.Increment(ref _requests);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _last);
        if ((last != long.MinValue && time.GetElapsedTime(last, now) < interval) || Interlocked.CompareExchange(ref _last, now, last) != last)
        {
            MediaCounters.Increment(MediaCounter.KeyframeRequestsThrottled);
            return false;
        }
        Interlocked.Increment(ref _sent);
        MediaCounters.Increment(MediaCounter.KeyframeRequestsSent);
        return true;
    }
}

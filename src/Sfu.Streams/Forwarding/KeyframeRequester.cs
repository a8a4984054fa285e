using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Forwarding;

/// <summary>Why the SFU asks a publisher for a keyframe.</summary>
public enum KeyframeReason
{
    /// <summary>A subscriber sent PLI or FIR: relayed.</summary>
    SubscriberRequest,
    /// <summary>A subscriber was added: its stream must start on a keyframe.</summary>
    NewSubscriber,
    /// <summary>A subscriber starts on or switches to a simulcast layer, which it can only do at a keyframe.</summary>
    LayerSwitch,
    /// <summary>A publisher-leg loss could not be repaired by retransmission.</summary>
    UnrecoverableLoss,
}

/// <summary>
/// Throttles keyframe requests toward one publisher stream: subscribers' PLIs and our own join-time requests
/// collapse into at most one per interval (500 ms), so a room of many viewers cannot make the publisher send
/// nothing but keyframes. Once the publisher has answered the last request (a keyframe arrived after it), the next
/// may follow after a fifth of that: a subscriber that connects just after a keyframe went by would otherwise wait
/// up to the whole interval for its first picture (the join time of issue 7), while requests the publisher has not
/// answered yet still collapse for the full interval.
/// </summary>
public sealed class KeyframeRequester(TimeProvider time, TimeSpan interval)
{
    private readonly TimeSpan _answeredInterval = interval / 5;
    private long _lastKeyframe = long.MinValue;

    private static readonly MediaCounter[] ReasonCounters =
    [
        MediaCounter.KeyframeRequestsForSubscriber, MediaCounter.KeyframeRequestsForNewSubscriber,
        MediaCounter.KeyframeRequestsForLayerSwitch, MediaCounter.KeyframeRequestsForLoss,
    ];

    private long _last = long.MinValue;
    private long _requests;
    private long _sent;
    private readonly long[] _byReason = new long[ReasonCounters.Length];

    public long Requests => Interlocked.Read(ref _requests);
    public long Sent => Interlocked.Read(ref _sent);
    /// <summary>Requests collapsed into a recent one instead of being sent.</summary>
    public long Throttled => Requests - Sent;
    /// <summary>Requests (sent or throttled) made for <paramref name="reason"/>.</summary>
    public long RequestsFor(KeyframeReason reason) => Interlocked.Read(ref _byReason[(int)reason]);

    /// <summary>A keyframe arrived from the publisher on this stream: the requests before it are answered.</summary>
    public void OnKeyframe() => Interlocked.Exchange(ref _lastKeyframe, time.GetTimestamp());

    /// <summary>True when a request may go out now (and records it); false when one went out too recently.</summary>
    public bool TryRequest(KeyframeReason reason)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _byReason[(int)reason]);
        MediaCounters.Increment(ReasonCounters[(int)reason]);
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _last);
        var wait = Interlocked.Read(ref _lastKeyframe) is var keyframe && keyframe != long.MinValue && keyframe >= last ? _answeredInterval : interval;
        if ((last != long.MinValue && time.GetElapsedTime(last, now) < wait) || Interlocked.CompareExchange(ref _last, now, last) != last)
        {
            MediaCounters.Increment(MediaCounter.KeyframeRequestsThrottled);
            return false;
        }
        Interlocked.Increment(ref _sent);
        MediaCounters.Increment(MediaCounter.KeyframeRequestsSent);
        return true;
    }
}

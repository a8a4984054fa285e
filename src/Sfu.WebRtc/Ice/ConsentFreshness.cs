namespace Sfu.WebRtc.Ice;

/// <summary>
/// Consent freshness for one ICE-lite session (RFC 7675). A lite agent sends no checks of its own,
/// so consent is the browser's: every authenticated Binding request it sends (one every ~5 s,
/// RFC 7675 §5.1) refreshes it, and once none has arrived for the timeout (30 s, §5.1) the session
/// must stop sending media. Creation counts as the first valid request, because a session is only
/// created once a check has succeeded. Uses the monotonic timestamp, so wall-clock jumps do not
/// expire or revive consent. Safe to update from the receive path and read from a timer thread.
/// </summary>
public sealed class ConsentFreshness
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private long _lastValidRequest;

    public ConsentFreshness(TimeProvider timeProvider, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Timeout = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(timeout));
        _time = timeProvider;
        _lastValidRequest = timeProvider.GetTimestamp();
    }

    public TimeSpan Timeout { get; }

    /// <summary>Call for each Binding request that passed MESSAGE-INTEGRITY; unauthenticated ones must not refresh consent (§5.1).</summary>
    public void OnValidRequest() => Volatile.Write(ref _lastValidRequest, _time.GetTimestamp());

    public TimeSpan SinceLastValidRequest => _time.GetElapsedTime(Volatile.Read(ref _lastValidRequest));

    public bool IsExpired => SinceLastValidRequest >= Timeout;
}

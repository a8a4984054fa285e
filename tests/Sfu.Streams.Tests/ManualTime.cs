namespace Sfu.Streams.Tests;

/// <summary>A clock tests move by hand.</summary>
public sealed class ManualTime : TimeProvider
{
    private long _ticks = 1_000_000;
    private DateTimeOffset _utc = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => _ticks;
    public override DateTimeOffset GetUtcNow() => _utc;

    public void Advance(TimeSpan by)
    {
        _ticks += by.Ticks;
        _utc += by;
    }
}

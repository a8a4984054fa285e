using System.Threading.Channels;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Pipeline;

/// <summary>
/// The bounded queue that carries packets into a graph from another thread (the UDP receive thread, or other
/// publishers' forwarding). A full queue drops and counts instead of blocking the producer: forwarding to one
/// slow subscriber must never stall the others.
/// </summary>
public sealed class MediaQueue : IMediaSink
{
    private readonly Channel<MediaPacket> _channel;
    private readonly DropReason _dropReason;
    // The reading graph's wake-up (see MediaQueueSource): armed by the reader when it found the queue empty, fired
    // once by the next write. It replaces the channel's async wait, whose continuation ran on the .NET thread pool
    // and only then woke the graph: two thread hand-offs per packet instead of one.
    private Action? _wake;
    private int _armed;

    public MediaQueue(int capacity, DropReason dropReason)
    {
        _dropReason = dropReason;
        _channel = Channel.CreateBounded<MediaPacket>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    public ChannelReader<MediaPacket> Reader => _channel.Reader;
    public long Dropped;

    public bool TryEnqueue(MediaPacket packet)
    {
        if (_channel.Writer.TryWrite(packet))
        {
            Wake();
            return true;
        }
        Interlocked.Increment(ref Dropped);
        return false;
    }

    /// <summary>Sets the reader's wake-up; one reader at a time (the graph that owns this queue).</summary>
    internal void Attach(Action wake)
    {
        _wake = wake;
        Volatile.Write(ref _armed, 0);
    }

    internal void Detach(Action wake)
    {
        Interlocked.CompareExchange(ref _wake, null, wake);
    }

    /// <summary>
    /// The reader found the queue empty: the next write (or completion) calls its wake-up. The reader must try to
    /// read once more after arming, and call <see cref="Disarm"/> if that found something, or a packet written
    /// between its failed read and the arming would wait for the next one.
    /// </summary>
    internal void Arm() => Interlocked.Exchange(ref _armed, 1);

    /// <summary>Returns false when a writer already took the arming (its wake-up is on its way and finds nothing: harmless).</summary>
    internal bool Disarm() => Interlocked.Exchange(ref _armed, 0) == 1;

    private void Wake()
    {
        if (Volatile.Read(ref _armed) == 0 || Interlocked.Exchange(ref _armed, 0) == 0) return;
        _wake?.Invoke();
    }

    /// <summary>Enqueues or releases the packet (counting the drop) so callers never leak a buffer.</summary>
    public void Offer(MediaPacket packet)
    {
        if (TryEnqueue(packet)) return;
        DropCounters.Count(_dropReason);
        packet.Release();
    }

    public void Complete()
    {
        _channel.Writer.TryComplete();
        while (_channel.Reader.TryRead(out var p)) p.Release();
        Interlocked.Exchange(ref _armed, 0);
        _wake?.Invoke();
    }

    public bool IsCompleted => _channel.Reader.Completion.IsCompleted;
}

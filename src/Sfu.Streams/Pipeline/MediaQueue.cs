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
        if (_channel.Writer.TryWrite(packet)) return true;
        Interlocked.Increment(ref Dropped);
        return false;
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
    }
}

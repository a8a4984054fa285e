using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace Sfu.WebRtc.Dtls;

/// <summary>
/// Bridges BouncyCastle's blocking <see cref="DatagramTransport"/> to a socket owned elsewhere: the UDP receive
/// thread enqueues, the handshake thread dequeues with BouncyCastle's timeout; sends go straight to a callback.
/// </summary>
internal sealed class QueuedDatagramTransport : DatagramTransport
{
    private readonly BlockingCollection<byte[]> _queue;
    private readonly Action<ReadOnlyMemory<byte>> _send;
    private readonly int _sendLimit;
    private readonly int _receiveLimit;
    private readonly CancellationToken _handshakeCancel;
    private readonly CancellationToken _stop;
    private long _dropped;
    private volatile bool _handshakeDone;
    private volatile bool _closed;

    public QueuedDatagramTransport(Action<ReadOnlyMemory<byte>> send, int sendLimit, int receiveLimit, int capacity,
        CancellationToken handshakeCancel, CancellationToken stop)
    {
        _send = send;
        _sendLimit = sendLimit;
        _receiveLimit = receiveLimit;
        _handshakeCancel = handshakeCancel;
        _stop = stop;
        _queue = new BlockingCollection<byte[]>(new ConcurrentQueue<byte[]>(), capacity);
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>From now on only disposal (not the handshake deadline) interrupts a wait.</summary>
    public void MarkHandshakeDone() => _handshakeDone = true;

    /// <summary>Called from any thread; never blocks.</summary>
    public void Enqueue(ReadOnlySpan<byte> datagram)
    {
        if (_closed || datagram.Length == 0 || datagram.Length > _receiveLimit
            || !DtlsRecordFilter.IsPlausible(datagram) || !_queue.TryAdd(datagram.ToArray()))
            Interlocked.Increment(ref _dropped);
    }

    /// <summary>Counts datagrams arriving after the handshake thread has stopped reading.</summary>
    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public int GetReceiveLimit() => _receiveLimit;

    public int GetSendLimit() => _sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        // Throwing (rather than reporting a timeout) is what makes BouncyCastle give up at once: it would otherwise
        // keep polling until its own wait expires. It has already sent close_notify or an alert when closed.
        if (_closed)
            throw new IOException("The DTLS datagram transport is closed.");
        if (!_queue.TryTake(out var datagram, Math.Max(0, waitMillis), _handshakeDone ? _stop : _handshakeCancel))
            return -1;
        if (datagram.Length > buffer.Length)
        {
            // BouncyCastle sized the buffer from GetReceiveLimit, so this only happens if it asks for less; a truncated
            // record would fail its MAC anyway.
            Interlocked.Increment(ref _dropped);
            return -1;
        }
        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    // The callback may hand the memory to an async socket send, so it gets its own copy; only handshake
    // flights and alerts pass here, never media.
    public void Send(ReadOnlySpan<byte> buffer) => _send(buffer.ToArray());

    public void Close() => _closed = true;
}

using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sfu.WebRtc.Transport;

/// <summary>
/// Collects the datagrams one thread sends while a batch is open and hands them to the kernel in one
/// <c>sendmmsg(2)</c> call when it closes: the fan-out of one published packet to N subscribers costs one system call
/// instead of N. Each sendto paid the syscall entry and exit, the runtime's socket wrapper, and (on a busy host) a
/// reschedule on the way out of the kernel after it woke the receiver: docs/PERFORMANCE.md.
/// </summary>
/// <remarks>
/// Datagrams are copied into the batch, so callers may reuse or release their buffers at once. Outside Linux, or when
/// no batch is open on the thread, <see cref="WebRtcTransport.Send"/> sends at once as before. Batches nest: only the
/// outermost close flushes.
/// </remarks>
public sealed unsafe class UdpSendBatch
{
    /// <summary>Datagrams per system call; a larger fan-out flushes along the way.</summary>
    public const int Capacity = 64;
    private const int SlotSize = 1536;
    private const int AddressSize = 128; // sizeof(struct sockaddr_storage)

    [ThreadStatic] private static UdpSendBatch? _current;

    private readonly byte[] _data = GC.AllocateUninitializedArray<byte>(Capacity * SlotSize, pinned: true);
    private readonly byte[] _addresses = GC.AllocateUninitializedArray<byte>(Capacity * AddressSize, pinned: true);
    private readonly int[] _lengths = new int[Capacity];
    private readonly int[] _addressLengths = new int[Capacity];
    private UdpMux? _mux;
    private int _count;
    private int _depth;

    /// <summary>Datagrams flushed in one call, for tests and benchmarks.</summary>
    public long Flushes { get; private set; }

    /// <summary>True where one system call can carry many datagrams (64-bit Linux).</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>The batch open on this thread, if any.</summary>
    internal static UdpSendBatch? Current => _current is { _depth: > 0 } b ? b : null;

    /// <summary>Opens (or nests into) this thread's batch; dispose the scope to send what it collected.</summary>
    public static Scope Open()
    {
        if (!Supported) return default;
        var batch = _current ??= new UdpSendBatch();
        batch._depth++;
        return new Scope(batch);
    }

    public readonly struct Scope(UdpSendBatch? batch) : IDisposable
    {
        public UdpSendBatch? Batch => batch;

        public void Dispose()
        {
            if (batch is null || --batch._depth > 0) return;
            batch.Flush();
        }
    }

    /// <summary>Queues one datagram (copied) toward <paramref name="remote"/> through <paramref name="mux"/>'s socket.</summary>
    internal bool Add(UdpMux mux, ReadOnlySpan<byte> datagram, System.Net.SocketAddress remote)
    {
        if (datagram.Length > SlotSize || remote.Size > AddressSize) return mux.SendTo(datagram, remote);
        if (_count == Capacity || (_mux is not null && _mux != mux)) Flush();
        _mux = mux;
        datagram.CopyTo(_data.AsSpan(_count * SlotSize, SlotSize));
        remote.Buffer.Span[..remote.Size].CopyTo(_addresses.AsSpan(_count * AddressSize, AddressSize));
        _lengths[_count] = datagram.Length;
        _addressLengths[_count] = remote.Size;
        _count++;
        return true;
    }

    /// <summary>Sends everything collected so far in one system call (more if the kernel takes only part).</summary>
    public void Flush()
    {
        var count = _count;
        var mux = _mux;
        _count = 0;
        if (count == 0 || mux is null) return;
        Flushes++;
        var messages = stackalloc MMsgHdr[count];
        var vectors = stackalloc IoVec[count];
        fixed (byte* data = _data)
        fixed (byte* addresses = _addresses)
        {
            for (var i = 0; i < count; i++)
            {
                vectors[i] = new IoVec { Base = data + i * SlotSize, Length = (nuint)_lengths[i] };
                messages[i] = new MMsgHdr
                {
                    Header = new MsgHdr
                    {
                        Name = addresses + i * AddressSize,
                        NameLength = (uint)_addressLengths[i],
                        Iov = vectors + i,
                        IovLength = 1,
                    },
                };
            }
            var sent = 0;
            while (sent < count)
            {
                var n = mux.SendMany(messages + sent, (uint)(count - sent));
                if (n <= 0)
                {
                    // The datagram at `sent` failed (a full send buffer, an unreachable address): drop it, go on.
                    DropCounters.Count(DropReason.SendFailed);
                    sent++;
                    continue;
                }
                sent += n;
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    // struct msghdr and struct mmsghdr (sys/socket.h) as laid out on 64-bit Linux.
    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }
}

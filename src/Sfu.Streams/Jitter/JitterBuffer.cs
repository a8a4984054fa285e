using System.Diagnostics.CodeAnalysis;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Jitter;

/// <summary>
/// Puts one RTP stream back in order for a consumer that needs whole frames (recording): packets are held by extended
/// sequence number and released a frame at a time, in order, once every packet of the frame is there. A frame that is
/// still incomplete when its oldest packet has waited the target delay is skipped (counted), so a loss costs one frame,
/// never the stream. Not thread-safe: one owner (its stage) inserts and takes.
/// </summary>
/// <remarks>
/// Frames: video packets of one frame share an RTP timestamp and the last carries the marker bit (RFC 3550 §5.1,
/// RFC 7741 §4.1); a frame also ends where the next packet has another timestamp, should a marker be lost. Audio
/// (<c>packetPerFrame</c>) is one frame per packet: Opus packets decode on their own, and its marker only flags the
/// start of a talkspurt (RFC 3551 §4.1). The frame after a gap can only be recognised from a packet whose predecessor
/// arrived (a marker, or a timestamp change), so a skip also drops a complete frame that directly follows the gap:
/// without codec-specific start flags the SFU cannot tell it from the tail of the lost one. Likewise the stream starts
/// at the first packet that arrives: packets that overtook it are taken until the first frame is released, not after.
/// The target delay follows the interarrival jitter of RFC 3550 §6.4.1 (J += (|D| - J) / 16), times
/// <see cref="JitterBufferSettings.JitterMultiplier"/>, clamped to [Target, Max].
/// </remarks>
public sealed class JitterBuffer
{
    private struct Slot
    {
        public MediaPacket? Packet;
        public long Sequence;
        public uint Timestamp;
        public bool Marker;
        public long Arrival;
    }

    private readonly TimeProvider _time;
    private readonly JitterBufferSettings _settings;
    private readonly int _clockRate;
    private readonly bool _packetPerFrame;
    private readonly Slot[] _slots;
    private readonly long _mask;
    private readonly Queue<MediaPacket> _ready;
    private SequenceUnwrapper _unwrapper;
    private bool _started;
    private long _next;
    private long _highest;
    private int _held;
    private double _jitter;
    private bool _jitterStarted;
    private double _lastTransit;

    /// <param name="clockRate">RTP clock of the stream (48000 Opus, 90000 video), to turn timestamps into time.</param>
    /// <param name="packetPerFrame">True for audio: every packet is a frame of its own.</param>
    public JitterBuffer(TimeProvider time, JitterBufferSettings settings, int clockRate, bool packetPerFrame)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        if (settings.Max < settings.Target) throw new ArgumentException("jitter buffer max must not be below its target", nameof(settings));
        _time = time;
        _settings = settings;
        _clockRate = clockRate;
        _packetPerFrame = packetPerFrame;
        var capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, settings.Capacity));
        _slots = new Slot[capacity];
        _mask = capacity - 1;
        _ready = new Queue<MediaPacket>(capacity);
        TargetDelay = settings.Target;
    }

    public JitterBufferCounters Counters { get; } = new();

    /// <summary>How long an incomplete frame is waited for now.</summary>
    public TimeSpan TargetDelay { get; private set; }

    /// <summary>Interarrival jitter (RFC 3550 §6.4.1) in milliseconds.</summary>
    public double JitterMs => _jitter * 1000.0 / _clockRate;

    /// <summary>Packets held (waiting for their frame), not counting released ones not yet taken.</summary>
    public int Held => _held;

    /// <summary>Takes ownership of <paramref name="packet"/>: it is held, or released at once if late, duplicate or not RTP.</summary>
    public void Insert(MediaPacket packet)
    {
        if (!RtpHeader.TryParse(packet.Span, out var header))
        {
            packet.Release();
            return;
        }
        Counters.PacketsIn++;
        var now = _time.GetTimestamp();
        UpdateJitter(now, header.Timestamp);
        var seq = _unwrapper.Unwrap(header.SequenceNumber);
        if (!_started)
        {
            _started = true;
            _next = seq;
            _highest = seq;
        }
        // Until a frame is released the start is provisional: the first packet may have overtaken earlier ones.
        if (seq < _next && Counters.FramesReleased == 0 && Counters.FramesSkipped == 0 && _highest - seq < _slots.Length) _next = seq;
        if (seq < _next)
        {
            Counters.PacketsLate++;
            packet.Release();
            return;
        }
        ref var existing = ref _slots[seq & _mask];
        if (existing.Packet is not null && existing.Sequence == seq)
        {
            Counters.Duplicates++;
            packet.Release();
            return;
        }
        // No room before this packet's slot: free it by releasing or skipping the oldest frames now.
        while (seq - _next >= _slots.Length) MakeRoom();
        ref var slot = ref _slots[seq & _mask];
        slot = new Slot { Packet = packet, Sequence = seq, Timestamp = header.Timestamp, Marker = header.Marker, Arrival = now };
        _held++;
        if (seq > _highest) _highest = seq;
    }

    /// <summary>The next packet of the next complete frame, in order; frames whose wait is over are skipped first.</summary>
    public bool TryTake([NotNullWhen(true)] out MediaPacket? packet)
    {
        if (_ready.TryDequeue(out packet)) return true;
        Advance(_time.GetTimestamp());
        return _ready.TryDequeue(out packet);
    }

    /// <summary>Releases every packet held or ready (the consumer stops).</summary>
    public void Clear()
    {
        while (_ready.TryDequeue(out var p)) p.Release();
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i].Packet?.Release();
            _slots[i] = default;
        }
        _held = 0;
    }

    private void Advance(long now)
    {
        while (_held > 0)
        {
            if (TryReleaseFrame()) continue;
            if (_time.GetElapsedTime(OldestArrival(), now) < TargetDelay || !TrySkipFrame()) return;
        }
    }

    private bool Present(long seq, out Slot slot)
    {
        slot = _slots[seq & _mask];
        return slot.Packet is not null && slot.Sequence == seq;
    }

    /// <summary>Moves the frame starting at the next sequence number to the ready queue if it is complete.</summary>
    private bool TryReleaseFrame()
    {
        if (!Present(_next, out var first)) return false;
        var end = _next;
        if (!_packetPerFrame)
        {
            for (var s = _next; ; s++)
            {
                if (s > _highest || !Present(s, out var slot)) return false;
                if (slot.Timestamp != first.Timestamp)
                {
                    end = s - 1;
                    break;
                }
                if (slot.Marker)
                {
                    end = s;
                    break;
                }
            }
        }
        for (var s = _next; s <= end; s++) Ready(Take(s));
        _next = end + 1;
        Counters.FramesReleased++;
        return true;
    }

    /// <summary>
    /// Gives up on the frame at the next sequence number: drops everything before the first place a frame is known
    /// to start. False when no such place has arrived yet (nothing can be released then either).
    /// </summary>
    private bool TrySkipFrame()
    {
        var boundary = -1L;
        for (var s = _next; s <= _highest; s++)
        {
            if (!Present(s, out var slot)) continue;
            if (_packetPerFrame)
            {
                boundary = s;
                break;
            }
            if (slot.Marker || (Present(s + 1, out var after) && after.Timestamp != slot.Timestamp))
            {
                boundary = s + 1;
                break;
            }
        }
        if (boundary < 0) return false;
        // Audio: each missing packet was a frame. Video: each timestamp dropped was one (at least the incomplete one).
        var frames = _packetPerFrame ? boundary - _next : 0;
        uint? lastTimestamp = null;
        for (var s = _next; s < boundary; s++)
        {
            if (!Present(s, out var slot)) continue;
            if (!_packetPerFrame && slot.Timestamp != lastTimestamp) frames++;
            lastTimestamp = slot.Timestamp;
            Take(s).Release();
            Counters.PacketsDropped++;
        }
        Counters.FramesSkipped += Math.Max(1, frames);
        _next = boundary;
        return true;
    }

    /// <summary>The buffer is full: release what is complete, else skip, else drop the oldest slot.</summary>
    private void MakeRoom()
    {
        if (TryReleaseFrame() || TrySkipFrame()) return;
        if (Present(_next, out _))
        {
            Take(_next).Release();
            Counters.PacketsDropped++;
            Counters.FramesSkipped++;
        }
        _next++;
    }

    private MediaPacket Take(long seq)
    {
        ref var slot = ref _slots[seq & _mask];
        var packet = slot.Packet!;
        slot = default;
        _held--;
        return packet;
    }

    private void Ready(MediaPacket packet)
    {
        // A consumer that stopped taking must not make us hold the stream: the oldest released packets go.
        if (_ready.Count >= _slots.Length && _ready.TryDequeue(out var stale))
        {
            stale.Release();
            Counters.ReadyOverflow++;
        }
        _ready.Enqueue(packet);
    }

    private long OldestArrival()
    {
        var oldest = long.MaxValue;
        var seen = 0;
        for (var s = _next; s <= _highest && seen < _held; s++)
        {
            if (!Present(s, out var slot)) continue;
            seen++;
            if (slot.Arrival < oldest) oldest = slot.Arrival;
        }
        return oldest;
    }

    private void UpdateJitter(long now, uint timestamp)
    {
        // RFC 3550 §6.4.1 / A.8: transit = arrival - timestamp in clock units; D is the change in transit.
        var arrival = now * (double)_clockRate / _time.TimestampFrequency;
        var transit = arrival - timestamp;
        if (_jitterStarted)
        {
            var d = transit - _lastTransit;
            // Timestamps wrap at 2^32: a difference beyond half the range is a wrap, not a delay.
            if (d > uint.MaxValue / 2.0) d -= 4294967296.0;
            else if (d < -(uint.MaxValue / 2.0)) d += 4294967296.0;
            _jitter += (Math.Abs(d) - _jitter) / 16.0;
            var target = TimeSpan.FromMilliseconds(_settings.JitterMultiplier * JitterMs);
            TargetDelay = target < _settings.Target ? _settings.Target : target > _settings.Max ? _settings.Max : target;
        }
        _jitterStarted = true;
        _lastTransit = transit;
    }
}

using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Fec;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Redundancy;

/// <summary>
/// Repairs the publisher leg from the publisher's own FlexFEC: when a FEC packet arrives and exactly one packet it
/// protects is missing (being NACKed, or a frame's lost last packet not yet missed), the SFU rebuilds it at once
/// instead of waiting a round trip for its retransmission. This is what saves a packet whose retransmission is lost
/// too: libwebrtc resends a packet only once per RTT + 5 ms, so a second retransmission lands about two round trips
/// after the loss, when its frame is already due. The rebuilt packet is the original byte for byte, so it is
/// forwarded, stored for later FEC and protected toward subscribers like a packet that was never lost.
/// </summary>
/// <remarks>Publisher ingress thread only, like <see cref="FecSourceWindow"/> it reads.</remarks>
public sealed class FecRecovery(FecSourceWindow originals, TimeProvider time)
{
    /// <summary>FEC packets kept for another try while two or more of their packets are missing.</summary>
    public const int MaxPending = 8;
    /// <summary>How long a kept FEC packet is tried again: past this its packets are repaired by NACK or too late.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMilliseconds(300);

    private readonly byte[] _work = new byte[MediaPacket.BufferSize];
    private readonly byte[][] _pending = new byte[MaxPending][];
    private readonly int[] _pendingLength = new int[MaxPending];
    private readonly long[] _pendingAt = new long[MaxPending];
    private int _pendingCount;

    /// <summary>FEC packets that could not rebuild anything: nothing missing, two or more missing (NACK repairs those),
    /// a protected packet held only as restored from RTX, or malformed.</summary>
    public long NothingMissing, TooManyMissing, Unusable, Invalid;
    /// <summary>Packets rebuilt by a FEC packet kept from earlier, once another one had rebuilt its other missing packet.</summary>
    public long RebuiltOnRetry;

    /// <summary>
    /// Rebuilds the missing packet <paramref name="fec"/> protects, in place of the FEC packet (its buffer then holds
    /// the media packet). Returns the stream the packet belongs to; null, leaving the FEC packet as it was, when the
    /// FEC repairs nothing that is missing now.
    /// </summary>
    /// <remarks>
    /// As libwebrtc's receiver does, a FEC packet with two or more packets missing is kept and tried again: once
    /// another FEC packet rebuilds one of them, it rebuilds the other. The retry runs when the next FEC packet arrives
    /// (by then the rebuilt packet has been forwarded and stored); if it rebuilds, that packet takes the new FEC
    /// packet's place, which then is not forwarded itself.
    /// </remarks>
    public RtpReceiveStream? TryRecover(MediaPacket fec, in RtpHeader header, UpTrack track)
    {
        var payload = fec.Span.Slice(header.HeaderLength, header.PayloadLength);
        var now = time.GetTimestamp();
        var result = TryOne(payload, track, fec, out var stream);
        if (result == FecRecoveryResult.Recovered) return stream;
        var kept = result == FecRecoveryResult.TooManyMissing;
        if (kept) Keep(payload, now);
        return RetryPending(track, fec, now, skipNewest: kept);
    }

    private FecRecoveryResult TryOne(ReadOnlySpan<byte> payload, UpTrack track, MediaPacket into, out RtpReceiveStream? stream)
    {
        stream = null;
        if (!FlexFec03Header.TryParse(payload, out var h) || FindStream(track, h.ProtectedSsrc) is not { } s)
        {
            Invalid++;
            return FecRecoveryResult.Invalid;
        }
        var result = FlexFecDecoder.TryRecover(payload, new Held(originals, s), _work, into.Buffer, out var length, out _);
        switch (result)
        {
            case FecRecoveryResult.Recovered:
                into.Length = length;
                stream = s;
                break;
            case FecRecoveryResult.NothingMissing:
                NothingMissing++;
                break;
            case FecRecoveryResult.TooManyMissing:
                TooManyMissing++;
                break;
            case FecRecoveryResult.Unusable:
                Unusable++;
                break;
            default:
                Invalid++;
                break;
        }
        return result;
    }

    private void Keep(ReadOnlySpan<byte> payload, long now)
    {
        if (_pendingCount == MaxPending) RemovePending(0);
        var slot = _pending[_pendingCount] ??= new byte[MediaPacket.BufferSize];
        payload.CopyTo(slot);
        _pendingLength[_pendingCount] = payload.Length;
        _pendingAt[_pendingCount] = now;
        _pendingCount++;
    }

    private RtpReceiveStream? RetryPending(UpTrack track, MediaPacket into, long now, bool skipNewest)
    {
        // Oldest first; the newest, when it was just kept, was tried already.
        for (var i = 0; i < _pendingCount - (skipNewest ? 1 : 0); i++)
        {
            if (time.GetElapsedTime(_pendingAt[i], now) > PendingLifetime)
            {
                RemovePending(i--);
                continue;
            }
            var payload = _pending[i].AsSpan(0, _pendingLength[i]);
            if (!FlexFec03Header.TryParse(payload, out var h) || FindStream(track, h.ProtectedSsrc) is not { } s)
            {
                RemovePending(i--);
                continue;
            }
            // Counted once when it arrived; a retry that still lacks two packets stays kept, anything else ends it.
            var result = FlexFecDecoder.TryRecover(payload, new Held(originals, s), _work, into.Buffer, out var length, out _);
            if (result == FecRecoveryResult.TooManyMissing) continue;
            RemovePending(i--);
            if (result != FecRecoveryResult.Recovered) continue;
            into.Length = length;
            RebuiltOnRetry++;
            return s;
        }
        return null;
    }

    private void RemovePending(int index)
    {
        var slot = _pending[index];
        for (var j = index; j < _pendingCount - 1; j++)
        {
            _pending[j] = _pending[j + 1];
            _pendingLength[j] = _pendingLength[j + 1];
            _pendingAt[j] = _pendingAt[j + 1];
        }
        _pendingCount--;
        _pending[_pendingCount] = slot;
    }

    private static RtpReceiveStream? FindStream(UpTrack track, uint ssrc)
    {
        foreach (var s in track.Streams)
            if (s.Ssrc == ssrc) return s;
        return null;
    }

    /// <summary>
    /// What the receiver holds: the window's originals. A packet not in the window counts as missing only if the
    /// stream is still asking for it or has not got that far (a frame's lost last packet: the FEC that follows the
    /// frame rebuilds it before the next frame would show the gap); one that came as RTX (not byte-exact, so not
    /// stored) or is older than the window is held but unusable (empty), which makes the FEC packet unusable rather
    /// than "repairing" it again.
    /// </summary>
    private readonly struct Held(FecSourceWindow window, RtpReceiveStream stream) : IFecPacketSource
    {
        public bool TryGet(ushort sequence, out ReadOnlySpan<byte> packet)
        {
            var extended = window.Unwrap(sequence);
            if (window.TryGet(extended, out packet)) return true;
            // Received but not stored, or too old: held, but not as sent.
            return !stream.IsMissingOrAhead(extended);
        }
    }
}

using System.Buffers;
using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1):
/// an RTPFB with FMT=15 reporting, for a range of transport-wide sequence numbers, which packets arrived and when.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=15 |    PT=205     |           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      SSRC of media source                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      base sequence number     |      packet status count      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 reference time                | fb pkt. count |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          packet chunk         |         packet chunk          |
/// .                                                               .
/// |         packet chunk          |  recv delta   |  recv delta   |
/// .                                                               .
/// |           recv delta          |  recv delta   | zero padding  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// run length chunk (§3.1.3):     |0| S |       run length (13)       |
/// status vector chunk (§3.1.4):  |1|0|  14 one-bit symbols           |
///                                |1|1|  7 two-bit symbols            |
/// </code>
/// Symbols (§3.1.1): 00 not received, 01 received with a 1-byte delta (0..63.75 ms), 10 received with a
/// 2-byte signed delta, 11 received without a delta (the draft marks it reserved, yet uses it in its §3.1.3 example).
/// Deltas count 250 µs ticks from the previous received packet, the first from reference time (multiples of 64 ms).
/// </remarks>
public readonly ref struct TransportCcFeedback
{
    internal const int FixedLength = 20;
    private const int FixedBodyLength = 16;
    public const int MicrosecondsPerTick = 250;
    public const int MicrosecondsPerReferenceUnit = 64_000;

    private readonly ReadOnlySpan<byte> _chunks;
    private readonly ReadOnlySpan<byte> _deltas;

    private TransportCcFeedback(ReadOnlySpan<byte> body, ReadOnlySpan<byte> chunks, ReadOnlySpan<byte> deltas)
    {
        SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        BaseSequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(body[8..]);
        PacketStatusCount = BinaryPrimitives.ReadUInt16BigEndian(body[10..]);
        ReferenceTime = (body[12] << 16) | (body[13] << 8) | body[14];
        FeedbackPacketCount = body[15];
        _chunks = chunks;
        _deltas = deltas;
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public ushort BaseSequenceNumber { get; }

    public int PacketStatusCount { get; }

    /// <summary>The 24-bit reference time in 64 ms units, as on the wire (it wraps every ~12 days).</summary>
    public int ReferenceTime { get; }

    public long ReferenceTimeMicros => (long)ReferenceTime * MicrosecondsPerReferenceUnit;

    /// <summary>Counts feedback packets, so the sender can tell a lost feedback from a lost media packet.</summary>
    public byte FeedbackPacketCount { get; }

    /// <summary>One status per sequence number from <see cref="BaseSequenceNumber"/>, <see cref="PacketStatusCount"/> in all.</summary>
    public Enumerator GetEnumerator() => new(_chunks, _deltas, BaseSequenceNumber, PacketStatusCount, ReferenceTimeMicros);

    public static bool TryParse(ReadOnlySpan<byte> packet, out TransportCcFeedback feedback)
    {
        feedback = default;
        if (!RtcpHeader.TryGetFeedbackBody(packet, RtcpPacketType.RTPFB, RtcpFeedbackFormat.TransportCc, out var body)
            || body.Length < FixedBodyLength)
        {
            return false;
        }

        var statusCount = BinaryPrimitives.ReadUInt16BigEndian(body[10..]);
        var rest = body[FixedBodyLength..];
        var covered = 0;
        var chunksLength = 0;
        while (covered < statusCount)
        {
            if (chunksLength + 2 > rest.Length)
            {
                return false;
            }

            covered += SymbolCapacity(BinaryPrimitives.ReadUInt16BigEndian(rest[chunksLength..]));
            chunksLength += 2;
        }

        var candidate = new TransportCcFeedback(body, rest[..chunksLength], rest[chunksLength..]);
        var seen = 0;
        var enumerator = candidate.GetEnumerator();
        while (enumerator.MoveNext())
        {
            seen++;
        }

        if (seen != statusCount)
        {
            return false;
        }

        feedback = candidate;
        return true;
    }

    private static int SymbolCapacity(ushort chunk) =>
        (chunk & 0x8000) == 0 ? chunk & 0x1FFF : (chunk & 0x4000) == 0 ? 14 : 7;

    /// <summary>
    /// Writes feedback for <paramref name="packets"/>: received packets in ascending transport-wide sequence order
    /// (modulo 2^16, steps below 32768); numbers skipped between them are reported as not received.
    /// Reference time is the first arrival rounded down to 64 ms. Returns bytes written, or -1 if not every packet fits
    /// (see the overload with <c>consumed</c> to split a long list over several feedback packets).
    /// </summary>
    public static int Write(
        Span<byte> dest, uint senderSsrc, uint mediaSsrc, byte feedbackPacketCount, ReadOnlySpan<TransportCcArrival> packets)
    {
        var written = Write(dest, senderSsrc, mediaSsrc, feedbackPacketCount, packets, out var consumed);
        return consumed == packets.Length ? written : -1;
    }

    /// <summary>
    /// Writes feedback for the longest prefix of <paramref name="packets"/> that fits in <paramref name="dest"/>, whose
    /// receive deltas fit 16 bits and whose status count fits 16 bits; <paramref name="consumed"/> says how many.
    /// Returns bytes written, or -1 (consumed 0) if not even one packet fits.
    /// </summary>
    public static int Write(
        Span<byte> dest, uint senderSsrc, uint mediaSsrc, byte feedbackPacketCount,
        ReadOnlySpan<TransportCcArrival> packets, out int consumed)
    {
        consumed = 0;
        if (packets.IsEmpty)
        {
            throw new ArgumentException("Feedback needs at least one received packet.", nameof(packets));
        }

        var referenceUnits = FloorDiv(packets[0].ArrivalMicros, MicrosecondsPerReferenceUnit);
        var maxStatuses = ushort.MaxValue;
        var symbols = ArrayPool<byte>.Shared.Rent(Math.Min(maxStatuses, StatusSpan(packets)));
        var deltas = ArrayPool<short>.Shared.Rent(packets.Length);
        try
        {
            // Pass 1: the symbol per sequence number and the delta per packet, stopping where a packet cannot be encoded.
            var statusCount = 0;
            var time = referenceUnits * MicrosecondsPerReferenceUnit;
            var usable = 0;
            for (var i = 0; i < packets.Length; i++)
            {
                var gap = i == 0 ? 0 : (ushort)(packets[i].SequenceNumber - packets[i - 1].SequenceNumber) - 1;
                if (gap < 0 || gap >= 0x7FFF)
                {
                    throw new ArgumentException("Packets must be in ascending sequence order without duplicates.", nameof(packets));
                }

                var ticks = FloorDiv(packets[i].ArrivalMicros - time + MicrosecondsPerTick / 2, MicrosecondsPerTick);
                if (statusCount + gap + 1 > maxStatuses || ticks is < short.MinValue or > short.MaxValue)
                {
                    break;
                }

                symbols.AsSpan(statusCount, gap).Clear();
                statusCount += gap;
                symbols[statusCount++] = ticks is >= 0 and <= 255 ? (byte)1 : (byte)2;
                deltas[i] = (short)ticks;
                time += ticks * MicrosecondsPerTick;
                usable = i + 1;
            }

            // Pass 2: the longest prefix that fits dest. Length grows with the prefix, so search, then confirm.
            int low = 1, high = usable, best = 0;
            while (low <= high)
            {
                var mid = (low + high) / 2;
                if (GetLength(symbols, deltas, packets, mid) <= dest.Length)
                {
                    best = mid;
                    low = mid + 1;
                }
                else
                {
                    high = mid - 1;
                }
            }

            if (best == 0)
            {
                return -1;
            }

            var length = GetLength(symbols, deltas, packets, best);
            var unpadded = UnpaddedLength(symbols, deltas, packets, best);
            var statuses = StatusesFor(packets, best);
            dest[..length].Clear();
            RtcpHeader.Write(dest, RtcpFeedbackFormat.TransportCc, RtcpPacketType.RTPFB, length, padding: length != unpadded);
            BinaryPrimitives.WriteUInt32BigEndian(dest[4..], senderSsrc);
            BinaryPrimitives.WriteUInt32BigEndian(dest[8..], mediaSsrc);
            BinaryPrimitives.WriteUInt16BigEndian(dest[12..], packets[0].SequenceNumber);
            BinaryPrimitives.WriteUInt16BigEndian(dest[14..], (ushort)statuses);
            var reference = (int)(referenceUnits & 0xFF_FFFF);
            dest[16] = (byte)(reference >> 16);
            dest[17] = (byte)(reference >> 8);
            dest[18] = (byte)reference;
            dest[19] = feedbackPacketCount;
            var offset = FixedLength + 2 * EncodeChunks(symbols.AsSpan(0, statuses), dest[FixedLength..]);
            for (var i = 0; i < best; i++)
            {
                if (deltas[i] is >= 0 and <= 255)
                {
                    dest[offset++] = (byte)deltas[i];
                }
                else
                {
                    BinaryPrimitives.WriteInt16BigEndian(dest[offset..], deltas[i]);
                    offset += 2;
                }
            }

            if (length != unpadded)
            {
                // RFC 3550 §6.4.1 padding, as libwebrtc sends it: zeros, then the padding count in the last octet.
                dest[length - 1] = (byte)(length - unpadded);
            }

            consumed = best;
            return length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(symbols);
            ArrayPool<short>.Shared.Return(deltas);
        }
    }

    private static int StatusSpan(ReadOnlySpan<TransportCcArrival> packets)
    {
        long span = 1;
        for (var i = 1; i < packets.Length; i++)
        {
            span += (ushort)(packets[i].SequenceNumber - packets[i - 1].SequenceNumber);
        }

        return (int)Math.Min(span, ushort.MaxValue);
    }

    private static int StatusesFor(ReadOnlySpan<TransportCcArrival> packets, int count) =>
        (ushort)(packets[count - 1].SequenceNumber - packets[0].SequenceNumber) + 1;

    private static int UnpaddedLength(byte[] symbols, short[] deltas, ReadOnlySpan<TransportCcArrival> packets, int count)
    {
        var deltaBytes = 0;
        for (var i = 0; i < count; i++)
        {
            deltaBytes += deltas[i] is >= 0 and <= 255 ? 1 : 2;
        }

        return FixedLength + 2 * EncodeChunks(symbols.AsSpan(0, StatusesFor(packets, count)), default) + deltaBytes;
    }

    private static int GetLength(byte[] symbols, short[] deltas, ReadOnlySpan<TransportCcArrival> packets, int count) =>
        (UnpaddedLength(symbols, deltas, packets, count) + 3) & ~3;

    /// <summary>
    /// Greedy chunking: a run of 14+ equal symbols becomes a run-length chunk; otherwise 14 symbols without
    /// large deltas fit a one-bit vector; otherwise a run of 7+ becomes a run-length chunk; else a two-bit vector of 7.
    /// Vectors past the last status are padded with "not received", which readers ignore (they stop at the count).
    /// Writes chunks when <paramref name="dest"/> is not empty; returns the number of chunks.
    /// </summary>
    private static int EncodeChunks(ReadOnlySpan<byte> symbols, Span<byte> dest)
    {
        var chunks = 0;
        var i = 0;
        while (i < symbols.Length)
        {
            var run = 1;
            while (i + run < symbols.Length && symbols[i + run] == symbols[i] && run < 0x1FFF)
            {
                run++;
            }

            var window = Math.Min(14, symbols.Length - i);
            var oneBit = true;
            for (var k = 0; k < window && oneBit; k++)
            {
                oneBit = symbols[i + k] <= 1;
            }

            ushort chunk;
            if (run >= 14 || (run >= 7 && !oneBit) || run == symbols.Length - i)
            {
                chunk = (ushort)((symbols[i] << 13) | run);
                i += run;
            }
            else if (oneBit)
            {
                chunk = 0x8000;
                for (var k = 0; k < window; k++)
                {
                    chunk |= (ushort)(symbols[i + k] << (13 - k));
                }

                i += window;
            }
            else
            {
                chunk = 0xC000;
                var count = Math.Min(7, symbols.Length - i);
                for (var k = 0; k < count; k++)
                {
                    chunk |= (ushort)(symbols[i + k] << (12 - 2 * k));
                }

                i += count;
            }

            if (!dest.IsEmpty)
            {
                BinaryPrimitives.WriteUInt16BigEndian(dest[(2 * chunks)..], chunk);
            }

            chunks++;
        }

        return chunks;
    }

    private static long FloorDiv(long value, long divisor) =>
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);

    /// <summary>Walks chunks and deltas together; stops early (false) if the deltas run out.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _chunks;
        private readonly ReadOnlySpan<byte> _deltas;
        private readonly int _statusCount;
        private readonly ushort _base;
        private int _index;
        private int _chunkOffset;
        private ushort _chunk;
        private int _symbolInChunk;
        private int _symbolsInChunk;
        private int _deltaOffset;
        private long _time;

        internal Enumerator(ReadOnlySpan<byte> chunks, ReadOnlySpan<byte> deltas, ushort baseSequence, int statusCount, long referenceMicros)
        {
            _chunks = chunks;
            _deltas = deltas;
            _statusCount = statusCount;
            _base = baseSequence;
            _index = 0;
            _chunkOffset = 0;
            _chunk = 0;
            _symbolInChunk = 0;
            _symbolsInChunk = 0;
            _deltaOffset = 0;
            _time = referenceMicros;
            Current = default;
        }

        public TransportCcPacketStatus Current { get; private set; }

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_index >= _statusCount)
            {
                return false;
            }

            while (_symbolInChunk >= _symbolsInChunk)
            {
                if (_chunkOffset + 2 > _chunks.Length)
                {
                    _index = _statusCount;
                    return false;
                }

                _chunk = BinaryPrimitives.ReadUInt16BigEndian(_chunks[_chunkOffset..]);
                _chunkOffset += 2;
                _symbolInChunk = 0;
                _symbolsInChunk = SymbolCapacity(_chunk);
            }

            var symbol = (_chunk & 0x8000) == 0
                ? (_chunk >> 13) & 0x3
                : (_chunk & 0x4000) == 0
                    ? (_chunk >> (13 - _symbolInChunk)) & 0x1
                    : (_chunk >> (12 - 2 * _symbolInChunk)) & 0x3;
            _symbolInChunk++;

            var ticks = 0;
            if (symbol == 1)
            {
                if (_deltaOffset + 1 > _deltas.Length)
                {
                    _index = _statusCount;
                    return false;
                }

                ticks = _deltas[_deltaOffset++];
            }
            else if (symbol == 2)
            {
                if (_deltaOffset + 2 > _deltas.Length)
                {
                    _index = _statusCount;
                    return false;
                }

                ticks = BinaryPrimitives.ReadInt16BigEndian(_deltas[_deltaOffset..]);
                _deltaOffset += 2;
            }

            _time += ticks * (long)MicrosecondsPerTick;
            var hasDelta = symbol is 1 or 2;
            Current = new TransportCcPacketStatus(
                (ushort)(_base + _index), symbol != 0, hasDelta, ticks, hasDelta ? _time : 0);
            _index++;
            return true;
        }
    }
}

/// <summary>
/// One sequence number's status in a transport-cc feedback. <see cref="DeltaTicks"/> counts 250 µs from the previous
/// received packet; <see cref="ReceiveTimeMicros"/> is reference time plus the deltas so far (valid when <see cref="HasDelta"/>).
/// </summary>
public readonly record struct TransportCcPacketStatus(
    ushort SequenceNumber, bool Received, bool HasDelta, int DeltaTicks, long ReceiveTimeMicros);

/// <summary>A received packet for <see cref="TransportCcFeedback.Write(Span{byte}, uint, uint, byte, ReadOnlySpan{TransportCcArrival})"/>.</summary>
public readonly record struct TransportCcArrival(ushort SequenceNumber, long ArrivalMicros);

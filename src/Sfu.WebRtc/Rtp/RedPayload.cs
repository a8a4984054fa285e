using System.Buffers.Binary;

namespace Sfu.WebRtc.Rtp;

/// <summary>One block of an RFC 2198 redundant payload: its payload type, timestamp offset and where its data lies.</summary>
/// <param name="HeaderOffset">Offset of the block's header in the RED payload (its first byte holds F and the block PT).</param>
/// <param name="DataOffset">Offset of the block's data in the RED payload.</param>
public readonly record struct RedBlock(byte PayloadType, int TimestampOffset, int HeaderOffset, int DataOffset, int Length);

/// <summary>
/// Reads an RTP payload for redundant audio data (RFC 2198 §3), as Chrome sends it for Opus
/// (<c>a=rtpmap:63 red/48000/2</c>, <c>a=fmtp:63 111/111</c>): zero or more redundant blocks, then the primary.
/// </summary>
/// <remarks>
/// <code>
/// Header of a redundant block (F = 1, more headers follow):
///  0                   1                    2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |F|   block PT  |  timestamp offset         |   block length    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Header of the last (primary) block (F = 0); its length is what remains of the payload:
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |0|   Block PT  |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// All headers come first, then the blocks' data in the same order (RFC 2198 §3).
/// </remarks>
public static class RedPayload
{
    /// <summary>Redundant blocks we read at most; Chrome sends one or two, RFC 2198 sets no limit.</summary>
    public const int MaxBlocks = 16;

    /// <summary>Finds the primary (last) block: the newest encoding, the one a receiver without RED would have got.</summary>
    public static bool TryGetPrimary(ReadOnlySpan<byte> payload, out RedBlock primary)
    {
        primary = default;
        var headerOffset = 0;
        var redundantLength = 0;
        while (true)
        {
            if (headerOffset >= payload.Length) return false;
            var b = payload[headerOffset];
            if ((b & 0x80) == 0) break;
            if (headerOffset / 4 >= MaxBlocks || headerOffset + 4 > payload.Length) return false;
            redundantLength += BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(headerOffset + 2, 2)) & 0x3FF;
            headerOffset += 4;
        }
        var dataOffset = headerOffset + 1 + redundantLength;
        if (dataOffset > payload.Length) return false;
        primary = new RedBlock((byte)(payload[headerOffset] & 0x7F), 0, headerOffset, dataOffset, payload.Length - dataOffset);
        return true;
    }

    /// <summary>Reads every block header, redundant ones first and the primary last; false if the payload is malformed.</summary>
    public static bool TryReadBlocks(ReadOnlySpan<byte> payload, Span<RedBlock> blocks, out int count)
    {
        count = 0;
        if (!TryGetPrimary(payload, out var primary)) return false;
        var redundant = primary.HeaderOffset / 4;
        if (blocks.Length < redundant + 1) return false;
        var dataOffset = primary.HeaderOffset + 1;
        for (var i = 0; i < redundant; i++)
        {
            var h = i * 4;
            var word = BinaryPrimitives.ReadUInt32BigEndian(payload.Slice(h, 4));
            var length = (int)(word & 0x3FF);
            blocks[i] = new RedBlock((byte)((word >> 24) & 0x7F), (int)((word >> 10) & 0x3FFF), h, dataOffset, length);
            dataOffset += length;
        }
        blocks[redundant] = primary;
        count = redundant + 1;
        return true;
    }

    /// <summary>
    /// Rewrites every block's payload type from <paramref name="from"/> to <paramref name="to"/> in place, so a RED
    /// payload can cross to a peer that numbers the primary codec differently (RFC 2198 §5: block PTs are the
    /// session's dynamic payload types). False if the payload is malformed; blocks of other types are left alone.
    /// </summary>
    public static bool TryMapPayloadType(Span<byte> payload, byte from, byte to)
    {
        if (!TryGetPrimary(payload, out var primary)) return false;
        for (var h = 0; h <= primary.HeaderOffset; h += 4)
        {
            if ((payload[h] & 0x7F) == from) payload[h] = (byte)((payload[h] & 0x80) | to);
        }
        return true;
    }
}

namespace Sfu.WebRtc.Codecs;

/// <summary>
/// The VP8 payload descriptor (RFC 7741 §4.2) at the start of every VP8 RTP payload.
/// </summary>
/// <remarks>
/// <code>
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |X|R|N|S|R| PID | (REQUIRED)
///      +-+-+-+-+-+-+-+-+
/// X:   |I|L|T|K| RSV   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// I:   |M| PictureID   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// M:   |   PictureID   | (second byte when M = 1: 15-bit picture id)
///      +-+-+-+-+-+-+-+-+
/// L:   |   TL0PICIDX   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// T/K: |TID|Y| KEYIDX  | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// </code>
/// The VP8 payload header follows (RFC 7741 §4.3); its first octet is |Size0|H| VER |P| with P = 0 on key frames.
/// </remarks>
public readonly struct Vp8PayloadDescriptor
{
    public bool Extended { get; private init; }

    /// <summary>N: the frame can be discarded without affecting others.</summary>
    public bool NonReference { get; private init; }

    /// <summary>S: the packet starts a VP8 partition.</summary>
    public bool StartOfPartition { get; private init; }

    public int PartitionIndex { get; private init; }

    public bool HasPictureId { get; private init; }

    public bool HasTl0PicIdx { get; private init; }

    public bool HasTid { get; private init; }

    public bool HasKeyIdx { get; private init; }

    /// <summary>The 7- or 15-bit picture id, or -1 when absent.</summary>
    public int PictureId { get; private init; }

    /// <summary>M: the picture id field is two bytes (15 bits).</summary>
    public bool PictureIdIs15Bit { get; private init; }

    public int PictureIdOffset { get; private init; }

    /// <summary>The TL0PICIDX, or -1 when absent.</summary>
    public int Tl0PicIdx { get; private init; }

    public int Tl0PicIdxOffset { get; private init; }

    /// <summary>Temporal layer index (TID), 0 when absent.</summary>
    public int Tid { get; private init; }

    /// <summary>Y: layer sync bit.</summary>
    public bool LayerSync { get; private init; }

    /// <summary>KEYIDX, or -1 when absent.</summary>
    public int KeyIdx { get; private init; }

    /// <summary>Length of the descriptor: the VP8 payload header starts here.</summary>
    public int HeaderLength { get; private init; }

    /// <summary>First packet of a key frame: S = 1, PID = 0, and the payload header's P bit is 0.</summary>
    public bool IsKeyframe { get; private init; }

    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp8PayloadDescriptor descriptor)
    {
        descriptor = default;
        if (payload.IsEmpty)
        {
            return false;
        }

        var b0 = payload[0];
        var extended = (b0 & 0x80) != 0;
        var offset = 1;
        bool i = false, l = false, t = false, k = false, m = false;
        int pictureId = -1, pictureIdOffset = 0, tl0 = -1, tl0Offset = 0, tid = 0, keyIdx = -1;
        var sync = false;
        if (extended)
        {
            if (payload.Length < 2)
            {
                return false;
            }

            var x = payload[1];
            i = (x & 0x80) != 0;
            l = (x & 0x40) != 0;
            t = (x & 0x20) != 0;
            k = (x & 0x10) != 0;
            offset = 2;
            if (i)
            {
                if (payload.Length < offset + 1)
                {
                    return false;
                }

                pictureIdOffset = offset;
                m = (payload[offset] & 0x80) != 0;
                if (m)
                {
                    if (payload.Length < offset + 2)
                    {
                        return false;
                    }

                    pictureId = ((payload[offset] & 0x7F) << 8) | payload[offset + 1];
                    offset += 2;
                }
                else
                {
                    pictureId = payload[offset];
                    offset += 1;
                }
            }

            if (l)
            {
                if (payload.Length < offset + 1)
                {
                    return false;
                }

                tl0Offset = offset;
                tl0 = payload[offset++];
            }

            if (t || k)
            {
                if (payload.Length < offset + 1)
                {
                    return false;
                }

                var tk = payload[offset++];
                if (t)
                {
                    tid = tk >> 6;
                    sync = (tk & 0x20) != 0;
                }

                if (k)
                {
                    keyIdx = tk & 0x1F;
                }
            }
        }

        var start = (b0 & 0x10) != 0;
        var partition = b0 & 0x07;
        descriptor = new Vp8PayloadDescriptor
        {
            Extended = extended,
            NonReference = (b0 & 0x20) != 0,
            StartOfPartition = start,
            PartitionIndex = partition,
            HasPictureId = i,
            HasTl0PicIdx = l,
            HasTid = t,
            HasKeyIdx = k,
            PictureId = pictureId,
            PictureIdIs15Bit = m,
            PictureIdOffset = pictureIdOffset,
            Tl0PicIdx = tl0,
            Tl0PicIdxOffset = tl0Offset,
            Tid = tid,
            LayerSync = sync,
            KeyIdx = keyIdx,
            HeaderLength = offset,
            IsKeyframe = start && partition == 0 && payload.Length > offset && (payload[offset] & 0x01) == 0,
        };
        return true;
    }

    /// <summary>
    /// Rewrites the picture id in place, in the field's existing width (7 or 15 bits; higher bits are dropped).
    /// Returns false when the descriptor has no picture id.
    /// </summary>
    public static bool WritePictureId(Span<byte> payload, in Vp8PayloadDescriptor descriptor, int pictureId)
    {
        if (!descriptor.HasPictureId)
        {
            return false;
        }

        var offset = descriptor.PictureIdOffset;
        if (descriptor.PictureIdIs15Bit)
        {
            payload[offset] = (byte)(0x80 | ((pictureId >> 8) & 0x7F));
            payload[offset + 1] = (byte)pictureId;
        }
        else
        {
            payload[offset] = (byte)(pictureId & 0x7F);
        }

        return true;
    }

    /// <summary>Rewrites TL0PICIDX in place; false when the descriptor has none.</summary>
    public static bool WriteTl0PicIdx(Span<byte> payload, in Vp8PayloadDescriptor descriptor, byte tl0PicIdx)
    {
        if (!descriptor.HasTl0PicIdx)
        {
            return false;
        }

        payload[descriptor.Tl0PicIdxOffset] = tl0PicIdx;
        return true;
    }
}

namespace Sfu.WebRtc.Codecs;

/// <summary>
/// The VP9 payload descriptor (RFC 9628 §4.2, formerly draft-ietf-payload-vp9).
/// </summary>
/// <remarks>
/// <code>
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |I|P|L|F|B|E|V|Z| (REQUIRED)
///      +-+-+-+-+-+-+-+-+
/// I:   |M| PICTURE ID  | (REQUIRED when I)
///      +-+-+-+-+-+-+-+-+
/// M:   | EXTENDED PID  | (when M = 1: 15-bit picture id)
///      +-+-+-+-+-+-+-+-+
/// L:   |  TID  |U| SID |D| (when L)
///      +-+-+-+-+-+-+-+-+
///      |   TL0PICIDX   | (when L and F = 0, non-flexible mode)
///      +-+-+-+-+-+-+-+-+
/// P,F: | P_DIFF      |N| (flexible mode with P: up to 3, N = 1 means another follows)
///      +-+-+-+-+-+-+-+-+
/// V:   | SS            | (scalability structure, §4.2.1)
///      |  ..           |
/// </code>
/// SS: |N_S|Y|G|-|-|-|, then if Y (N_S+1) x (16-bit width, 16-bit height), then if G: N_G and
/// N_G x (|T|U|R|-|-| followed by R one-byte P_DIFFs).
/// </remarks>
public readonly struct Vp9PayloadDescriptor
{
    /// <summary>P: inter-picture predicted; 0 on key frames (and on intra-only frames).</summary>
    public bool InterPicturePredicted { get; private init; }

    public bool HasPictureId { get; private init; }

    public bool HasLayerIndices { get; private init; }

    public bool FlexibleMode { get; private init; }

    /// <summary>B: first packet of a frame (of one spatial layer).</summary>
    public bool StartOfFrame { get; private init; }

    /// <summary>E: last packet of a frame.</summary>
    public bool EndOfFrame { get; private init; }

    public bool HasScalabilityStructure { get; private init; }

    /// <summary>Z: not used as reference by upper spatial layers.</summary>
    public bool NotUpperReference { get; private init; }

    /// <summary>The 7- or 15-bit picture id, or -1 when absent.</summary>
    public int PictureId { get; private init; }

    public bool PictureIdIs15Bit { get; private init; }

    public int PictureIdOffset { get; private init; }

    public int TemporalId { get; private init; }

    public bool SwitchingUpPoint { get; private init; }

    public int SpatialId { get; private init; }

    public bool InterLayerDependency { get; private init; }

    /// <summary>TL0PICIDX (non-flexible mode with L), or -1.</summary>
    public int Tl0PicIdx { get; private init; }

    public int HeaderLength { get; private init; }

    /// <summary>
    /// Start of a key frame: P = 0, B = 1 and the base spatial layer (SID 0 or no layer indices), as mediasoup decides;
    /// upper spatial layers of a key picture are not decodable on their own.
    /// </summary>
    public bool IsKeyframe => !InterPicturePredicted && StartOfFrame && SpatialId == 0;

    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp9PayloadDescriptor descriptor)
    {
        descriptor = default;
        if (payload.IsEmpty)
        {
            return false;
        }

        var b0 = payload[0];
        bool i = (b0 & 0x80) != 0, p = (b0 & 0x40) != 0, l = (b0 & 0x20) != 0, f = (b0 & 0x10) != 0;
        bool v = (b0 & 0x02) != 0;
        var offset = 1;
        int pictureId = -1, pictureIdOffset = 0, tid = 0, sid = 0, tl0 = -1;
        bool m = false, u = false, d = false;
        if (i)
        {
            if (offset >= payload.Length)
            {
                return false;
            }

            pictureIdOffset = offset;
            m = (payload[offset] & 0x80) != 0;
            if (m)
            {
                if (offset + 2 > payload.Length)
                {
                    return false;
                }

                pictureId = ((payload[offset] & 0x7F) << 8) | payload[offset + 1];
                offset += 2;
            }
            else
            {
                pictureId = payload[offset++];
            }
        }

        if (l)
        {
            if (offset >= payload.Length)
            {
                return false;
            }

            var layer = payload[offset++];
            tid = layer >> 5;
            u = (layer & 0x10) != 0;
            sid = (layer >> 1) & 0x07;
            d = (layer & 0x01) != 0;
            if (!f)
            {
                if (offset >= payload.Length)
                {
                    return false;
                }

                tl0 = payload[offset++];
            }
        }

        if (f && p)
        {
            for (var n = 0; ; n++)
            {
                if (n == 3 || offset >= payload.Length)
                {
                    return false;
                }

                if ((payload[offset++] & 0x01) == 0)
                {
                    break;
                }
            }
        }

        if (v && !TrySkipScalabilityStructure(payload, ref offset))
        {
            return false;
        }

        descriptor = new Vp9PayloadDescriptor
        {
            InterPicturePredicted = p,
            HasPictureId = i,
            HasLayerIndices = l,
            FlexibleMode = f,
            StartOfFrame = (b0 & 0x08) != 0,
            EndOfFrame = (b0 & 0x04) != 0,
            HasScalabilityStructure = v,
            NotUpperReference = (b0 & 0x01) != 0,
            PictureId = pictureId,
            PictureIdIs15Bit = m,
            PictureIdOffset = pictureIdOffset,
            TemporalId = tid,
            SwitchingUpPoint = u,
            SpatialId = sid,
            InterLayerDependency = d,
            Tl0PicIdx = tl0,
            HeaderLength = offset,
        };
        return true;
    }

    private static bool TrySkipScalabilityStructure(ReadOnlySpan<byte> payload, ref int offset)
    {
        if (offset >= payload.Length)
        {
            return false;
        }

        var ss = payload[offset++];
        var spatialLayers = (ss >> 5) + 1;
        if ((ss & 0x10) != 0)
        {
            offset += 4 * spatialLayers;
        }

        if ((ss & 0x08) != 0)
        {
            if (offset >= payload.Length)
            {
                return false;
            }

            var groups = payload[offset++];
            for (var g = 0; g < groups; g++)
            {
                if (offset >= payload.Length)
                {
                    return false;
                }

                var references = (payload[offset++] >> 2) & 0x03;
                offset += references;
            }
        }

        return offset <= payload.Length;
    }

    /// <summary>Convenience for the keyframe switch: false for anything that does not parse.</summary>
    public static bool IsKeyframePayload(ReadOnlySpan<byte> payload) => TryParse(payload, out var d) && d.IsKeyframe;
}

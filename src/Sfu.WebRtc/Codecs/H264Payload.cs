using System.Buffers.Binary;

namespace Sfu.WebRtc.Codecs;

/// <summary>H.264 RTP payloads (RFC 6184 §5.2): single NAL unit, STAP-A and FU-A packets.</summary>
public static class H264Payload
{
    public const int NalIdr = 5;
    public const int NalSps = 7;
    public const int NalStapA = 24;
    public const int NalFuA = 28;

    /// <summary>
    /// True when the packet starts a key frame: it carries an IDR slice (NAL 5) or an SPS (NAL 7), as a single NAL
    /// unit, inside a STAP-A (§5.7.1), or as the first fragment of an FU-A (§5.8, S bit set).
    /// </summary>
    /// <remarks>
    /// FU-A:  |F|NRI|Type=28| then |S|E|R|Type| of the fragmented NAL.
    /// STAP-A: |F|NRI|Type=24| then repeated (16-bit NALU size, NALU).
    /// </remarks>
    public static bool IsKeyframe(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        var type = payload[0] & 0x1F;
        switch (type)
        {
            case NalIdr or NalSps:
                return true;
            case NalStapA:
                var offset = 1;
                while (offset + 2 <= payload.Length)
                {
                    int size = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]);
                    offset += 2;
                    if (size == 0 || offset + size > payload.Length)
                    {
                        return false;
                    }

                    if ((payload[offset] & 0x1F) is NalIdr or NalSps)
                    {
                        return true;
                    }

                    offset += size;
                }

                return false;
            case NalFuA:
                return payload.Length >= 2 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) is NalIdr or NalSps;
            default:
                return false;
        }
    }
}

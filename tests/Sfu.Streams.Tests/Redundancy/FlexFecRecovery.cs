using System.Buffers.Binary;
using Sfu.WebRtc.Fec;

namespace Sfu.Streams.Tests.Redundancy;

/// <summary>A FlexFEC receiver for tests, as libwebrtc's ForwardErrorCorrection::RecoverPacket does it.</summary>
public static class FlexFecRecovery
{
    /// <summary>Receiver-side recovery (draft-03 §6.3.2): XOR out every packet held, rebuild the missing one.</summary>
    public static byte[]? Recover(ReadOnlySpan<byte> fecPayload, IReadOnlyDictionary<ushort, byte[]> received)
    {
        Assert.True(FlexFec03Header.TryParse(fecPayload, out var h));
        var work = fecPayload.ToArray();
        int? missing = null;
        for (var i = 0; i < h.MaskBits; i++)
        {
            if (!h.Protects(i)) continue;
            if (received.TryGetValue((ushort)(h.SequenceBase + i), out var p))
            {
                if (!FecXor.TryApply(work, h.Length, p)) return null;
            }
            else if (missing is null) missing = i;
            else return null;
        }
        if (missing is null) return null;
        var length = BinaryPrimitives.ReadUInt16BigEndian(work.AsSpan(2)) + 12;
        var r = new byte[length];
        r[0] = (byte)(0x80 | (work[0] & 0x3F));
        r[1] = work[1];
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(2), (ushort)(h.SequenceBase + missing.Value));
        work.AsSpan(4, 4).CopyTo(r.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(8), h.ProtectedSsrc);
        work.AsSpan(h.Length, length - 12).CopyTo(r.AsSpan(12));
        return r;
    }

}

using Sfu.WebRtc.Fec;

namespace Sfu.WebRtc.Tests.Fec;

/// <summary>Packets a test receiver holds, by sequence number; an empty array is held but unusable.</summary>
public readonly struct FecReceived(IReadOnlyDictionary<ushort, byte[]> packets) : IFecPacketSource
{
    public bool TryGet(ushort sequence, out ReadOnlySpan<byte> packet)
    {
        var found = packets.TryGetValue(sequence, out var p);
        packet = p;
        return found;
    }

    /// <summary>The rebuilt packet, or null when <see cref="FlexFecDecoder"/> rebuilt nothing.</summary>
    public static byte[]? Recover(ReadOnlySpan<byte> fecPayload, IReadOnlyDictionary<ushort, byte[]> received)
    {
        var rebuilt = new byte[1600];
        var result = FlexFecDecoder.TryRecover(fecPayload, new FecReceived(received), new byte[fecPayload.Length], rebuilt, out var length, out _);
        return result == FecRecoveryResult.Recovered ? rebuilt[..length] : null;
    }
}

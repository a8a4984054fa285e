namespace Sfu.WebRtc.Rtcp;

/// <summary>
/// Iterates the packets of a compound RTCP datagram (RFC 3550 §6.1). Each packet is checked for a valid header,
/// a length that fits and valid padding; at the first malformed one iteration stops for good and
/// <see cref="Malformed"/> is set, so a caller can still act on the packets before it.
/// </summary>
public ref struct RtcpCompoundReader
{
    private ReadOnlySpan<byte> _remaining;

    public RtcpCompoundReader(ReadOnlySpan<byte> compound)
    {
        _remaining = compound;
        Malformed = false;
    }

    public bool Malformed { get; private set; }

    public bool TryNext(out RtcpHeader header, out ReadOnlySpan<byte> packet)
    {
        packet = default;
        if (_remaining.IsEmpty)
        {
            header = default;
            return false;
        }

        if (!RtcpHeader.TryParse(_remaining, out header)
            || header.LengthBytes > _remaining.Length
            || (header.Padding && !PaddingIsValid(_remaining[..header.LengthBytes])))
        {
            header = default;
            Malformed = true;
            _remaining = default;
            return false;
        }

        packet = _remaining[..header.LengthBytes];
        _remaining = _remaining[header.LengthBytes..];
        return true;
    }

    private static bool PaddingIsValid(ReadOnlySpan<byte> packet)
    {
        int paddingLength = packet[^1];
        return paddingLength != 0 && paddingLength <= packet.Length - RtcpHeader.Length;
    }
}

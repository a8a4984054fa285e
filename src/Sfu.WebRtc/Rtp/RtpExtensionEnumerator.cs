namespace Sfu.WebRtc.Rtp;

/// <summary>
/// Walks the elements of an RFC 8285 extension block without allocating. Stops at the first
/// malformed element (and sets <see cref="Malformed"/>): what came before it is still reported.
/// </summary>
/// <remarks>
/// One-byte form (RFC 8285 §4.2), profile 0xBEDE; L is length-1, so values are 1..16 bytes:
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |  ID   |  len  |  data (len+1 bytes) ...
/// +-+-+-+-+-+-+-+-+
/// </code>
/// Two-byte form (RFC 8285 §4.3), profile 0x100 + 4 app bits; values are 0..255 bytes:
/// <code>
///  0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |       ID      |     length    |  data (length bytes) ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// In both forms a zero byte where an element would start is padding (id 0 is reserved for it).
/// In the one-byte form id 15 means "stop processing" (RFC 8285 §4.2).
/// </remarks>
public ref struct RtpExtensionEnumerator
{
    private readonly ReadOnlySpan<byte> _block;
    private readonly bool _oneByte;
    private int _position;
    private bool _done;

    public RtpExtensionEnumerator(ReadOnlySpan<byte> packet, in RtpHeader header)
    {
        _oneByte = header.IsOneByteExtension;
        var known = _oneByte || header.IsTwoByteExtension;
        _block = known && header.ExtensionOffset + header.ExtensionLength <= packet.Length
            ? packet.Slice(header.ExtensionOffset, header.ExtensionLength)
            : default;
        _position = 0;
        _done = !known;
        Current = default;
        Malformed = false;
    }

    public RtpExtensionElement Current { get; private set; }

    /// <summary>True once the walk stopped at an element that overran the block.</summary>
    public bool Malformed { get; private set; }

    public readonly RtpExtensionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (!_done && _position < _block.Length)
        {
            var b = _block[_position];
            if (b == 0)
            {
                _position++;
                continue;
            }

            int id, length, headerSize;
            if (_oneByte)
            {
                id = b >> 4;
                if (id == 15)
                {
                    break;
                }

                length = (b & 0x0F) + 1;
                headerSize = 1;
                if (id == 0)
                {
                    // libwebrtc treats any id-0 byte as a single padding byte, whatever its length nibble.
                    _position++;
                    continue;
                }
            }
            else
            {
                if (_position + 2 > _block.Length)
                {
                    Malformed = true;
                    break;
                }

                id = b;
                length = _block[_position + 1];
                headerSize = 2;
            }

            var valueStart = _position + headerSize;
            if (valueStart + length > _block.Length)
            {
                Malformed = true;
                break;
            }

            Current = new RtpExtensionElement((byte)id, _block.Slice(valueStart, length));
            _position = valueStart + length;
            return true;
        }

        _done = true;
        return false;
    }
}

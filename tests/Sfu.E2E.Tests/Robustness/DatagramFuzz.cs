using System.Buffers.Binary;
using Sfu.WebRtc.Stun;

namespace Sfu.E2E.Tests.Robustness;

/// <summary>
/// Seeded bad datagrams for the media port: fully random ones whose first byte walks every RFC 7983
/// demux range (0-255) with lengths 0-1500, and valid-looking STUN, DTLS and RTP cut short at a
/// random length (a parser that trusts a length field reads past the end of those).
/// </summary>
public sealed class DatagramFuzz(int seed)
{
    public const int MaxLength = 1500;
    private readonly Random _random = new(seed);
    private readonly byte[] _stun = new byte[256];
    private long _sent;

    /// <summary>Writes the next datagram into <paramref name="buffer"/> (at least <see cref="MaxLength"/> bytes) and returns its length.</summary>
    public int Next(Span<byte> buffer)
    {
        var n = _sent++;
        return (n % 4) switch
        {
            3 => TruncatedTemplate(buffer),
            _ => Random(buffer, (byte)(n / 4 % 256)),
        };
    }

    private int Random(Span<byte> buffer, byte first)
    {
        var length = _random.Next(0, MaxLength + 1);
        _random.NextBytes(buffer[..length]);
        if (length > 0) buffer[0] = first;
        return length;
    }

    private int TruncatedTemplate(Span<byte> buffer)
    {
        int full;
        switch (_random.Next(3))
        {
            case 0:
                // A well-formed Binding request for a ufrag nobody has.
                Span<byte> tid = stackalloc byte[12];
                _random.NextBytes(tid);
                var key = new byte[22];
                _random.NextBytes(key);
                full = StunWriter.WriteBindingRequest(_stun, tid, $"fuzz{_random.Next():x8}:peer", 1, 2, true, key);
                _stun.AsSpan(0, full).CopyTo(buffer);
                break;
            case 1:
                // DTLS 1.2 handshake record header (RFC 6347 §4.1) claiming more body than follows.
                full = 13 + _random.Next(0, 600);
                _random.NextBytes(buffer[..full]);
                buffer[0] = 22;
                buffer[1] = 0xFE;
                buffer[2] = 0xFD;
                BinaryPrimitives.WriteUInt16BigEndian(buffer[11..], (ushort)(full - 13 + _random.Next(1, 200)));
                break;
            default:
                // RTP with CSRCs and a one-byte header extension (RFC 8285) whose length overruns.
                full = 12 + 4 * 15 + 4 + _random.Next(0, 400);
                _random.NextBytes(buffer[..full]);
                buffer[0] = 0x80 | 0x10 | 0x0F;
                buffer[1] = (byte)(96 + _random.Next(32));
                BinaryPrimitives.WriteUInt16BigEndian(buffer[(12 + 60)..], 0xBEDE);
                BinaryPrimitives.WriteUInt16BigEndian(buffer[(12 + 62)..], 0xFFFF);
                break;
        }
        return _random.Next(0, full + 1);
    }
}

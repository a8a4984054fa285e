using System.Buffers.Binary;
using System.Diagnostics;
using Sfu.WebRtc.Rtp;

namespace Sfu.LoadGen;

/// <summary>
/// Synthetic VP8 video: frames cut into RTP packets with a real VP8 payload descriptor (RFC 7741 §4.2: S bit and
/// partition 0 on a frame's first packet, 15-bit picture id) and payload header (§4.3: P = 0 on key frames), so
/// the SFU's keyframe detection and forwarding treat it like a browser's stream. Every packet carries its send
/// time (<see cref="SendTime"/>) at a fixed offset of the RTP payload for one-way latency through the server.
/// </summary>
internal sealed class SyntheticVp8
{
    /// <summary>Where the send-time stamp starts in the RTP payload: after the 4-byte descriptor and a 10-byte key frame header.</summary>
    public const int StampOffset = 16;
    private const uint Magic = 0x5346_554C; // "SFUL"
    private const int HeaderLength = 12 + 8; // fixed header + one-byte extension block holding abs-send-time
    private readonly int _frameBytes;
    private readonly int _maxPayload;
    private readonly uint _timestampStep;
    private readonly int _keyframeEvery;
    private ushort _sequence = (ushort)Random.Shared.Next(0, 1 << 15);
    private uint _timestamp = (uint)Random.Shared.Next();
    private int _pictureId = Random.Shared.Next(0, 1 << 15);
    private int _framesSinceKeyframe;
    private int _keyframeRequested = 1;

    public SyntheticVp8(uint ssrc, int bitrate, int frameRate, int maxPayload, TimeSpan keyframeInterval)
    {
        Ssrc = ssrc;
        _frameBytes = Math.Max(StampOffset + 12, bitrate / 8 / frameRate);
        _maxPayload = maxPayload;
        _timestampStep = (uint)(90000 / frameRate);
        _keyframeEvery = Math.Max(1, (int)Math.Round(keyframeInterval.TotalSeconds * frameRate));
    }

    public uint Ssrc { get; }
    public long PacketsSent;
    public long BytesSent;
    public long FramesSent;
    public long KeyframesSent;

    /// <summary>Makes the next frame a key frame (a PLI or FIR arrived).</summary>
    public void RequestKeyframe() => Interlocked.Exchange(ref _keyframeRequested, 1);

    /// <summary>Microseconds of the monotonic clock (Stopwatch), the unit of the send-time stamp.</summary>
    public static long NowMicros() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    /// <summary>Reads the send-time stamp from a received RTP payload; false if the packet is not one of ours.</summary>
    public static bool TryReadStamp(ReadOnlySpan<byte> payload, out long sentMicros)
    {
        sentMicros = 0;
        if (payload.Length < StampOffset + 12 || BinaryPrimitives.ReadUInt32BigEndian(payload[StampOffset..]) != Magic) return false;
        sentMicros = BinaryPrimitives.ReadInt64BigEndian(payload[(StampOffset + 4)..]);
        return true;
    }

    /// <summary>Builds and sends one frame; <paramref name="send"/> gets each packet (buffer with room for the SRTP tag).</summary>
    public void SendFrame(byte[] buffer, Func<byte[], int, bool> send)
    {
        var keyframe = Interlocked.Exchange(ref _keyframeRequested, 0) == 1 || ++_framesSinceKeyframe >= _keyframeEvery;
        if (keyframe) _framesSinceKeyframe = 0;
        // Key frames are several times larger than delta frames, as real encoders make them.
        var remaining = keyframe ? _frameBytes * 3 : _frameBytes;
        var packets = (remaining + _maxPayload - 1) / _maxPayload;
        var perPacket = (remaining + packets - 1) / packets;
        for (var i = 0; i < packets; i++)
        {
            var payload = Math.Max(StampOffset + 12, Math.Min(perPacket, remaining));
            remaining -= payload;
            var n = Write(buffer, payload, first: i == 0, last: i == packets - 1, keyframe);
            if (send(buffer, n))
            {
                PacketsSent++;
                BytesSent += n;
            }
        }
        FramesSent++;
        if (keyframe) KeyframesSent++;
        _timestamp += _timestampStep;
        _pictureId = (_pictureId + 1) & 0x7FFF;
    }

    private int Write(byte[] buffer, int payloadLength, bool first, bool last, bool keyframe)
    {
        var span = buffer.AsSpan();
        RtpHeader.WriteFixedHeader(span, ClientSdp.Vp8PayloadType, _sequence++, _timestamp, Ssrc, marker: last);
        span[0] |= 0x10; // X: a header extension follows
        // RFC 8285 §4.2 one-byte form with abs-send-time (6.18 fixed point seconds, 3 bytes) plus padding.
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], RtpHeader.OneByteExtensionProfile);
        BinaryPrimitives.WriteUInt16BigEndian(span[14..], 1);
        var now = NowMicros();
        var absSendTime = (uint)((now << 18) / 1_000_000) & 0xFF_FFFF;
        span[16] = ClientSdp.AbsSendTimeId << 4 | 2;
        span[17] = (byte)(absSendTime >> 16);
        span[18] = (byte)(absSendTime >> 8);
        span[19] = (byte)absSendTime;

        var p = span.Slice(HeaderLength, payloadLength);
        p.Clear();
        p[0] = (byte)(0x80 | (first ? 0x10 : 0)); // X=1, S on the first packet of the frame, partition 0
        p[1] = 0x80;                               // I: picture id present
        p[2] = (byte)(0x80 | (_pictureId >> 8));   // M=1: 15-bit picture id
        p[3] = (byte)_pictureId;
        if (first)
        {
            // VP8 frame tag (RFC 6386 §9.1): bit 0 = 0 for a key frame; key frames carry the start code and size.
            p[4] = keyframe ? (byte)0x10 : (byte)0x11;
            if (keyframe)
            {
                p[7] = 0x9d; p[8] = 0x01; p[9] = 0x2a;
                BinaryPrimitives.WriteUInt16LittleEndian(p[10..], 1280);
                BinaryPrimitives.WriteUInt16LittleEndian(p[12..], 720);
            }
        }
        BinaryPrimitives.WriteUInt32BigEndian(p[StampOffset..], Magic);
        BinaryPrimitives.WriteInt64BigEndian(p[(StampOffset + 4)..], now);
        return HeaderLength + payloadLength;
    }
}

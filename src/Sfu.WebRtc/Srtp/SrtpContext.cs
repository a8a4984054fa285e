using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sfu.WebRtc.Srtp;

/// <summary>
/// One direction of one DTLS-SRTP association: protects what we send, or unprotects what the peer sends,
/// for every SSRC of that direction (RFC 3711 §3.2.3: the SSRC selects the per-stream state).
/// NOT thread-safe: one caller at a time. All work happens in place; after the first packet of an SSRC
/// nothing is allocated.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    /// <summary>Bytes <see cref="ProtectRtp"/> may append to RTP (the GCM tag; AES-CM appends 10).</summary>
    public const int MaxRtpOverhead = 16;
    /// <summary>Bytes <see cref="ProtectRtcp"/> may append (GCM: tag + E|index; AES-CM appends 14).</summary>
    public const int MaxRtcpOverhead = 20;

    private readonly SrtpCipher _cipher;
    private readonly Dictionary<uint, SrtpStreamState> _streams = new();

    public SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
        : this(profile, SrtpSessionKeys.Derive(profile, masterKey, masterSalt))
    {
    }

    internal SrtpContext(SrtpProfile profile, SrtpSessionKeys sessionKeys, bool allowHardware = true)
    {
        Profile = profile;
        _cipher = SrtpCipher.Create(profile, sessionKeys, allowHardware);
    }

    public SrtpProfile Profile { get; }

    /// <summary>Bytes this profile appends to an RTP packet.</summary>
    public int RtpOverhead => _cipher.RtpTagLength;

    /// <summary>Bytes this profile appends to an RTCP packet.</summary>
    public int RtcpOverhead => _cipher.RtcpTrailerLength;

    /// <summary>Number of SSRCs this context keeps state for.</summary>
    public int StreamCount => _streams.Count;

    /// <summary>
    /// Encrypts and authenticates buffer[..length] (plaintext RTP) in place; newLength includes the tag.
    /// The sender's ROC follows its own sequence numbers: a packet sent again (NACK retransmission with the
    /// same sequence number) reuses its original index, so it goes out byte-identical and is not refused.
    /// </summary>
    public SrtpResult ProtectRtp(Span<byte> buffer, int length, out int newLength)
    {
        newLength = 0;
        CheckLength(buffer, length, _cipher.RtpTagLength);
        Span<byte> packet = buffer[..length];
        if (!RtpHeaderLayout.TryGetRtpHeaderLength(packet, out int headerLength))
            return SrtpResult.TooShort;

        uint ssrc = RtpHeaderLayout.RtpSsrc(packet);
        ushort seq = RtpHeaderLayout.RtpSequenceNumber(packet);
        ref SrtpStreamState state = ref CollectionsMarshal.GetValueRefOrAddDefault(_streams, ssrc, out _);
        ulong index;
        if (!state.Rtp.HasValue)
        {
            index = seq;
            state.Rtp.Advance(index);
        }
        else
        {
            long estimate = SrtpRolloverCounter.EstimateIndex(state.Rtp.Highest, seq);
            // A sequence number from "before" the first one sent under ROC 0 can only be sent with ROC 0;
            // it must not move the highest index, or the next in-order packet would be guessed a ROC ahead.
            if (estimate < 0)
                index = seq;
            else
                state.Rtp.Advance(index = (ulong)estimate);
        }

        int end = length + _cipher.RtpTagLength;
        _cipher.ProtectRtp(buffer[..end], headerLength, length, ssrc, index);
        newLength = end;
        return SrtpResult.Ok;
    }

    /// <summary>
    /// Verifies and decrypts buffer[..length] (SRTP) in place; newLength excludes the tag. Checks the replay
    /// window (128 packets per SSRC) before the tag and updates ROC and window only after it verified.
    /// On failure the packet must be dropped: with GCM its payload bytes may have been overwritten.
    /// </summary>
    public SrtpResult UnprotectRtp(Span<byte> buffer, int length, out int newLength)
    {
        newLength = 0;
        CheckLength(buffer, length, 0);
        Span<byte> packet = buffer[..length];
        int tagLength = _cipher.RtpTagLength;
        if (!RtpHeaderLayout.TryGetRtpHeaderLength(packet, out int headerLength) || length - tagLength < headerLength)
            return SrtpResult.TooShort;

        uint ssrc = RtpHeaderLayout.RtpSsrc(packet);
        ushort seq = RtpHeaderLayout.RtpSequenceNumber(packet);
        ref SrtpStreamState state = ref CollectionsMarshal.GetValueRefOrNullRef(_streams, ssrc);
        bool known = !Unsafe.IsNullRef(ref state) && state.Rtp.HasValue;
        ulong index = seq;
        if (known)
        {
            long estimate = SrtpRolloverCounter.EstimateIndex(state.Rtp.Highest, seq);
            if (estimate < 0)
                return SrtpResult.ReplayOld;
            index = (ulong)estimate;
            SrtpResult replay = state.Rtp.Check(index);
            if (replay != SrtpResult.Ok)
                return replay;
        }

        if (!_cipher.UnprotectRtp(packet, headerLength, ssrc, index))
            return SrtpResult.AuthenticationFailed;

        // Only an authenticated packet may create per-SSRC state, so forged SSRCs cannot grow the dictionary.
        if (Unsafe.IsNullRef(ref state))
            state = ref CollectionsMarshal.GetValueRefOrAddDefault(_streams, ssrc, out _);
        state.Rtp.Accept(index);
        newLength = length - tagLength;
        return SrtpResult.Ok;
    }

    /// <summary>
    /// Encrypts buffer[8..length] of a plaintext (compound) RTCP packet and appends E|SRTCP index and the tag.
    /// The index counts per sender SSRC (the SSRC in the first packet of the compound), from 0 (RFC 3711 §3.4).
    /// </summary>
    public SrtpResult ProtectRtcp(Span<byte> buffer, int length, out int newLength)
    {
        newLength = 0;
        CheckLength(buffer, length, _cipher.RtcpTrailerLength);
        if (length < RtpHeaderLayout.RtcpClearPrefixLength)
            return SrtpResult.TooShort;

        uint ssrc = RtpHeaderLayout.RtcpSenderSsrc(buffer);
        ref SrtpStreamState state = ref CollectionsMarshal.GetValueRefOrAddDefault(_streams, ssrc, out _);
        uint index = state.NextRtcpIndex;
        // The 31-bit index would need a re-key after 2^31 packets per SSRC; no RTCP stream lives that long.
        state.NextRtcpIndex = (index + 1) & 0x7FFF_FFFFu;

        int end = length + _cipher.RtcpTrailerLength;
        _cipher.ProtectRtcp(buffer[..end], length, ssrc, index);
        newLength = end;
        return SrtpResult.Ok;
    }

    /// <summary>Verifies and (when E is set) decrypts buffer[..length] (SRTCP) in place; replay-checks the SRTCP index per sender SSRC.</summary>
    public SrtpResult UnprotectRtcp(Span<byte> buffer, int length, out int newLength)
    {
        newLength = 0;
        CheckLength(buffer, length, 0);
        int trailer = _cipher.RtcpTrailerLength;
        if (length < RtpHeaderLayout.RtcpClearPrefixLength + trailer)
            return SrtpResult.TooShort;

        Span<byte> packet = buffer[..length];
        uint ssrc = RtpHeaderLayout.RtcpSenderSsrc(packet);
        uint eAndIndex = BinaryPrimitives.ReadUInt32BigEndian(packet[_cipher.RtcpIndexOffset(length)..]);
        ulong index = eAndIndex & 0x7FFF_FFFFu;
        ref SrtpStreamState state = ref CollectionsMarshal.GetValueRefOrNullRef(_streams, ssrc);
        if (!Unsafe.IsNullRef(ref state))
        {
            SrtpResult replay = state.Rtcp.Check(index);
            if (replay != SrtpResult.Ok)
                return replay;
        }

        if (!_cipher.UnprotectRtcp(packet, ssrc, eAndIndex))
            return SrtpResult.AuthenticationFailed;

        if (Unsafe.IsNullRef(ref state))
            state = ref CollectionsMarshal.GetValueRefOrAddDefault(_streams, ssrc, out _);
        state.Rtcp.Accept(index);
        newLength = length - trailer;
        return SrtpResult.Ok;
    }

    /// <summary>
    /// Forgets the ROC, replay windows and SRTCP counter of an SSRC that ended (RTCP BYE, track removed),
    /// so long sessions with many SSRCs do not accumulate state. A later packet of that SSRC starts afresh.
    /// </summary>
    public bool RemoveStream(uint ssrc) => _streams.Remove(ssrc);

    private static void CheckLength(Span<byte> buffer, int length, int room)
    {
        if ((uint)length > (uint)buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(length), length, "Length lies outside the buffer.");
        if (buffer.Length - length < room)
            throw new ArgumentException($"The buffer needs {room} bytes of room after the packet.", nameof(buffer));
    }

    public void Dispose() => _cipher.Dispose();
}

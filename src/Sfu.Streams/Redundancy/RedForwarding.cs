using Sfu.Streams.Forwarding;
using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Redundancy;

/// <summary>
/// How one down-track passes on a publisher's RED audio (RFC 2198): as RED, with the block payload types mapped to
/// the subscriber's Opus number, where the subscriber's answer kept red; else stripped to the primary Opus payload.
/// Only the publisher's red payload type comes here; plain Opus packets take the down-track's usual path.
/// </summary>
public sealed class RedForwarding
{
    private readonly byte _sourcePrimary;
    private readonly byte _primary;
    private readonly byte? _red;

    /// <param name="sourceRed">The publisher's red payload type.</param>
    /// <param name="sourcePrimary">The publisher's Opus payload type, named in its RED block headers.</param>
    /// <param name="primary">The subscriber's Opus payload type.</param>
    /// <param name="red">The subscriber's red payload type; null to strip.</param>
    public RedForwarding(byte sourceRed, byte sourcePrimary, byte primary, byte? red)
    {
        SourcePayloadType = sourceRed;
        _sourcePrimary = sourcePrimary;
        _primary = primary;
        _red = red;
    }

    /// <summary>For a down-track of <paramref name="source"/>; null when the publisher did not negotiate red.</summary>
    public static RedForwarding? For(UpTrack source, byte primary, int? acceptedRed) =>
        source.Description.Red is { } red
            ? new RedForwarding((byte)red.PayloadType, (byte)source.Codec.PayloadType, primary, acceptedRed is { } pt ? (byte)pt : null)
            : null;

    public byte SourcePayloadType { get; }
    /// <summary>True when the subscriber did not negotiate red and gets the primary payload only.</summary>
    public bool Strips => _red is null;
    public RedCounters Counters { get; } = new();

    /// <summary>
    /// Rewrites a RED packet (already copied for the subscriber) in place; <paramref name="length"/> is its new length
    /// and <paramref name="payloadType"/> the one to write. False to drop it (counted).
    /// </summary>
    public bool TryRewrite(Span<byte> packet, out int length, out byte payloadType)
    {
        if (_red is not { } red)
        {
            payloadType = _primary;
            if (RedStripper.TryStrip(packet, _sourcePrimary, _primary, out length))
            {
                Interlocked.Increment(ref Counters.Stripped);
                return true;
            }
        }
        else
        {
            payloadType = red;
            length = packet.Length;
            // A primary of a codec the subscriber was not offered (only red and Opus were) is dropped, as when stripping.
            if (RtpHeader.TryParse(packet, out var header) &&
                RedPayload.TryGetPrimary(packet.Slice(header.HeaderLength, header.PayloadLength), out var primary) && primary.PayloadType == _sourcePrimary &&
                RedPayload.TryMapPayloadType(packet.Slice(header.HeaderLength, header.PayloadLength), _sourcePrimary, _primary))
            {
                Interlocked.Increment(ref Counters.Forwarded);
                return true;
            }
        }
        Interlocked.Increment(ref Counters.Dropped);
        length = 0;
        return false;
    }
}

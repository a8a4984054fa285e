using Sfu.Streams.Redundancy;
using Sfu.WebRtc.Rtp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Forwarding;

/// <summary>Video FEC (flexfec-03) toward this subscriber: a FEC stream of its own beside the media stream.</summary>
public sealed partial class DownTrack
{
    /// <summary>FlexFEC forwarding when the subscriber accepted flexfec-03; null drops the publisher's FEC for it.</summary>
    public FlexFecForwarding? Fec { get; set; }

    /// <summary>Rewrites and sends one of the publisher's FEC packets; runs on the publisher's ingress thread.</summary>
    public void WriteFec(MediaPacket source, in RtpHeader header, FecSourceWindow originals, FecCounters counters)
    {
        if (Fec is not { } fec || Retransmissions is null)
        {
            Interlocked.Increment(ref counters.DroppedNotNegotiated);
            return;
        }
        if (Paused || !_rewriter.Started) return;
        if (header.Padding)
        {
            Interlocked.Increment(ref counters.DroppedInvalid);
            return;
        }
        var packet = MediaPacket.Rent();
        var room = MediaPacket.BufferSize - 64;
        var written = RtpHeaderExtensions.Rewrite(source.Span, header, _extensionMap, TransportCcExtensionId, TransportCcValue, packet.Buffer.AsSpan(0, room));
        if (written < 0)
        {
            packet.Release();
            Interlocked.Increment(ref counters.DroppedInvalid);
            return;
        }
        var payloadStart = written - header.PayloadLength;
        var length = header.PayloadLength;
        var result = fec.TryRewrite(packet.Buffer.AsSpan(payloadStart, room - payloadStart), ref length, Source.Description.Ssrcs[0], Ssrc, originals, Retransmissions);
        if (result != FecRewrite.Rewritten)
        {
            packet.Release();
            if (result == FecRewrite.Invalid) Interlocked.Increment(ref counters.DroppedInvalid);
            else Interlocked.Increment(ref counters.DroppedUnmappable);
            return;
        }
        var span = packet.Buffer.AsSpan(0, payloadStart + length);
        RtpHeader.WriteSsrc(span, fec.Ssrc);
        RtpHeader.WriteSequenceNumber(span, fec.NextSequence());
        RtpHeader.WritePayloadType(span, fec.PayloadType);
        packet.Length = span.Length;
        packet.Ssrc = fec.Ssrc;
        packet.ArrivalTimestamp = source.ArrivalTimestamp;
        Interlocked.Increment(ref counters.Forwarded);
        Subscriber.SendMedia(packet);
    }
}

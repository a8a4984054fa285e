using Sfu.Streams.Recovery;
using Sfu.WebRtc.Rtcp;
using Sfu.WebRtc.Transport;

namespace Sfu.Streams.Forwarding;

/// <summary>
/// Acts on RTCP a peer sends us: keyframe requests from subscribers are relayed (throttled) to the publisher,
/// receiver reports feed the subscriber's loss/jitter/RTT stats, sender reports from publishers give LSR for our RRs,
/// NACKs are answered with retransmissions.
/// </summary>
public static class RtcpFeedback
{
    public static void Handle(MediaSession session, ReadOnlySpan<byte> compound, long arrivalTimestamp)
    {
        Interlocked.Increment(ref session.RtcpPacketsIn);
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryNext(out var header, out var packet))
        {
            switch (header.PacketType)
            {
                case RtcpPacketType.SR:
                    if (SenderReport.TryParse(packet, out var sr))
                    {
                        foreach (var stream in session.ReceiveStreams)
                            if (stream.Ssrc == sr.Ssrc) stream.Statistics.OnSenderReport(sr.NtpTimestamp, arrivalTimestamp);
                        OnReportBlocks(session, sr.ReportBlocks);
                    }
                    break;
                case RtcpPacketType.RR:
                    if (ReceiverReport.TryParse(packet, out var rr)) OnReportBlocks(session, rr.ReportBlocks);
                    break;
                case RtcpPacketType.PSFB when header.Count == 1:
                    if (PictureLossIndication.TryParse(packet, out var pli))
                    {
                        MediaCounters.Increment(MediaCounter.PlisReceived);
                        OnKeyframeRequest(session, pli.MediaSsrc);
                    }
                    break;
                case RtcpPacketType.PSFB when header.Count == 4:
                    if (FullIntraRequest.TryParse(packet, out var fir))
                    {
                        MediaCounters.Increment(MediaCounter.FirsReceived);
                        foreach (var entry in fir.Entries) OnKeyframeRequest(session, entry.Ssrc);
                    }
                    break;
                case RtcpPacketType.RTPFB when header.Count == 15:
                    session.Bandwidth?.OnFeedback(packet);
                    break;
                case RtcpPacketType.RTPFB when header.Count == 1:
                    if (GenericNack.TryParse(packet, out var nack))
                    {
                        MediaCounters.Increment(MediaCounter.NacksReceived);
                        if (session.FindDownTrack(nack.MediaSsrc) is { } d)
                        {
                            Interlocked.Increment(ref d.NacksReceived);
                            SubscriberRecovery.OnNack(d, nack);
                        }
                    }
                    break;
            }
        }
    }

    private static void OnKeyframeRequest(MediaSession session, uint mediaSsrc)
    {
        var down = session.FindDownTrack(mediaSsrc);
        if (down is null) return;
        Interlocked.Increment(ref down.PliReceived);
        Interlocked.Increment(ref down.Source.PliReceived);
        // Only the layer this subscriber gets (or is switching to): a PLI on every layer made all of them send a
        // keyframe at once, the high one ~100 KB, a burst the publisher's link and encoder pay for and nobody shows.
        var layer = down.EffectiveTargetLayer;
        if (layer < 0) layer = down.Layer;
        if (layer >= 0) down.Source.RequestKeyframe(layer, KeyframeReason.SubscriberRequest);
        else down.Source.RequestKeyframe(KeyframeReason.SubscriberRequest);
    }

    private static void OnReportBlocks(MediaSession session, ReportBlockList blocks)
    {
        var nowNtp = NtpTime.Middle32(NtpTime.From(session.Time.GetUtcNow()));
        foreach (var block in blocks)
        {
            var down = session.FindDownTrack(block.Ssrc);
            if (down is null) continue;
            down.FractionLost = block.FractionLost;
            down.Jitter = block.Jitter;
            if (block.LastSr != 0)
            {
                // RFC 3550 §6.4.1: RTT = A - LSR - DLSR in 1/65536 s units.
                var rtt = (int)(nowNtp - block.LastSr - block.DelaySinceLastSr);
                if (rtt >= 0) down.RoundTripMs = rtt * 1000.0 / 65536;
            }
        }
    }
}

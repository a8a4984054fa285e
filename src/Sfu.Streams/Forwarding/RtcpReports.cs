using Sfu.WebRtc.Rtcp;

namespace Sfu.Streams.Forwarding;

/// <summary>
/// The periodic RTCP a session sends (RFC 3550 §6.4): a receiver report (plus REMB) toward a publisher for the
/// streams it sends us, and sender reports toward a subscriber for the streams we forward, so both browsers'
/// stats (RTT, jitter, loss) and lip sync have what they need.
/// </summary>
public static class RtcpReports
{
    public static int Build(MediaSession session, Span<byte> dest)
    {
        var now = session.Time.GetTimestamp();
        var ntp = NtpTime.From(session.Time.GetUtcNow());
        var offset = 0;
        var blocks = new List<ReportBlock>();
        var media = new List<uint>();
        foreach (var stream in session.ReceiveStreams)
        {
            var stats = stream.Statistics;
            if (stats.Received == 0) continue;
            var dlsr = stats.LastSenderReportArrival == long.MinValue
                ? 0u
                : (uint)(session.Time.GetElapsedTime(stats.LastSenderReportArrival, now).TotalSeconds * 65536);
            blocks.Add(RtcpWriters.Block(stream.Ssrc, stats.NextFractionLost(), (int)Math.Min(stats.Lost, 0x7FFFFF),
                (uint)stats.HighestSequence, (uint)stats.Jitter, stats.LastSenderReport, dlsr));
            media.Add(stream.Ssrc);
            if (blocks.Count == 31) break;
        }

        var downTracks = session.DownTracks.ToList();
        foreach (var d in downTracks)
        {
            if (d.PacketsSent == 0) continue;
            var (ts, sentAt) = d.LastSent;
            // Advance the last sent timestamp by the time since it was sent, so SR timestamps track the media clock.
            var elapsed = sentAt == 0 ? TimeSpan.Zero : session.Time.GetElapsedTime(sentAt, now);
            var rtpNow = ts + (uint)(elapsed.TotalSeconds * d.Source.ClockRate);
            var n = RtcpWriters.SenderReport(dest[offset..], d.Ssrc, ntp, rtpNow, (uint)d.PacketsSent, (uint)d.OctetsSent);
            if (n <= 0) break;
            offset += n;
        }
        // A compound packet starts with an SR or RR (RFC 3550 §6.1); the RR also carries our reception reports.
        if (blocks.Count > 0 || (offset == 0 && downTracks.Count > 0))
        {
            var n = RtcpWriters.ReceiverReport(dest[offset..], session.LocalSsrc, blocks);
            if (n > 0) offset += n;
        }
        if (offset == 0) return 0;
        if (media.Count > 0 && (session.MaxBitrate > 0 || session.RembFeedback is not null))
        {
            // A publisher without transport-cc is told the receive-side estimate; one with it, the fixed cap.
            var bitrate = session.RembFeedback is { } remb ? remb.TakeForReport() : session.MaxBitrate;
            var n = RtcpWriters.Remb(dest[offset..], session.LocalSsrc, (ulong)bitrate, media);
            if (n > 0) offset += n;
        }
        var sdes = RtcpWriters.Sdes(dest[offset..], session.LocalSsrc, session.Cname);
        if (sdes > 0) offset += sdes;
        return offset;
    }
}

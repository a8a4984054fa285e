using Sfu.WebRtc.Rtcp;

namespace Sfu.Streams.Forwarding;

/// <summary>The RTCP packets the forwarding layer writes, named for what they do here.</summary>
internal static class RtcpWriters
{
    public static int Pli(Span<byte> dest, uint sender, uint media) => PictureLossIndication.Write(dest, sender, media);

    public static int Fir(Span<byte> dest, uint sender, uint media, byte sequence) => FullIntraRequest.Write(dest, sender, media, sequence);

    public static ReportBlock Block(uint ssrc, byte fractionLost, int cumulativeLost, uint highestSeq, uint jitter, uint lsr, uint dlsr) =>
        new(ssrc, fractionLost, cumulativeLost, highestSeq, jitter, lsr, dlsr);

    public static int SenderReport(Span<byte> dest, uint ssrc, ulong ntp, uint rtp, uint packets, uint octets) =>
        WebRtc.Rtcp.SenderReport.Write(dest, ssrc, ntp, rtp, packets, octets);

    public static int ReceiverReport(Span<byte> dest, uint ssrc, List<ReportBlock> blocks) =>
        WebRtc.Rtcp.ReceiverReport.Write(dest, ssrc, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(blocks));

    public static int Remb(Span<byte> dest, uint sender, ulong bitrate, List<uint> ssrcs) =>
        WebRtc.Rtcp.Remb.Write(dest, sender, bitrate, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ssrcs));

    public static int Sdes(Span<byte> dest, uint ssrc, string cname) => WebRtc.Rtcp.Sdes.Write(dest, ssrc, cname);
}

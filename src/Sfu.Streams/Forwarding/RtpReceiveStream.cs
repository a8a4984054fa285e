using Sfu.WebRtc.Codecs;
using Sfu.WebRtc.Rtp;

namespace Sfu.Streams.Forwarding;

/// <summary>One incoming RTP stream (one SSRC) of a published track: where ingress extends sequence numbers once.</summary>
public sealed class RtpReceiveStream
{
    private SequenceUnwrapper _unwrapper;

    public RtpReceiveStream(UpTrack track, uint ssrc, int layer, string? rid)
    {
        Track = track;
        Ssrc = ssrc;
        Layer = layer;
        Rid = rid;
        Statistics = new ReceiveStatistics(track.ClockRate);
    }

    /// <summary>Simulcast layer index, 0 = lowest (the order of a=simulcast rids or of the SIM ssrc-group); 0 without simulcast.</summary>
    public int Layer { get; }
    public string? Rid { get; }
    /// <summary>When the last packet arrived (<see cref="TimeProvider"/> timestamp), to tell active layers from paused ones.</summary>
    public long LastPacketTimestamp;

    public UpTrack Track { get; }
    public uint Ssrc { get; }
    public ReceiveStatistics Statistics { get; }
    public long Bytes;

    /// <summary>Called by the ingress stage (one thread per publisher transport).</summary>
    public long OnPacket(ReadOnlySpan<byte> packet, in RtpHeader header, long arrivalTimestamp, long arrivalMicroseconds, out bool keyframe)
    {
        var ext = _unwrapper.Unwrap(header.SequenceNumber);
        Statistics.OnPacket(ext, header.Timestamp, arrivalMicroseconds);
        Bytes += packet.Length;
        LastPacketTimestamp = arrivalTimestamp;
        keyframe = false;
        if (Track.IsVideo && header.PayloadLength > 0)
        {
            var codec = Track.CodecFor(header.PayloadType);
            if (codec is not null)
                keyframe = KeyframeDetector.IsKeyframe(codec.Name, packet.Slice(header.HeaderLength, header.PayloadLength));
        }
        return ext;
    }
}

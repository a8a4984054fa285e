namespace Sfu.WebRtc.Transport;

/// <summary>Where a transport hands received SRTP/SRTCP datagrams (the stream layer's ingress queue).</summary>
public interface IMediaSink
{
    /// <summary>Takes ownership of <paramref name="packet"/> on success; false means full (caller drops and counts).</summary>
    bool TryEnqueue(MediaPacket packet);
}

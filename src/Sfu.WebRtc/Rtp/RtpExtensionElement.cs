namespace Sfu.WebRtc.Rtp;

/// <summary>One RFC 8285 header extension element: its local id and a view of its value inside the packet.</summary>
public readonly ref struct RtpExtensionElement
{
    public RtpExtensionElement(byte id, ReadOnlySpan<byte> value)
    {
        Id = id;
        Value = value;
    }

    public byte Id { get; }

    public ReadOnlySpan<byte> Value { get; }
}

namespace Sfu.Streams.Recovery;

/// <summary>How a publisher's media packet reached ingress.</summary>
public enum Repair
{
    /// <summary>As sent (possibly late or reordered).</summary>
    None,
    /// <summary>Restored from an RTX retransmission (RFC 4588).</summary>
    Rtx,
    /// <summary>Rebuilt by the SFU from the publisher's FlexFEC.</summary>
    Fec,
}

namespace Sfu.Streams.Bandwidth;

/// <summary>What the sender remembers about one packet: unwrapped transport-wide number, send time, size, probe cluster (or -1).</summary>
public readonly record struct SentPacket(long Sequence, long SendMicros, int Size, int ProbeClusterId);

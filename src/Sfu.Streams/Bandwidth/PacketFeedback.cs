namespace Sfu.Streams.Bandwidth;

/// <summary>
/// One transport-wide sequence number's fate as the remote end reported it. Arrival times are on the receiver's clock:
/// only differences between them are meaningful.
/// </summary>
public readonly record struct PacketFeedback(ushort SequenceNumber, bool Received, long ArrivalMicros);

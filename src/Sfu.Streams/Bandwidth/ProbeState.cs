namespace Sfu.Streams.Bandwidth;

public enum ProbeState
{
    /// <summary>Nothing sent yet: the first call sends the initial probes.</summary>
    Init,

    /// <summary>A probe is out; a good enough result triggers the next, higher one.</summary>
    WaitingForResult,

    /// <summary>Exponential probing is over; only periodic probes remain.</summary>
    Complete,
}

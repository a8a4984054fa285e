namespace Sfu.LoadGen;

/// <summary>One-way latency samples in microseconds, written by one receive thread, read after the window.</summary>
internal sealed class LatencySamples
{
    private readonly List<int> _micros = new(4096);

    public int Count => _micros.Count;

    public void Add(long micros) => _micros.Add((int)Math.Clamp(micros, 0, int.MaxValue));

    public void CopyTo(List<int> all) => all.AddRange(_micros);
}

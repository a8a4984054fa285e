namespace Sfu.Web.Security;

/// <summary>Counts live things (signaling participants) per client address against a ceiling.</summary>
public sealed class AddressCounter(int max)
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Max { get; } = max;

    public bool TryAcquire(string address)
    {
        lock (_counts)
        {
            _counts.TryGetValue(address, out var n);
            if (n >= Max) return false;
            _counts[address] = n + 1;
            return true;
        }
    }

    public void Release(string address)
    {
        lock (_counts)
        {
            if (!_counts.TryGetValue(address, out var n)) return;
            if (n <= 1) _counts.Remove(address);
            else _counts[address] = n - 1;
        }
    }

    public int CountOf(string address)
    {
        lock (_counts) return _counts.GetValueOrDefault(address);
    }
}

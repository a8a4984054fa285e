namespace Sfu.WebRtc.Sdp;

/// <summary>
/// <c>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;</c> (RFC 8866 §5.7). With ICE the address is only a
/// hint (the default candidate, RFC 8839 §4.2.1); browsers write <c>IN IP4 0.0.0.0</c> before gathering.
/// </summary>
public sealed record ConnectionData(string NetType, string AddressType, string Address)
{
    public static ConnectionData Unspecified { get; } = new("IN", "IP4", "0.0.0.0");

    public override string ToString() => $"{NetType} {AddressType} {Address}";

    internal static bool TryParse(string value, out ConnectionData? connection, out string? error)
    {
        connection = null;
        var parts = value.Split(' ');
        if (parts.Length != 3 || !SdpToken.IsVisible(parts[0]) || !SdpToken.IsVisible(parts[1]) || !SdpToken.IsVisible(parts[2]))
        {
            error = "c= needs '<nettype> <addrtype> <address>'";
            return false;
        }
        connection = new ConnectionData(parts[0], parts[1], parts[2]);
        error = null;
        return true;
    }
}

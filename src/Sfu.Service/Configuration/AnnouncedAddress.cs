using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Sfu.Service.Configuration;

/// <summary>
/// The address put in ICE candidates. <c>webrtc.announced_ip</c> wins; when it is empty the first
/// non-loopback IPv4 address of an interface that is up is used, and 127.0.0.1 on a machine with none
/// (a loopback-only sandbox, where browsers need <c>--allow-loopback-in-peer-connection</c>).
/// </summary>
public static class AnnouncedAddress
{
    public static IPAddress Resolve(WebRtcConfig config) => Resolve(config, LocalAddresses());

    public static IPAddress Resolve(WebRtcConfig config, IEnumerable<IPAddress> localAddresses) =>
        config.AnnouncedIp
        ?? localAddresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;

    /// <summary>Unicast addresses of the interfaces that are not down (Linux reports some as Unknown), in the order the OS lists them.</summary>
    public static IEnumerable<IPAddress> LocalAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus != OperationalStatus.Down)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address);
}

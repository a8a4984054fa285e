using System.Net;
using System.Net.Sockets;

namespace Sfu.E2E.Tests;

/// <summary>Asks the kernel for an unused loopback port by binding port 0, then releases it.</summary>
/// <remarks>Another process may grab the port between release and the server's bind; the server
/// fixture retries with fresh ports when its start fails for that reason.</remarks>
public static class FreePorts
{
    public static int Tcp()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        // The server may bind the wildcard address for media, so check that one.
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

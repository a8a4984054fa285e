using System.Diagnostics;
using System.Net.Sockets;

namespace Sfu.LoadGen;

/// <summary>The blocking receive loop every client socket of the load generator runs on its own thread.</summary>
internal static class UdpReceiveLoop
{
    /// <param name="onDatagram">Called with the reused buffer, the datagram's length and its arrival (Stopwatch timestamp).</param>
    public static void Run(Socket socket, Func<bool> stopped, Action<byte[], int, long> onDatagram)
    {
        var buffer = new byte[2048];
        while (!stopped())
        {
            int n;
            try
            {
                n = socket.Receive(buffer);
            }
            // A peer that is not there yet (or gone) makes loopback UDP report ICMP errors as exceptions.
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                continue;
            }
            catch (Exception) when (stopped())
            {
                return;
            }
            if (n > 0) onDatagram(buffer, n, Stopwatch.GetTimestamp());
        }
    }
}

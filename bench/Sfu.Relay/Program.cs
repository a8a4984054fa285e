using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sfu.Relay;

// sfu-relay --mode udp|srtp [--port N]: prints "listening 127.0.0.1:PORT" once bound, runs until stdin closes or SIGTERM.
var mode = RelayMode.Udp;
var port = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--mode" when i + 1 < args.Length:
            mode = args[++i] switch
            {
                "udp" => RelayMode.Udp,
                "srtp" => RelayMode.Srtp,
                var m => throw new ArgumentException($"unknown mode {m} (udp or srtp)"),
            };
            break;
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine("usage: Sfu.Relay --mode udp|srtp [--port N]");
            return 2;
    }
}

var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
{
    ReceiveBufferSize = 4 * 1024 * 1024,
    SendBufferSize = 4 * 1024 * 1024,
};
socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
using var relay = new BareRelay(socket, mode);
var thread = new Thread(relay.Run) { IsBackground = true, Name = "relay" };
thread.Start();
Console.WriteLine($"listening {socket.LocalEndPoint} mode {mode.ToString().ToLowerInvariant()}");
Console.Out.Flush();
using var stop = new ManualResetEventSlim();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.Set();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Set();
};
stop.Wait();
Console.WriteLine($"received {relay.Received} forwarded {relay.Forwarded} dropped {relay.Dropped}");
return 0;

using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sfu.Actors.Rooms;
using Sfu.Actors.Signaling;

namespace Sfu.Web.Signaling;

/// <summary>
/// The WebSocket at /ws: reads JSON text frames (bounded in size and rate), hands commands to the client's
/// session actor, and writes what the session sends back. A misbehaving client gets errors; nothing it sends
/// can take the server or other participants down.
/// </summary>
public sealed class SignalingEndpoint(ActorSystem system, IRequiredActor<RoomRegion> rooms, SignalingLimits limits, SignalingGate gate, ILogger<SignalingEndpoint> log)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = new { code = "websocket-required", message = "connect with a WebSocket" } });
            return;
        }
        if (gate.ShuttingDown)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        // Wait, not DropWrite: with DropWrite TryWrite reports success for an item it drops, so the session never
        // learned that a flooding client's replies were being thrown away (the Robustness flood test saw 256 of ~450).
        // The session only calls TryWrite, so nothing ever waits.
        var outbound = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var client = new SignalingClient(context.Connection.RemoteIpAddress, context.Request.Query["token"].FirstOrDefault());
        var session = system.ActorOf(ClientSessionActor.Props(rooms.ActorRef, outbound.Writer, join => gate.Admit(join, client)));
        gate.Register(session);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var writer = WriteLoop(socket, outbound.Reader, cts.Token);
        try
        {
            await ReadLoop(socket, session, cts.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            log.LogDebug("signaling socket ended: {Reason}", e.Message);
        }
        finally
        {
            session.Tell(new ClientSessionActor.SocketClosed());
            gate.Unregister(session);
            gate.Disconnected(client);
            outbound.Writer.TryComplete();
            await cts.CancelAsync();
            try { await writer; } catch (OperationCanceledException) { }
        }
    }

    private async Task ReadLoop(WebSocket socket, IActorRef session, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(limits.MaxMessageBytes + 1);
        var bucket = new TokenBucket(limits.MaxMessagesPerSecond, TimeProvider.System);
        try
        {
            while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
            {
                var length = 0;
                var tooLarge = false;
                ValueWebSocketReceiveResult result;
                do
                {
                    var space = tooLarge ? buffer.AsMemory(0, Math.Min(buffer.Length, 16384)) : buffer.AsMemory(length, buffer.Length - length);
                    if (space.Length == 0)
                    {
                        tooLarge = true;
                        space = buffer.AsMemory(0, Math.Min(buffer.Length, 16384));
                    }
                    result = await socket.ReceiveAsync(space, ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                        return;
                    }
                    if (!tooLarge) length += result.Count;
                    if (length > limits.MaxMessageBytes) tooLarge = true;
                } while (!result.EndOfMessage);

                if (!bucket.TryTake())
                {
                    session.Tell(new InvalidCommand(ErrorCodes.RateLimited, $"more than {limits.MaxMessagesPerSecond} messages per second; message dropped"));
                    continue;
                }
                if (tooLarge)
                {
                    session.Tell(new InvalidCommand(ErrorCodes.MessageTooLarge, $"messages are limited to {limits.MaxMessageBytes} bytes"));
                    continue;
                }
                if (result.MessageType != WebSocketMessageType.Text)
                {
                    session.Tell(new InvalidCommand(ErrorCodes.InvalidMessage, "messages are JSON text frames"));
                    continue;
                }
                session.Tell(SignalingParser.Parse(buffer.AsSpan(0, length), limits.MaxSdpBytes));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task WriteLoop(WebSocket socket, ChannelReader<string> outbound, CancellationToken ct)
    {
        await foreach (var json in outbound.ReadAllAsync(ct))
        {
            if (socket.State != WebSocketState.Open) return;
            await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct);
        }
        // The session completed the queue: the server ends this connection (room closed, shutdown, auth failure).
        if (socket.State == WebSocketState.Open)
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed by server", ct);
    }
}

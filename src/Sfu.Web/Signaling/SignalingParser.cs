using System.Text.Json;
using Sfu.Actors;
using Sfu.Actors.Signaling;
using Sfu.Streams.Bandwidth;

namespace Sfu.Web.Signaling;

/// <summary>
/// Turns one JSON text frame into a <see cref="ClientCommand"/> (docs/signaling.md). Anything malformed becomes an
/// <see cref="InvalidCommand"/> with a code the client can act on; nothing here throws on client input.
/// </summary>
public static class SignalingParser
{
    public const int MaxNameLength = 100;
    /// <summary>Larger than any display; a bigger render size is a client bug, not a wish.</summary>
    public const int MaxVideoDimension = 16384;

    public static ClientCommand Parse(ReadOnlySpan<byte> utf8, int maxSdpBytes)
    {
        // JSON text is UTF-8 (RFC 8259 §8.1); checking up front keeps string reads below from failing mid-way.
        if (!System.Text.Unicode.Utf8.IsValid(utf8)) return new InvalidCommand(ErrorCodes.InvalidJson, "not valid UTF-8");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return new InvalidCommand(ErrorCodes.InvalidJson, $"not valid JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new InvalidCommand(ErrorCodes.InvalidMessage, "a message must be a JSON object");
            if (!TryString(root, "type", out var type) || type is null) return new InvalidCommand(ErrorCodes.InvalidMessage, "missing \"type\"");
            TryString(root, "roomId", out var roomId);
            string? target = null;
            if (root.TryGetProperty("target", out var t))
            {
                if (t.ValueKind != JsonValueKind.String || t.GetString() is not (Targets.Publisher or Targets.Subscriber))
                    return new InvalidCommand(ErrorCodes.InvalidMessage, "\"target\" must be \"publisher\" or \"subscriber\"");
                target = t.GetString();
            }
            switch (type)
            {
                case "join":
                {
                    if (!Ids.IsValidRoomId(roomId))
                        return new InvalidCommand(ErrorCodes.InvalidMessage, "\"roomId\" must be 1-64 characters of letters, digits, '-', '_' or '.'");
                    TryString(root, "participantName", out var name);
                    name = string.IsNullOrWhiteSpace(name) ? "Anonymous" : name.Trim();
                    if (name.Length > MaxNameLength) return new InvalidCommand(ErrorCodes.InvalidMessage, $"\"participantName\" is longer than {MaxNameLength} characters");
                    TryString(root, "token", out var token);
                    return new JoinCommand(roomId!, name, token);
                }
                case "leave":
                    return new LeaveCommand();
                case "offer" or "answer" or "start-screen-share" or "stop-screen-share":
                {
                    if (!TryString(root, "sdp", out var sdp) || string.IsNullOrEmpty(sdp)) return new InvalidCommand(ErrorCodes.InvalidMessage, $"\"{type}\" needs \"sdp\"");
                    if (sdp.Length > maxSdpBytes) return new InvalidCommand(ErrorCodes.InvalidSdp, $"SDP larger than {maxSdpBytes} bytes");
                    ClientMessage m = type switch
                    {
                        "offer" => new ClientOffer(sdp, target ?? Targets.Publisher),
                        "answer" => new ClientAnswer(sdp, target ?? Targets.Publisher),
                        _ => new ClientScreenShare(sdp, type == "start-screen-share"),
                    };
                    return new ParticipantCommand(roomId, m);
                }
                case "ice-candidate":
                {
                    IceCandidateInit? candidate = null;
                    if (root.TryGetProperty("candidate", out var c) && c.ValueKind == JsonValueKind.Object)
                    {
                        TryString(c, "candidate", out var line);
                        TryString(c, "sdpMid", out var mid);
                        int? index = c.TryGetProperty("sdpMLineIndex", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var iv) ? iv : null;
                        candidate = new IceCandidateInit(line ?? "", index, mid);
                    }
                    else if (root.TryGetProperty("candidate", out var c2) && c2.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                        return new InvalidCommand(ErrorCodes.InvalidMessage, "\"candidate\" must be an object or null");
                    return new ParticipantCommand(roomId, new ClientIceCandidate(candidate, target ?? Targets.Publisher));
                }
                case "mute":
                {
                    if (!TryString(root, "trackId", out var trackId) || trackId is null) return new InvalidCommand(ErrorCodes.InvalidMessage, "\"mute\" needs \"trackId\"");
                    var muted = !root.TryGetProperty("muted", out var mv) || mv.ValueKind != JsonValueKind.False;
                    return new ParticipantCommand(roomId, new ClientMute(trackId, muted));
                }
                case "update-quality":
                {
                    TryString(root, "quality", out var q);
                    QualityRequest? quality = q switch
                    {
                        "low" => QualityRequest.Low,
                        "medium" => QualityRequest.Medium,
                        "high" => QualityRequest.High,
                        "auto" => QualityRequest.Auto,
                        _ => null,
                    };
                    if (quality is null) return new InvalidCommand(ErrorCodes.InvalidMessage, "\"quality\" must be \"low\", \"medium\", \"high\" or \"auto\"");
                    string? trackId = null;
                    if (root.TryGetProperty("trackId", out var tv) && tv.ValueKind != JsonValueKind.Null && !TryString(root, "trackId", out trackId))
                        return new InvalidCommand(ErrorCodes.InvalidMessage, "\"trackId\" must be a string");
                    return new ParticipantCommand(roomId, new ClientUpdateQuality(quality.Value, trackId));
                }
                case "video-size":
                {
                    if (!TryString(root, "trackId", out var trackId) || string.IsNullOrEmpty(trackId)) return new InvalidCommand(ErrorCodes.InvalidMessage, "\"video-size\" needs \"trackId\"");
                    if (!TryDimension(root, "width", out var width) || !TryDimension(root, "height", out var height))
                        return new InvalidCommand(ErrorCodes.InvalidMessage, $"\"width\" and \"height\" must be integers from 0 to {MaxVideoDimension}");
                    return new ParticipantCommand(roomId, new ClientVideoSize(trackId, width, height));
                }
                default:
                    return new InvalidCommand(ErrorCodes.UnknownType, $"unknown message type \"{Truncate(type)}\"");
            }
        }
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static bool TryDimension(JsonElement e, string name, out int value)
    {
        value = 0;
        return e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out value)
            && value is >= 0 and <= MaxVideoDimension;
    }

    private static bool TryString(JsonElement e, string name, out string? value)
    {
        value = null;
        if (!e.TryGetProperty(name, out var p) || p.ValueKind != JsonValueKind.String) return false;
        value = p.GetString();
        return true;
    }
}

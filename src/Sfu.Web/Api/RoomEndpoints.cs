using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Http;
using Sfu.Actors;
using Sfu.Actors.Rooms;
using Sfu.Web.Security;

namespace Sfu.Web.Api;

/// <summary>Handlers of /api/rooms: they validate, ask the room's shard entity, and map its answer to HTTP.</summary>
public static class RoomEndpoints
{
    /// <summary>Room creation checks the node's room count, then creates; one at a time keeps max_rooms exact on this node.</summary>
    public sealed class CreationLock
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    public static IResult List(RoomDirectory directory) => Results.Ok(directory.All.Select(RoomResponse.From).ToList());

    public static async Task<IResult> Create(HttpContext http, IRequiredActor<RoomRegion> region, RoomDirectory directory, ApiOptions options, CreationLock creation)
    {
        var body = await JsonBody.ReadAsync<CreateRoomRequest>(http, options.MaxBodyBytes);
        if (body.Error is not null) return body.Error;
        var request = body.Value!;
        if (request.Id is not null && !Ids.IsValidRoomId(request.Id))
            return Invalid("\"id\" must be 1-64 characters of letters, digits, '-', '_' or '.'");
        if (request.Name is not null && (request.Name.Trim().Length == 0 || request.Name.Length > options.MaxNameLength))
            return Invalid($"\"name\" must be 1-{options.MaxNameLength} characters");
        var max = request.MaxParticipants ?? options.MaxParticipants;
        if (max < 1 || max > options.MaxParticipants)
            return Invalid($"\"maxParticipants\" must be 1-{options.MaxParticipants}");
        var id = request.Id ?? RoomIds.FromName(request.Name);
        if (RequireToken.RefuseRoom(http, id) is { } refused) return refused;

        await creation.Gate.WaitAsync(http.RequestAborted);
        try
        {
            if (directory.RoomCount >= options.MaxRooms && !directory.TryGet(id, out _))
                return ApiError.Result(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.ServerFull, $"this server holds its maximum of {options.MaxRooms} rooms");
            return await Ask(region, new CreateRoom(id, request.Name?.Trim() ?? id, max), options.AskTimeout) switch
            {
                RoomCreated created => Results.Created($"/api/rooms/{Uri.EscapeDataString(id)}", RoomResponse.From(created.Room)),
                RoomConflict => ApiError.Result(StatusCodes.Status409Conflict, ApiErrorCodes.RoomExists, $"room {id} already exists"),
                var other => Unexpected(other),
            };
        }
        finally
        {
            creation.Gate.Release();
        }
    }

    public static async Task<IResult> Get(string id, IRequiredActor<RoomRegion> region, ApiOptions options)
    {
        if (!Ids.IsValidRoomId(id)) return NotFound(id);
        return await Ask(region, new GetRoom(id), options.AskTimeout) switch
        {
            RoomSnapshot room => Results.Ok(RoomResponse.From(room)),
            RoomNotFound => NotFound(id),
            var other => Unexpected(other),
        };
    }

    public static async Task<IResult> Delete(HttpContext http, string id, IRequiredActor<RoomRegion> region, ApiOptions options)
    {
        if (RequireToken.RefuseRoom(http, id) is { } refused) return refused;
        if (!Ids.IsValidRoomId(id)) return NotFound(id);
        return await Ask(region, new CloseRoom(id, "closed through the REST API"), options.AskTimeout) switch
        {
            RoomClosedAck => Results.NoContent(),
            RoomNotFound => NotFound(id),
            var other => Unexpected(other),
        };
    }

    public static async Task<IResult> Stats(HttpContext http, string id, IRequiredActor<RoomRegion> region, BitrateSampler bitrates, ApiOptions options)
    {
        if (RequireToken.RefuseRoom(http, id) is { } refused) return refused;
        if (!Ids.IsValidRoomId(id)) return NotFound(id);
        return await Ask(region, new GetRoomStats(id), options.StatsTimeout) switch
        {
            RoomStats stats => Results.Ok(bitrates.Apply(stats)),
            RoomNotFound => NotFound(id),
            var other => Unexpected(other),
        };
    }

    private static async Task<object> Ask(IRequiredActor<RoomRegion> region, IWithRoomId message, TimeSpan timeout)
    {
        try
        {
            return await region.ActorRef.Ask<object>(message, timeout);
        }
        catch (AskTimeoutException)
        {
            return new TimedOut(message.RoomId, timeout);
        }
    }

    private sealed record TimedOut(string RoomId, TimeSpan After);

    private static IResult Unexpected(object answer) => answer is TimedOut t
        ? ApiError.Result(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.Unavailable, $"room {t.RoomId} did not answer within {t.After.TotalSeconds:0} s")
        : throw new InvalidOperationException($"unexpected answer from the room: {answer.GetType().Name}");

    private static IResult Invalid(string message) => ApiError.Result(StatusCodes.Status400BadRequest, ApiErrorCodes.InvalidRequest, message);

    private static IResult NotFound(string id) => ApiError.Result(StatusCodes.Status404NotFound, ApiErrorCodes.RoomNotFound, $"room {id} does not exist");
}

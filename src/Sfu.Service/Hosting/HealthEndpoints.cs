using Sfu.Actors.Rooms;
using Sfu.Service.Configuration;

namespace Sfu.Service.Hosting;

/// <summary><c>GET /health</c> (liveness, the original API's shape) and <c>GET /ready</c> (readiness).</summary>
public static class HealthEndpoints
{
    public static WebApplication MapSfuHealth(this WebApplication app)
    {
        app.MapGet("/health", (RoomDirectory directory, SfuConfig config) => Results.Json(new
        {
            status = "healthy",
            rooms = directory.RoomCount,
            participants = directory.ParticipantCount,
            config = new { max_rooms = config.Rooms.MaxRooms, max_participants_per_room = config.Rooms.MaxParticipants },
        }));
        app.MapGet("/ready", (Readiness readiness) => readiness.NotReadyReason() is { } reason
            ? Results.Json(new { status = "not-ready", reason }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new { status = "ready" }));
        return app;
    }
}

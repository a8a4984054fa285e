namespace Sfu.Web.Api;

/// <summary>POST /api/rooms body. Unknown fields are ignored.</summary>
/// <param name="Id">Optional room id (1-64 of letters, digits, '-', '_', '.'); made from the name when absent.</param>
/// <param name="Name">Display name, 1-100 characters; the id when absent.</param>
/// <param name="MaxParticipants">1..rooms.max_participants; rooms.max_participants when absent.</param>
public sealed record CreateRoomRequest(string? Id, string? Name, int? MaxParticipants);

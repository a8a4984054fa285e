using System.Text;
using Sfu.Actors;

namespace Sfu.Web.Api;

/// <summary>Room ids the API makes: the name as a URL slug plus a random suffix, e.g. <c>conference-room-k3x9pq</c>.</summary>
public static class RoomIds
{
    private const int MaxSlug = 40;

    public static string FromName(string? name)
    {
        var slug = new StringBuilder(MaxSlug);
        foreach (var c in (name ?? "").ToLowerInvariant())
        {
            if (slug.Length >= MaxSlug) break;
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var stem = slug.ToString().Trim('-');
        return Ids.NewId((stem.Length == 0 ? "room" : stem) + "-", 6);
    }
}

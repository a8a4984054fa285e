namespace Sfu.Web.Security;

/// <summary>What a token lets its holder do (the JWT's <c>permissions</c> claim).</summary>
public static class Permissions
{
    /// <summary>Send media: a publisher offer.</summary>
    public const string Publish = "publish";
    /// <summary>Receive media: answer the server's subscriber offer.</summary>
    public const string Subscribe = "subscribe";
    /// <summary>The room REST API's writes and stats, and issuing tokens.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Publish, Subscribe, Admin];

    public static bool IsKnown(string permission) => All.Contains(permission, StringComparer.Ordinal);
}

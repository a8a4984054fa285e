using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Sfu.Web.Security;

/// <summary>
/// Finds and checks the token of an HTTP request: <c>security.auth_token_header</c> (or <c>Authorization: Bearer</c>),
/// either a JWT from <see cref="TokenService"/> or the raw <c>security.admin_token</c>.
/// </summary>
public sealed class RequestAuthenticator(SecurityOptions options, TokenService tokens, TimeProvider time)
{
    public bool RequireAuth => options.RequireAuth;

    public string? TokenOf(HttpRequest request)
    {
        var header = request.Headers[options.AuthTokenHeader].FirstOrDefault();
        if (!string.IsNullOrWhiteSpace(header)) return header.Trim();
        var authorization = request.Headers.Authorization.FirstOrDefault();
        const string bearer = "Bearer ";
        return authorization is not null && authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[bearer.Length..].Trim()
            : null;
    }

    public bool TryAuthenticate(string? token, out AccessToken? access, out string failure)
    {
        if (token is not null && IsAdminToken(token))
        {
            access = AccessToken.AdminKey(time.GetUtcNow());
            failure = "";
            return true;
        }
        return tokens.TryValidate(token, out access, out failure);
    }

    private bool IsAdminToken(string token) =>
        options.AdminToken.Length > 0 &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(options.AdminToken));
}

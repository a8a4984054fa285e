using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sfu.Actors;

namespace Sfu.Web.Security;

/// <summary>
/// Issues and checks the server's access tokens: HS256 JWTs (RFC 7519, algorithm per RFC 7518 §3.2) signed with
/// <c>security.jwt_secret</c>, carrying <c>room</c>, <c>name</c>, <c>permissions</c> and <c>exp</c>.
/// </summary>
public sealed class TokenService
{
    public const string RoomClaim = "room";
    public const string NameClaim = "name";
    public const string PermissionsClaim = "permissions";

    /// <summary>Clocks of the issuer and this server may differ a little; tokens are short-lived, so keep it small.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly SymmetricSecurityKey? _key;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TokenService(SecurityOptions options, TimeProvider time)
    {
        _time = time;
        // RFC 7518 §3.2: an HS256 key must be at least 256 bits; the library refuses shorter ones.
        if (Encoding.UTF8.GetByteCount(options.JwtSecret) >= 32) _key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.JwtSecret));
    }

    /// <summary>False when no usable <c>jwt_secret</c> is configured: no token can be issued or accepted.</summary>
    public bool Enabled => _key is not null;

    public string Issue(string room, string name, IReadOnlyList<string> permissions, TimeSpan lifetime)
    {
        if (_key is null) throw new InvalidOperationException("security.jwt_secret is not set (at least 32 bytes), so no token can be issued");
        var now = _time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                [RoomClaim] = room,
                [NameClaim] = name,
                [PermissionsClaim] = permissions.ToArray(),
            },
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Checks signature, algorithm, expiry and claims; on failure <paramref name="failure"/> says why in words a client may see.</summary>
    public bool TryValidate(string? token, out AccessToken? access, out string failure)
    {
        access = null;
        failure = "";
        if (string.IsNullOrWhiteSpace(token))
        {
            failure = "missing token";
            return false;
        }
        if (_key is null)
        {
            failure = "this server accepts no tokens (security.jwt_secret is not set)";
            return false;
        }
        var result = _handler.ValidateTokenAsync(token, Parameters()).GetAwaiter().GetResult();
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            failure = result.Exception switch
            {
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "token signature is not valid",
                SecurityTokenInvalidAlgorithmException => "token must be signed with HS256",
                _ => "token is not valid",
            };
            return false;
        }
        if (LifetimeFailure(jwt) is { } lifetime)
        {
            failure = lifetime;
            return false;
        }
        if (!jwt.TryGetPayloadValue<string>(RoomClaim, out var room) || !(room == AccessToken.AnyRoom || Ids.IsValidRoomId(room)))
        {
            failure = "token has no valid room claim";
            return false;
        }
        jwt.TryGetPayloadValue<string>(NameClaim, out var name);
        access = new AccessToken(room, name ?? "", ReadPermissions(jwt), new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        return true;
    }

    /// <summary>
    /// exp is required and nbf honoured (RFC 7519 §4.1.4-5), checked here against the injected clock: the library's
    /// own lifetime check reads the wall clock.
    /// </summary>
    private string? LifetimeFailure(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out _)) return "token has no expiry";
        var now = _time.GetUtcNow().UtcDateTime;
        if (jwt.ValidTo + ClockSkew < now) return "token expired";
        if (jwt.ValidFrom != DateTime.MinValue && jwt.ValidFrom - ClockSkew > now) return "token is not valid yet";
        return null;
    }

    private static IReadOnlyList<string> ReadPermissions(JsonWebToken jwt)
    {
        if (jwt.TryGetPayloadValue<string[]>(PermissionsClaim, out var list) && list is not null)
            return list.Where(p => p is not null).ToArray();
        // A single permission may arrive as a plain string from other issuers.
        return jwt.TryGetPayloadValue<string>(PermissionsClaim, out var one) && one is not null ? [one] : [];
    }

    private TokenValidationParameters Parameters() => new()
    {
        ValidateIssuer = false,
        ValidateAudience = false,
        // Lifetime is checked in LifetimeFailure against the injected TimeProvider.
        ValidateLifetime = false,
        RequireExpirationTime = false,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKey = _key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
    };
}

using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sfu.Web.Security;

namespace Sfu.Service.Tests.Api;

public sealed class TokenServiceTests
{
    private const string Secret = ApiServer.JwtSecret;
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static TokenService Service(TimeProvider time, string secret = Secret) => new(new SecurityOptions { JwtSecret = secret }, time);

    [Fact]
    public void An_issued_token_validates_with_its_claims()
    {
        var time = new ManualTime(Start);
        var tokens = Service(time);
        var jwt = tokens.Issue("room-1", "Alice", [Permissions.Publish, Permissions.Subscribe], TimeSpan.FromMinutes(10));

        Assert.True(tokens.TryValidate(jwt, out var access, out var failure), failure);
        Assert.Equal(("room-1", "Alice", Start.AddMinutes(10)), (access!.Room, access.Name, access.Expires));
        Assert.Equal([Permissions.Publish, Permissions.Subscribe], access.Permissions);
        Assert.True(access.CoversRoom("room-1"));
        Assert.False(access.CoversRoom("room-2"));
        Assert.False(access.Allows(Permissions.Admin));

        var header = new JsonWebToken(jwt);
        Assert.Equal("HS256", header.Alg);
        Assert.Equal(Start.AddMinutes(10).ToUnixTimeSeconds(), header.GetPayloadValue<long>("exp"));
    }

    [Fact]
    public void A_token_expires_after_its_lifetime_plus_the_clock_skew()
    {
        var time = new ManualTime(Start);
        var tokens = Service(time);
        var jwt = tokens.Issue("*", "", [Permissions.Admin], TimeSpan.FromMinutes(1));

        time.Advance(TimeSpan.FromMinutes(1) + TokenService.ClockSkew);
        Assert.True(tokens.TryValidate(jwt, out _, out _));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(tokens.TryValidate(jwt, out var access, out var failure));
        Assert.Null(access);
        Assert.Equal("token expired", failure);
    }

    [Fact]
    public void A_token_from_another_secret_is_refused()
    {
        var time = new ManualTime(Start);
        var jwt = Service(time, "some-other-secret-that-is-long-enough-too").Issue("*", "", [Permissions.Admin], TimeSpan.FromMinutes(1));
        Assert.False(Service(time).TryValidate(jwt, out _, out var failure));
        Assert.Equal("token signature is not valid", failure);
    }

    [Fact]
    public void Unsigned_and_exp_less_and_room_less_tokens_are_refused()
    {
        var time = new ManualTime(Start);
        var tokens = Service(time);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var unsigned = handler.CreateToken("{\"room\":\"*\",\"permissions\":[\"admin\"],\"exp\":" + Start.AddHours(1).ToUnixTimeSeconds() + "}");
        Assert.False(tokens.TryValidate(unsigned, out _, out _));

        var key = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret)), SecurityAlgorithms.HmacSha256);
        Assert.False(tokens.TryValidate(handler.CreateToken("{\"room\":\"*\"}", key), out _, out var noExp));
        Assert.Equal("token has no expiry", noExp);

        var exp = Start.AddHours(1).ToUnixTimeSeconds();
        Assert.False(tokens.TryValidate(handler.CreateToken("{\"exp\":" + exp + "}", key), out _, out var noRoom));
        Assert.Equal("token has no valid room claim", noRoom);
        Assert.False(tokens.TryValidate(handler.CreateToken("{\"room\":\"bad room\",\"exp\":" + exp + "}", key), out _, out _));

        // Another issuer may send one permission as a plain string.
        Assert.True(tokens.TryValidate(handler.CreateToken("{\"room\":\"r\",\"permissions\":\"publish\",\"exp\":" + exp + "}", key), out var single, out _));
        Assert.Equal([Permissions.Publish], single!.Permissions);
    }

    [Fact]
    public void HS512_with_the_same_secret_is_refused()
    {
        var handler = new JsonWebTokenHandler();
        var key = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret + Secret)), SecurityAlgorithms.HmacSha512);
        var jwt = handler.CreateToken("{\"room\":\"*\",\"exp\":" + DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() + "}", key);
        Assert.False(Service(TimeProvider.System, Secret + Secret).TryValidate(jwt, out _, out _));
    }

    [Fact]
    public void Without_a_secret_nothing_is_issued_or_accepted()
    {
        var tokens = Service(TimeProvider.System, "");
        Assert.False(tokens.Enabled);
        Assert.Throws<InvalidOperationException>(() => tokens.Issue("*", "", [], TimeSpan.FromMinutes(1)));
        var jwt = Service(TimeProvider.System).Issue("*", "", [], TimeSpan.FromMinutes(1));
        Assert.False(tokens.TryValidate(jwt, out _, out _));
    }

    [Fact]
    public void Random_and_damaged_tokens_are_refused_without_throwing()
    {
        var time = new ManualTime(Start);
        var tokens = Service(time);
        var good = tokens.Issue("room", "name", [Permissions.Publish], TimeSpan.FromHours(1));
        var random = new Random(4242);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"{}";
        for (var i = 0; i < 3000; i++)
        {
            string candidate;
            switch (i % 3)
            {
                case 0:
                    candidate = good[..random.Next(good.Length)];
                    break;
                case 1:
                    var chars = good.ToCharArray();
                    chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
                    candidate = new string(chars);
                    break;
                default:
                    candidate = new string(Enumerable.Range(0, random.Next(200)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
                    break;
            }
            if (candidate == good) continue;
            // A changed character in the base64url padding bits can leave the token intact; anything else must fail.
            if (tokens.TryValidate(candidate, out var access, out _))
                Assert.Equal("room", access!.Room);
            else
                Assert.Null(access);
        }
    }
}

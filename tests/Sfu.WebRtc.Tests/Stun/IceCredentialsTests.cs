using Sfu.WebRtc.Stun;

namespace Sfu.WebRtc.Tests.Stun;

public class IceCredentialsTests
{
    [Fact]
    public void NewCredentials_AreValidAndTheAdvertisedLength()
    {
        for (int i = 0; i < 100; i++)
        {
            string ufrag = IceCredentials.NewUfrag();
            string password = IceCredentials.NewPassword();
            Assert.Equal(16, ufrag.Length);
            Assert.Equal(32, password.Length);
            Assert.True(IceCredentials.IsValidUfrag(ufrag));
            Assert.True(IceCredentials.IsValidPassword(password));
        }
    }

    [Fact]
    public void NewCredentials_DoNotRepeat()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 1000; i++)
            Assert.True(seen.Add(IceCredentials.NewUfrag()));
    }

    [Fact]
    public void NewCredentials_UseTheWholeAlphabet()
    {
        // 64 symbols over 32,000 draws: a missing one would mean a biased or truncated alphabet.
        var used = new HashSet<char>();
        for (int i = 0; i < 1000; i++)
            used.UnionWith(IceCredentials.NewPassword());
        Assert.Equal(64, used.Count);
    }

    [Theory]
    [InlineData("abcd", true)]
    [InlineData("a+/9", true)]
    [InlineData("abc", false)]
    [InlineData("ab:d", false)]  // ':' separates ufrags in USERNAME, it must never appear in one
    [InlineData("ab d", false)]
    [InlineData("abcé", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Ufrag_Validation(string? ufrag, bool valid) => Assert.Equal(valid, IceCredentials.IsValidUfrag(ufrag));

    [Fact]
    public void Length_Limits()
    {
        Assert.True(IceCredentials.IsValidUfrag(new string('a', 256)));
        Assert.False(IceCredentials.IsValidUfrag(new string('a', 257)));
        Assert.True(IceCredentials.IsValidPassword(new string('a', 22)));
        Assert.False(IceCredentials.IsValidPassword(new string('a', 21)));
        Assert.True(IceCredentials.IsValidPassword(new string('Z', 256)));
        Assert.False(IceCredentials.IsValidPassword(new string('Z', 257)));
        Assert.False(IceCredentials.IsValidPassword("VOkJxbRl1RmTxUk/WvJxB-"));
    }
}

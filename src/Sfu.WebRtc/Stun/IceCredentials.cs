using System.Security.Cryptography;

namespace Sfu.WebRtc.Stun;

/// <summary>
/// ICE username fragments and passwords (RFC 8839 §5.4). ice-char = ALPHA / DIGIT / "+" / "/",
/// exactly 64 symbols, so each character carries 6 bits: 16 characters give 96 bits, 32 give 192,
/// well above the 24 and 128 bits RFC 8445 §5.3 asks for.
/// </summary>
public static class IceCredentials
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public const int UfragLength = 16;
    public const int PasswordLength = 32;

    public static string NewUfrag() => RandomNumberGenerator.GetString(IceChars, UfragLength);

    public static string NewPassword() => RandomNumberGenerator.GetString(IceChars, PasswordLength);

    /// <summary>ice-ufrag = 4*256ice-char.</summary>
    public static bool IsValidUfrag(string? s) => IsIceCharString(s, 4, 256);

    /// <summary>ice-pwd = 22*256ice-char.</summary>
    public static bool IsValidPassword(string? s) => IsIceCharString(s, 22, 256);

    private static bool IsIceCharString(string? s, int min, int max)
    {
        if (s is null || s.Length < min || s.Length > max)
            return false;
        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
                return false;
        }
        return true;
    }
}

using System.Security.Cryptography;

namespace Sfu.Actors;

/// <summary>Ids a client may choose (room ids) are validated; ids we make are short random strings.</summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string NewId(string prefix, int length = 12)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return prefix + new string(chars);
    }

    /// <summary>Room ids: 1..64 characters of letters, digits, '-', '_' and '.', so they are safe in URLs, logs and file names.</summary>
    public static bool IsValidRoomId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

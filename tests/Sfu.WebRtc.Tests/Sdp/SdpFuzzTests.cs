using System.Text;
using Sfu.WebRtc.Sdp;

namespace Sfu.WebRtc.Tests.Sdp;

/// <summary>
/// Seeded random inputs: garbage, mutated and truncated real SDP, shuffled lines. The parser may accept or reject,
/// but the only exception allowed is SdpParseException; whatever it accepts must write back to SDP it accepts again.
/// </summary>
public class SdpFuzzTests
{
    private const string Alphabet = "av=m:/ ;,~*-_01234569\r\n\tZé\0";

    [Fact]
    public void Five_thousand_random_inputs_throw_nothing_but_SdpParseException()
    {
        var random = new Random(20261125);
        var fixtures = SdpFixtures.All.Select(SdpFixtures.Read).ToArray();
        int accepted = 0, rejected = 0;
        for (var i = 0; i < 5000; i++)
        {
            var input = (i % 5) switch
            {
                0 => RandomGarbage(random),
                1 => Mutate(random, fixtures[random.Next(fixtures.Length)]),
                2 => Truncate(random, fixtures[random.Next(fixtures.Length)]),
                3 => ShuffleLines(random, fixtures[random.Next(fixtures.Length)]),
                _ => MutateLine(random, fixtures[random.Next(fixtures.Length)]),
            };
            if (Check(input, i)) accepted++;
            else rejected++;
        }
        // Guard against a fuzzer that only ever produces one outcome and so tests half of the contract.
        Assert.True(accepted > 100, $"only {accepted} inputs were accepted");
        Assert.True(rejected > 1000, $"only {rejected} inputs were rejected");
    }

    private static bool Check(string input, int iteration)
    {
        SessionDescription parsed;
        try
        {
            parsed = SessionDescription.Parse(input);
        }
        catch (SdpParseException e)
        {
            Assert.True(e.LineNumber >= 0);
            Assert.False(SessionDescription.TryParse(input, out _, out _));
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"iteration {iteration}: {e.GetType().Name}: {e.Message}\n--- input ---\n{Escape(input)}");
            throw;
        }
        string written;
        try
        {
            written = parsed.ToString();
            var again = SessionDescription.Parse(written);
            Assert.Equal(written, again.ToString());
        }
        catch (Exception e)
        {
            Assert.Fail($"iteration {iteration}: accepted input did not round-trip: {e.GetType().Name}: {e.Message}\n--- input ---\n{Escape(input)}");
            throw;
        }
        return true;
    }

    private static string Escape(string s) => s.Length > 3000 ? s[..3000] + "..." : s.Replace("\0", "\\0");

    private static string RandomGarbage(Random r)
    {
        var sb = new StringBuilder();
        if (r.Next(2) == 0) sb.Append("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
        var length = r.Next(0, 2000);
        for (var i = 0; i < length; i++)
            sb.Append(r.Next(3) == 0 ? (char)r.Next(0, 0x250) : Alphabet[r.Next(Alphabet.Length)]);
        return sb.ToString();
    }

    private static string Mutate(Random r, string sdp)
    {
        var chars = new StringBuilder(sdp);
        var edits = r.Next(1, 8);
        for (var e = 0; e < edits && chars.Length > 0; e++)
        {
            var at = r.Next(chars.Length);
            switch (r.Next(3))
            {
                case 0: chars[at] = Alphabet[r.Next(Alphabet.Length)]; break;
                case 1: chars.Remove(at, Math.Min(r.Next(1, 20), chars.Length - at)); break;
                default: chars.Insert(at, Alphabet[r.Next(Alphabet.Length)]); break;
            }
        }
        return chars.ToString();
    }

    private static string Truncate(Random r, string sdp) => sdp[..r.Next(sdp.Length + 1)];

    private static string ShuffleLines(Random r, string sdp)
    {
        var lines = sdp.Split('\n').ToList();
        var swaps = r.Next(1, 4);
        for (var s = 0; s < swaps; s++)
        {
            var a = r.Next(lines.Count);
            var b = r.Next(lines.Count);
            if (r.Next(2) == 0) (lines[a], lines[b]) = (lines[b], lines[a]);
            else lines.Insert(b, lines[a]);
        }
        return string.Join('\n', lines);
    }

    /// <summary>Replaces one field of one line with a boundary value, so most inputs get deep into attribute parsing.</summary>
    private static string MutateLine(Random r, string sdp)
    {
        string[] values = ["", "0", "-1", "128", "256", "65536", "4294967296", "99999999999999999999", "*", "~", "a;b,c", ":", "/", "x/y/z", "é", "\t"];
        var lines = sdp.Split('\n');
        var i = r.Next(lines.Length);
        var fields = lines[i].Split(' ', ':', '/', ';', '=');
        var f = r.Next(fields.Length);
        var target = fields[f];
        var start = target.Length == 0 ? -1 : lines[i].IndexOf(target, StringComparison.Ordinal);
        if (start >= 0) lines[i] = lines[i][..start] + values[r.Next(values.Length)] + lines[i][(start + target.Length)..];
        return string.Join('\n', lines);
    }
}

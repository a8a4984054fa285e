namespace Sfu.WebRtc.Sdp;

/// <summary>One rid in an <c>a=simulcast</c> list; "~" before it marks the stream as initially paused (RFC 8853 §5.1).</summary>
public sealed record SimulcastStream(string Rid, bool Paused = false)
{
    public override string ToString() => Paused ? "~" + Rid : Rid;
}

/// <summary>
/// <c>a=simulcast:[send &lt;list&gt;] [recv &lt;list&gt;]</c> (RFC 8853 §5.1). Each list is ';'-separated
/// simulcast streams, each a ','-separated set of alternative rids (different codecs for the same layer).
/// </summary>
public sealed class SimulcastDescription
{
    public List<List<SimulcastStream>> Send { get; } = new();

    public List<List<SimulcastStream>> Recv { get; } = new();

    /// <summary>The first alternative of each send stream, in order: the rids a publisher sends (e.g. q, h, f).</summary>
    public IReadOnlyList<string> SendRids => Send.Select(alts => alts[0].Rid).ToList();

    public IReadOnlyList<string> RecvRids => Recv.Select(alts => alts[0].Rid).ToList();

    public override string ToString()
    {
        var parts = new List<string>();
        if (Send.Count > 0) parts.Add("send " + Format(Send));
        if (Recv.Count > 0) parts.Add("recv " + Format(Recv));
        return "simulcast:" + string.Join(' ', parts);
    }

    private static string Format(List<List<SimulcastStream>> list) =>
        string.Join(';', list.Select(alts => string.Join(',', alts)));

    public static bool TryParse(string value, out SimulcastDescription? simulcast, out string? error)
    {
        simulcast = null;
        // Firefox before 72 wrote "a=simulcast: send ..." with a space after the colon, hence SplitSpaces.
        var parts = SdpToken.SplitSpaces(value);
        if (parts.Length is not (2 or 4))
        {
            error = "a=simulcast needs 'send <list>' and/or 'recv <list>'";
            return false;
        }
        var result = new SimulcastDescription();
        for (var i = 0; i < parts.Length; i += 2)
        {
            List<List<SimulcastStream>> target;
            if (parts[i] == "send") target = result.Send;
            else if (parts[i] == "recv") target = result.Recv;
            else
            {
                error = $"a=simulcast direction '{parts[i]}' is not send or recv";
                return false;
            }
            if (target.Count > 0)
            {
                error = $"a=simulcast has two '{parts[i]}' lists";
                return false;
            }
            foreach (var stream in parts[i + 1].Split(';'))
            {
                var alternatives = new List<SimulcastStream>();
                foreach (var alt in stream.Split(','))
                {
                    var paused = alt.StartsWith('~');
                    var rid = paused ? alt[1..] : alt;
                    if (!RidDescription.IsValidId(rid))
                    {
                        error = $"a=simulcast rid '{alt}' is not a valid rid";
                        return false;
                    }
                    alternatives.Add(new SimulcastStream(rid, paused));
                }
                target.Add(alternatives);
            }
        }
        simulcast = result;
        error = null;
        return true;
    }
}

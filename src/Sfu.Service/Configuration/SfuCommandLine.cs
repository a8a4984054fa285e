namespace Sfu.Service.Configuration;

/// <summary>
/// The configuration part of the command line: <c>--config DIR</c> (default: <c>config/</c> beside
/// the binary), any number of <c>--set path=value</c>, and <c>--dev-cert</c>. Other arguments are left for the host.
/// </summary>
public sealed record SfuCommandLine(string ConfigDirectory, IReadOnlyList<string> Overrides, IReadOnlyList<string> Remaining)
{
    /// <summary><c>--dev-cert</c>: serve HTTPS/WSS on <c>server.tls.port</c> with a fresh self-signed certificate.</summary>
    public bool DevCertificate { get; init; }

    public static string DefaultConfigDirectory => Path.Combine(AppContext.BaseDirectory, "config");

    /// <exception cref="ConfigException"><c>--config</c> or <c>--set</c> without a value.</exception>
    public static SfuCommandLine Parse(IReadOnlyList<string> args)
    {
        var directory = DefaultConfigDirectory;
        var overrides = new List<string>();
        var remaining = new List<string>();
        var devCertificate = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--config")
            {
                directory = Next(args, ref i, "--config", "a directory");
            }
            else if (arg.StartsWith("--config=", StringComparison.Ordinal))
            {
                directory = arg["--config=".Length..];
            }
            else if (arg == "--set")
            {
                overrides.Add(Next(args, ref i, "--set", "path=value"));
            }
            else if (arg.StartsWith("--set=", StringComparison.Ordinal))
            {
                overrides.Add(arg["--set=".Length..]);
            }
            else if (arg == "--dev-cert")
            {
                // Taken out here: the host's command-line provider would read the next argument as its value.
                devCertificate = true;
            }
            else
            {
                remaining.Add(arg);
            }
        }

        return new SfuCommandLine(directory, overrides, remaining) { DevCertificate = devCertificate };
    }

    private static string Next(IReadOnlyList<string> args, ref int i, string name, string expected) =>
        i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
            ? args[++i]
            : throw new ConfigException($"{name}: expected {expected} after it");
}

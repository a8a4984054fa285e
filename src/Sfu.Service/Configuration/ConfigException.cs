namespace Sfu.Service.Configuration;

/// <summary>
/// A configuration error. <see cref="Exception.Message"/> is one line that names where the bad value
/// came from (file, environment variable or <c>--set</c> argument), the key path and the reason,
/// so the service can print it and exit without a stack trace.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

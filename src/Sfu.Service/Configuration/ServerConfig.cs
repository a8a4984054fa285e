namespace Sfu.Service.Configuration;

/// <summary><c>server:</c> where the HTTP/WebSocket endpoint (signaling, REST, metrics) listens.</summary>
public sealed record ServerConfig(string Host, int Port, TlsConfig Tls)
{
    public static readonly ServerConfig Default = new("0.0.0.0", 8080, TlsConfig.Default);
}

/// <summary><c>server.tls:</c> PEM certificate and key; both empty means no HTTPS listener.</summary>
public sealed record TlsConfig(string Cert, string Key, int Port)
{
    public static readonly TlsConfig Default = new("", "", 8443);

    public bool Enabled => Cert.Length > 0;
}

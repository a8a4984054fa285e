namespace Sfu.Service.Configuration;

/// <summary><c>cluster:</c> Akka.NET cluster membership of this node.</summary>
public sealed record ClusterConfig(string Hostname, int Port, ValueList<string> SeedNodes, ValueList<string> Roles)
{
    public static readonly ClusterConfig Default = new("127.0.0.1", 0, ValueList<string>.Empty, ValueList<string>.Empty);

    /// <summary>Port 0: a single embedded node that joins itself; no other node can reach it.</summary>
    public bool IsSingleNode => Port == 0;
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sfu.Service.Configuration;

/// <summary>
/// Writes an <see cref="IPAddress"/> as its text. Without it System.Text.Json walks the object's
/// properties, and <see cref="IPAddress.ScopeId"/> throws for IPv4, so a config dump would fail.
/// </summary>
public sealed class IpAddressJsonConverter : JsonConverter<IPAddress>
{
    public override IPAddress? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { } text ? IPAddress.Parse(text) : null;

    public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

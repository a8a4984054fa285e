using Sfu.Service;
using Sfu.Service.Configuration;

try
{
    var app = SfuApplication.Build(args);
    await app.RunAsync();
    return 0;
}
catch (ConfigException e)
{
    // One clear line naming the file, key and reason; no stack trace for an operator's typo.
    Console.Error.WriteLine($"sfu: configuration error: {e.Message}");
    return 2;
}

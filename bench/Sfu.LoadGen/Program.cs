using Sfu.LoadGen;

LoadGenOptions options;
try
{
    options = LoadGenOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine($"sfu-loadgen: {e.Message}");
    Console.Error.WriteLine(LoadGenOptions.Usage);
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
var command = "dotnet run -c Release --project bench/Sfu.LoadGen -- " + string.Join(' ', args);
try
{
    var report = await LoadRun.RunAsync(options, command, m => Console.Error.WriteLine($"[loadgen] {m}"), cts.Token);
    Console.WriteLine(report.ToTable());
    if (options.JsonPath is { } path)
    {
        await File.WriteAllTextAsync(path, report.ToJson());
        Console.Error.WriteLine($"[loadgen] wrote {path}");
    }
    return report.SubscribersWithMedia == report.Rooms * report.SubscribersPerRoom ? 0 : 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("sfu-loadgen: cancelled");
    return 130;
}

using System.CommandLine;
using System.Runtime.InteropServices;
using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;

KeaGitOps.Core.PhaseTimer.SinceProcessStart("runtime start");
var root = CliCommands.Create();

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"keagitops: {error.Message}");
    }

    Console.Error.WriteLine("Run 'keagitops --help' (or 'keagitops COMMAND --help') for usage.");
    return ExitCodes.UsageError;
}

// Other commands stop on SIGINT or SIGTERM as any program does (their token is cancelled, then the process
// ends). A deploy never lets a signal end the process: it stops before it replaces a server's live config,
// and a server it already replaced is finished (or rolled back) and verified first, then the lock is
// released and the summary printed. So a deploy is never killed on a timer after a signal either.
// drill failover likewise: a signal ends its waiting, and the server it stopped is restarted before it exits.
var exitCode = parse.CommandResult.Command.Name is "deploy" or "failover" ? await InvokeDeferringSignalsAsync(parse) : await parse.InvokeAsync();
KeaGitOps.Core.PhaseTimer.SinceProcessStart("until exit");
KeaGitOps.Core.PhaseTimer.Report(Console.Error);
return exitCode;

static async Task<int> InvokeDeferringSignalsAsync(ParseResult parse)
{
    using var stop = new CancellationTokenSource();
    void Stop(PosixSignalContext signal)
    {
        signal.Cancel = true;
        if (!stop.IsCancellationRequested)
        {
            Console.Error.WriteLine(parse.CommandResult.Command.Name == "failover"
                ? $"keagitops: {signal.Signal} received: ending the drill (a server it stopped is restarted and checked first)"
                : $"keagitops: {signal.Signal} received: stopping at the next safe point (a server whose config was already replaced is finished or rolled back first)");
            stop.Cancel();
        }
    }

    using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
}

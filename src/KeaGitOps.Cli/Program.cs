using System.CommandLine;
using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;

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

// Ctrl-C cancels the commands' token; deploy finishes (or rolls back) a server whose live config it has
// already replaced, so the process must never be killed on a timer after Ctrl-C.
var exitCode = parse.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
KeaGitOps.Core.PhaseTimer.Report(Console.Error);
return exitCode;

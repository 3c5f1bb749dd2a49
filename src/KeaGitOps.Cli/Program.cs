using System.CommandLine;
using KeaGitOps.Cli;
using KeaGitOps.Cli.Commands;

var root = new RootCommand("keagitops: manage a pair of ISC Kea DHCPv4 servers from one YAML inventory in git. A usage error (unknown command or option, bad value) exits 64.")
{
    new ValidateCommand().Build(),
    new RenderCommand().Build(),
    new DiffCommand().Build(),
    new DeployCommand().Build(),
    RulesCommand.Build(),
};

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

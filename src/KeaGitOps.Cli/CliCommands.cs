using System.CommandLine;
using KeaGitOps.Cli.Commands;

namespace KeaGitOps.Cli;

/// <summary>The keagitops command tree, in one place for Program and for the tests that check scripts call real commands and flags.</summary>
public static class CliCommands
{
    public static RootCommand Create() => new RootCommand("keagitops: manage a pair of ISC Kea DHCPv4 servers from one YAML inventory in git. A usage error (unknown command or option, bad value) exits 64.")
    {
        new ValidateCommand().Build(),
        new RenderCommand().Build(),
        new DiffCommand().Build(),
        new DeployCommand().Build(),
        new HistoryCommand().Build(),
        new ImportCommand().Build(),
        new StatusCommand().Build(),
        new DrillCommand().Build(),
        RulesCommand.Build(),
    };
}

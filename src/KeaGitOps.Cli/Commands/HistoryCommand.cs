using System.CommandLine;
using System.Text.Json;
using KeaGitOps.Cli.Output;
using KeaGitOps.Git;

namespace KeaGitOps.Cli.Commands;

/// <summary><c>keagitops history</c>: which commit each server last got from keagitops deploy (tags deployed/SERVER).</summary>
public sealed class HistoryCommand
{
    private readonly Option<DirectoryInfo> _inventory = CommonOptions.Inventory();
    private readonly Option<OutputFormat> _format = CommonOptions.Format();

    public Command Build()
    {
        var command = new Command("history", "Show which commit each server runs, as recorded by deploy in the tags deployed/SERVER. Exit 0; 1 outside git.")
        {
            _inventory, _format,
        };
        command.SetAction(parse => Run(parse.GetValue(_inventory)!, parse.GetValue(_format), Console.Out));
        return command;
    }

    public static int Run(DirectoryInfo inventory, OutputFormat format, TextWriter console)
    {
        IReadOnlyList<DeploymentRecord> records;
        try
        {
            records = DeploymentRecords.Read(inventory.FullName);
        }
        catch (GitRevisionException e)
        {
            console.WriteLine($"keagitops: {e.Message}");
            return ExitCodes.Failure;
        }

        if (format == OutputFormat.Json)
        {
            console.WriteLine(JsonSerializer.Serialize(records, DiagnosticWriter.JsonOptions));
        }
        else if (records.Count == 0)
        {
            console.WriteLine("no deployment recorded yet (keagitops deploy records one per server as the tag deployed/SERVER)");
        }
        else
        {
            foreach (var r in records)
            {
                console.WriteLine($"{r.Server}: {r.Commit[..12]} {r.CommitDate:yyyy-MM-dd HH:mm} {r.Summary}");
            }
        }

        return ExitCodes.Success;
    }
}

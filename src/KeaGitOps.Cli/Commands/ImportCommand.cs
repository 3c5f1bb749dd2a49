using System.CommandLine;
using System.Text.RegularExpressions;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Import;

namespace KeaGitOps.Cli.Commands;

/// <summary>
/// <c>keagitops import</c>: read each server's live kea-dhcp4.conf (files for now), reconcile the pair and
/// write a first inventory plus a report of every conflict and of everything not imported.
/// </summary>
public sealed partial class ImportCommand
{
    private readonly Option<string[]> _from = new("--from")
    {
        Description = "A server's name and its kea-dhcp4.conf, as NAME=PATH; once per server. The first is preferred unless --prefer says otherwise.",
        HelpName = "NAME=PATH",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<DirectoryInfo> _out = new("--out", "-o")
    {
        Description = "Folder to write the inventory into (site.yaml, reservations/, import-report.md); must be empty or absent.",
        HelpName = "DIR",
        Required = true,
    };

    private readonly Option<string?> _prefer = new("--prefer")
    {
        Description = "The server whose version wins each conflict (default: the first --from).",
        HelpName = "NAME",
    };

    private readonly Option<bool> _strict = new("--strict")
    {
        Description = "Treat every conflict as an error: print the report, write nothing, exit 1.",
    };

    public Command Build()
    {
        var command = new Command("import", "Import the servers' kea-dhcp4.conf files into a new inventory, reconciling the two: conflicts go to the --prefer server and are marked '# import: conflict' and listed in OUT/import-report.md. Exit 0: written; 1: unreadable config, or conflicts with --strict (nothing written); 64: bad --from.")
        {
            _from, _out, _prefer, _strict,
        };
        command.SetAction(parse => Run(parse.GetValue(_from)!, parse.GetValue(_out)!, parse.GetValue(_prefer), parse.GetValue(_strict), Console.Out));
        return command;
    }

    public static int Run(IReadOnlyList<string> from, DirectoryInfo output, string? prefer, bool strict, TextWriter console)
    {
        var servers = new List<(string Name, string Path)>();
        foreach (var item in from)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? item[..equals] : string.Empty;
            if (!ServerName().IsMatch(name) || equals == item.Length - 1)
            {
                console.WriteLine($"keagitops import: --from {item}: expected NAME=PATH, NAME a server name (letters, digits, . _ -)");
                return ExitCodes.UsageError;
            }

            if (servers.Exists(s => s.Name == name))
            {
                console.WriteLine($"keagitops import: --from {name} given twice");
                return ExitCodes.UsageError;
            }

            servers.Add((name, item[(equals + 1)..]));
        }

        if (prefer is not null && !servers.Exists(s => s.Name == prefer))
        {
            console.WriteLine($"keagitops import: --prefer {prefer}: not one of the --from servers ({string.Join(", ", servers.Select(s => s.Name))})");
            return ExitCodes.UsageError;
        }

        if (output.Exists && output.EnumerateFileSystemInfos().Any())
        {
            console.WriteLine($"keagitops import: {DisplayPath.Of(output.FullName)} is not empty; import writes a new inventory into an empty folder");
            return ExitCodes.Failure;
        }

        var parsed = new List<KeaJsonResult>();
        try
        {
            var sources = new List<ImportSource>();
            foreach (var (name, path) in servers)
            {
                var result = KeaJson.Load(path);
                parsed.Add(result);
                if (!result.Succeeded)
                {
                    console.WriteLine($"{result.Error}");
                    console.WriteLine($"keagitops import: cannot read {name}'s config: nothing written");
                    return ExitCodes.Failure;
                }

                sources.Add(new ImportSource(name, DisplayPath.Of(Path.GetFullPath(path)), result.Document.RootElement));
            }

            var (plan, files) = KeaImport.Run(sources, prefer);
            console.Write(files.Report);
            if (strict && plan.HasConflicts)
            {
                console.WriteLine();
                console.WriteLine($"keagitops import: --strict: {plan.Findings.Count} conflict(s): nothing written");
                return ExitCodes.Failure;
            }

            foreach (var (relative, text) in files.Files)
            {
                var path = Path.Combine(output.FullName, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                AtomicFile.Write(path, text);
            }

            console.WriteLine();
            console.WriteLine($"keagitops import: wrote {files.Files.Count} file(s) to {DisplayPath.Of(output.FullName)}; next: review {ImportOutput.ReportFile} and the '# import:' comments, then `keagitops validate --inventory {DisplayPath.Of(output.FullName)}`");
            return ExitCodes.Success;
        }
        finally
        {
            foreach (var result in parsed)
            {
                result.Dispose();
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex ServerName();
}

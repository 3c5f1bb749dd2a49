using System.CommandLine;
using System.Text.Json;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Remote;
using KeaGitOps.Remote.Deploy;

namespace KeaGitOps.Cli.Commands;

/// <summary><c>keagitops diff</c>: rendered vs live, structurally by JSON path; exit 0 no changes, 2 changes, 1 error.</summary>
public sealed class DiffCommand
{
    private readonly Option<DirectoryInfo> _inventory = CommonOptions.Inventory();
    private readonly Option<OutputFormat> _format = CommonOptions.Format();
    private readonly Option<DirectoryInfo?> _templates = CommonOptions.Templates();
    private readonly Option<string?> _server = CommonOptions.Server();
    private readonly Option<bool> _unified = new("--unified", "-u") { Description = "Also print a unified text diff of each changed file (live, canonicalised, against rendered)." };

    public Command Build()
    {
        var command = new Command("diff", "Compare each server's live Kea configs (read over SSH) with the rendered ones, by JSON path. Exit 0: no changes; 2: changes; 1: error.")
        {
            _inventory, _format, _templates, _server, _unified,
        };
        command.SetAction((parse, cancellation) => RunAsync(parse.GetValue(_inventory)!, parse.GetValue(_format), parse.GetValue(_templates), parse.GetValue(_server), parse.GetValue(_unified), Console.Out, cancellation));
        return command;
    }

    public static async Task<int> RunAsync(DirectoryInfo inventory, OutputFormat format, DirectoryInfo? templates, string? server, bool unified, TextWriter console, CancellationToken cancellation)
    {
        var session = RemoteSession.Open(inventory, templates, server, new DiagnosticWriter(console, format, CommonOptions.UseColor()), console);
        if (session is null)
        {
            return ExitCodes.Failure;
        }

        var results = new List<object>();
        var changes = 0;
        var failed = false;
        foreach (var target in session.Selected)
        {
            try
            {
                await using var host = await session.ConnectAsync(target, cancellation).ConfigureAwait(false);
                foreach (var file in target.Rendered.Files)
                {
                    var path = target.LivePath(file.Name);
                    var live = await host.ReadFileAsync(path, cancellation).ConfigureAwait(false);
                    var differences = live is null ? null : LiveConfig.Differences(live, file.Text);
                    var status = live is null ? "missing" : differences is null ? "unreadable" : differences.Count == 0 ? "unchanged" : "changed";
                    changes += status == "unchanged" ? 0 : 1;
                    results.Add(new { server = target.Name, file = path, status, changes = differences?.Select(c => new { path = c.Path, kind = c.Kind.ToString().ToLowerInvariant(), before = c.Before, after = c.After }) });
                    if (format != OutputFormat.Json)
                    {
                        PrintText(console, target.Name, path, status, differences, live, file, unified);
                    }
                }
            }
            catch (RemoteStepException e)
            {
                failed = true;
                results.Add(new { server = target.Name, error = e.Message });
                if (format != OutputFormat.Json)
                {
                    console.WriteLine($"{target.Name}: connect: {e.Message}");
                }
            }
        }

        if (format == OutputFormat.Json)
        {
            console.WriteLine(JsonSerializer.Serialize(new { servers = results, changedFiles = changes, failed }, DiagnosticWriter.JsonOptions));
        }

        return failed ? ExitCodes.Failure : changes > 0 ? ExitCodes.Changes : ExitCodes.Success;
    }

    private static void PrintText(TextWriter console, string server, string path, string status, List<JsonChange>? differences, byte[]? live, RenderedFile rendered, bool unified)
    {
        switch (status)
        {
            case "missing":
                console.WriteLine($"{server}: {path}: missing on the server (deploy would create it)");
                return;
            case "unreadable":
                console.WriteLine($"{server}: {path}: the live file is not valid Kea JSON (deploy would replace it)");
                return;
            case "unchanged":
                console.WriteLine($"{server}: {path}: no changes");
                return;
        }

        console.WriteLine($"{server}: {path}: {differences!.Count} change(s)");
        foreach (var change in differences)
        {
            console.WriteLine(change.Kind switch
            {
                ChangeKind.Added => $"  + {change.Path}: {change.After}",
                ChangeKind.Removed => $"  - {change.Path}: {change.Before}",
                _ => $"  ~ {change.Path}: {change.Before} -> {change.After}",
            });
        }

        if (unified && live is not null)
        {
            using var parsed = LiveConfig.Parse(live);
            if (parsed.Succeeded)
            {
                console.Write(UnifiedDiff.Render(path + " (live)", CanonicalJson.Write(parsed.Document.RootElement), path + " (rendered)", rendered.Text));
            }
        }
    }
}

using System.CommandLine;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Git;

namespace KeaGitOps.Cli.Commands;

/// <summary><c>keagitops render</c>: validate, then write OUT/SERVER/kea-dhcp4.conf and kea-ctrl-agent.conf.</summary>
public sealed class RenderCommand
{
    public const string DefaultOut = "rendered";
    public const string DefaultTemplates = "templates";

    private readonly Option<DirectoryInfo> _inventory = CommonOptions.Inventory();
    private readonly Option<OutputFormat> _format = CommonOptions.Format();
    private readonly Option<DirectoryInfo> _out = new("--out", "-o")
    {
        Description = "Folder to write one sub-folder per server into.",
        DefaultValueFactory = _ => new DirectoryInfo(DefaultOut),
        HelpName = "DIR",
    };

    private readonly Option<DirectoryInfo?> _templates = CommonOptions.Templates();

    public Command Build()
    {
        var command = new Command("render", "Validate the inventory, then render each server's Kea configs as canonical JSON into OUT/SERVER/. Exit 0: rendered; 1: errors (nothing written).")
        {
            _inventory,
            _format,
            _out,
            _templates,
        };
        command.SetAction(parse => Run(parse.GetValue(_inventory)!, parse.GetValue(_format), parse.GetValue(_out)!, parse.GetValue(_templates), Console.Out));
        return command;
    }

    public static int Run(DirectoryInfo inventory, OutputFormat format, DirectoryInfo output, DirectoryInfo? templates, TextWriter console)
    {
        var result = WorkingTree.Render(inventory, templates);
        var writer = new DiagnosticWriter(console, format, CommonOptions.UseColor());
        if (!result.Succeeded)
        {
            writer.Write(result.Diagnostics, $"{DiagnosticWriter.Summary(result.Diagnostics)}: nothing rendered");
            return ExitCodes.Failure;
        }

        var files = result.Servers!.SelectMany(server => server.Files.Select(file => (Path: Path.Combine(output.FullName, server.Name, file.Name), File: file))).ToList();
        foreach (var folder in result.Servers!.Select(server => Path.Combine(output.FullName, server.Name)))
        {
            Directory.CreateDirectory(folder);
        }

        Parallel.ForEach(files, f => AtomicFile.Write(f.Path, f.File.Utf8));
        var written = files.Select(f => DisplayPath.Of(f.Path)).ToList();

        var summary = $"{DiagnosticWriter.Summary(result.Diagnostics)}; rendered {result.Servers!.Count} server(s):" + Environment.NewLine + string.Join(Environment.NewLine, written.Select(w => "  " + w));
        writer.Write(result.Diagnostics, summary);
        return ExitCodes.Success;
    }

}

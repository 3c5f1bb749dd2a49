using System.CommandLine;
using KeaGitOps.Cli.Output;

namespace KeaGitOps.Cli.Commands;

/// <summary>Options every command shares, defined once so their names, defaults and help never drift.</summary>
public static class CommonOptions
{
    public static Option<DirectoryInfo> Inventory() => new("--inventory", "-i")
    {
        Description = "Inventory folder: its *.yaml files plus the reservation files they name.",
        DefaultValueFactory = _ => new DirectoryInfo("inventory"),
        HelpName = "DIR",
    };

    public static Option<OutputFormat> Format() => new("--format", "-f")
    {
        Description = "How diagnostics are printed: text (file:line:col: error CODE: message), json, github (workflow annotations), or markdown (diff --base: a pull-request comment).",
        DefaultValueFactory = _ => OutputFormat.Text,
        HelpName = "text|json|github|markdown",
    };

    public static Option<DirectoryInfo?> Templates() => new("--templates", "-t")
    {
        Description = "Scriban templates folder (default: ./templates/ when it exists, else the templates built into keagitops).",
        HelpName = "DIR",
    };

    /// <summary>The templates folder in force: the one given, else ./templates when it exists, else null (the built-in templates).</summary>
    public static string? TemplatesFolder(DirectoryInfo? given) =>
        given?.FullName ?? (Directory.Exists(RenderCommand.DefaultTemplates) ? Path.GetFullPath(RenderCommand.DefaultTemplates) : null);

    public static Option<string?> Server() => new("--server", "-s")
    {
        Description = "Only this server (its name in the inventory).",
        HelpName = "NAME",
    };

    /// <summary>Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org).</summary>
    public static bool UseColor() =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}

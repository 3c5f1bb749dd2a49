using System.Text.RegularExpressions;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Sources;
using Scriban;
using Scriban.Runtime;

namespace KeaGitOps.Core.Rendering;

/// <summary>One Kea file and the template that renders it.</summary>
public sealed record TemplateFile(string OutputName, string DisplayPath, string Text, Template Parsed);

/// <summary>
/// The Scriban templates, parsed once per run (never per server or per reservation). They come from a
/// templates folder when one is given, else from the copies built into the binary.
/// </summary>
public sealed partial class TemplateSet
{
    public const string Dhcp4 = "kea-dhcp4.conf";
    public const string ControlAgent = "kea-ctrl-agent.conf";
    private static readonly string[] OutputNames = [Dhcp4, ControlAgent];

    private TemplateSet(IReadOnlyList<TemplateFile> files) => Files = files;

    public IReadOnlyList<TemplateFile> Files { get; }

    /// <param name="folder">the templates folder, or null for the templates built into the binary.</param>
    public static TemplateSet? Load(string? folder, DiagnosticBag diagnostics) =>
        folder is null ? Parse(OutputNames.Select(name => ((string?)BuiltIn(name), $"<built-in>/{name}.scriban")), diagnostics) : Load(new DiskFileSource(folder), diagnostics);

    /// <summary>The templates at the root of <paramref name="source"/>, one per output file, each UTF-8.</summary>
    public static TemplateSet? Load(IFileSource source, DiagnosticBag diagnostics) =>
        Parse(OutputNames.Select(name => Read(source, name + ".scriban", diagnostics)), diagnostics);

    private static TemplateSet? Parse(IEnumerable<(string? Text, string Display)> texts, DiagnosticBag diagnostics)
    {
        var files = new List<TemplateFile>();
        foreach (var ((text, display), name) in texts.Zip(OutputNames))
        {
            if (text is null)
            {
                continue;
            }

            var parsed = Template.Parse(text, display);
            if (parsed.HasErrors)
            {
                foreach (var message in parsed.Messages)
                {
                    var at = new SourceLocation(display, message.Span.Start.Line + 1, message.Span.Start.Column + 1);
                    diagnostics.Add(DiagnosticCatalogue.TemplateSyntax(at, message.Message));
                }

                continue;
            }

            files.Add(new TemplateFile(name, display, text, parsed));
        }

        return diagnostics.HasErrors ? null : new TemplateSet(files);
    }

    public static string BuiltIn(string outputName)
    {
        using var stream = typeof(TemplateSet).Assembly.GetManifestResourceStream($"templates/{outputName}.scriban")
            ?? throw new InvalidOperationException($"template {outputName}.scriban is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static (string? Text, string Display) Read(IFileSource source, string path, DiagnosticBag diagnostics)
    {
        var display = source.Display(path);
        try
        {
            return (SourceText.Decode(source.ReadAllBytes(path), display, diagnostics), display);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalogue.TemplateUnreadable(SourceLocation.StartOf(display), e.Message));
            return (null, display);
        }
    }

    /// <summary>Runs a template on a model. Scriban's own runtime errors become diagnostics with the template line.</summary>
    public static string? Run(TemplateFile template, RenderModel model, DiagnosticBag diagnostics)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        var context = new TemplateContext { StrictVariables = true, EnableRelaxedMemberAccess = false, LimitToString = 0, LoopLimit = 0, RecursiveLimit = 64, MemberRenamer = StandardMemberRenamer.Default };
        context.PushGlobal(globals);
        try
        {
            return template.Parsed.Render(context);
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            var at = new SourceLocation(template.DisplayPath, e.Span.Start.Line + 1, e.Span.Start.Column + 1);
            diagnostics.Add(DiagnosticCatalogue.TemplateRuntime(at, e.OriginalMessage));
            return null;
        }
    }

    /// <summary>
    /// Finds the template line that produced a line of output: the line whose literal text (with every
    /// {{ … }} as a wildcard) matches it. Good enough to point a template author at the bug.
    /// </summary>
    public static int GuessTemplateLine(TemplateFile template, string outputLine)
    {
        var wanted = outputLine.Trim();
        var lines = template.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var literal = lines[i].Trim();
            if (literal.Length == 0 || literal.StartsWith("{{~##", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = TagPattern().Split(literal).Select(part => part.Trim()).ToList();
            if (parts.All(part => part.Length == 0))
            {
                continue; // a line of tags only matches anything
            }

            var pattern = "^" + string.Join(".*", parts.Select(part => Regex.Escape(part))) + "$";
            if (Regex.IsMatch(wanted, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(50)))
            {
                return i + 1;
            }
        }

        return 1;
    }

    [GeneratedRegex(@"\{\{.*?\}\}")]
    private static partial Regex TagPattern();
}

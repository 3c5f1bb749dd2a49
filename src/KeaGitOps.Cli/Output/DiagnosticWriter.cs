using System.Text.Encodings.Web;
using System.Text.Json;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Cli.Output;

public enum OutputFormat
{
    Text,
    Json,
    Github,

    /// <summary>For pull-request comments (diff --base); diagnostics print as a Markdown list.</summary>
    Markdown,
}

/// <summary>Prints diagnostics as text (file:line:col: error CODE: message), JSON, or GitHub workflow annotations.</summary>
public sealed class DiagnosticWriter(TextWriter output, OutputFormat format, bool color)
{
    internal static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Write(IReadOnlyList<Diagnostic> diagnostics, string summary)
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(diagnostics);
                break;
            case OutputFormat.Markdown:
                foreach (var d in diagnostics)
                {
                    output.WriteLine($"- `{d.Location}` **{(d.IsError ? "error" : "warning")}** {d.Code}: {d.Message}");
                }

                output.WriteLine();
                output.WriteLine(summary);
                break;
            case OutputFormat.Github:
                foreach (var d in diagnostics)
                {
                    output.WriteLine(Annotation(d));
                }

                output.WriteLine(summary);
                break;
            default:
                foreach (var d in diagnostics)
                {
                    var level = d.IsError ? Paint("error", "31") : Paint("warning", "33");
                    output.WriteLine($"{d.Location}: {level} {d.Code}: {d.Message}");
                }

                output.WriteLine(summary);
                break;
        }
    }

    public static string Summary(IReadOnlyList<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Count(d => d.IsError);
        var warnings = diagnostics.Count - errors;
        return $"{errors} error{(errors == 1 ? string.Empty : "s")}, {warnings} warning{(warnings == 1 ? string.Empty : "s")}";
    }

    private string Paint(string text, string ansi) => color ? $"\u001b[{ansi}m{text}\u001b[0m" : text;

    /// <summary>GitHub's workflow command syntax; values are escaped as the runner expects.</summary>
    private static string Annotation(Diagnostic d)
    {
        var level = d.IsError ? "error" : "warning";
        var properties = d.Location.IsNone
            ? $"title={EscapeProperty(d.Code)}"
            : $"file={EscapeProperty(d.Location.File)},line={d.Location.Line},col={d.Location.Column},title={EscapeProperty(d.Code)}";
        return $"::{level} {properties}::{EscapeData(d.Message)}";
    }

    private static string EscapeData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string EscapeProperty(string value) =>
        EscapeData(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);

    private void WriteJson(IReadOnlyList<Diagnostic> diagnostics)
    {
        var items = diagnostics.Select(d => new
        {
            code = d.Code,
            severity = d.IsError ? "error" : "warning",
            file = d.Location.IsNone ? null : d.Location.File,
            line = d.Location.Line,
            column = d.Location.Column,
            message = d.Message,
            related = d.Related.Select(r => new { file = r.File, line = r.Line, column = r.Column }),
        });
        var json = JsonSerializer.Serialize(
            new { diagnostics = items, errors = diagnostics.Count(d => d.IsError), warnings = diagnostics.Count(d => !d.IsError) }, JsonOptions);
        output.WriteLine(json);
    }
}

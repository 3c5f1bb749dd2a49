using System.Text.Json;
using KeaGitOps.Core.Diffing;

namespace KeaGitOps.Cli.Output;

/// <summary>Prints a pull-request review diff as text, JSON, or a Markdown comment (collapsible per server).</summary>
public static class ReviewWriter
{
    private const int MarkdownRowsPerFile = 200;

    public static void Write(TextWriter output, OutputFormat format, ReviewDiff review, string baseName)
    {
        switch (format)
        {
            case OutputFormat.Json:
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    @base = baseName,
                    changed = review.HasChanges,
                    reservations = review.Reservations,
                    sections = review.Sections,
                    files = review.Files.Select(f => new { server = f.Server, file = f.File, changes = f.Changes.Select(c => new { path = c.Path, kind = c.Kind.ToString().ToLowerInvariant(), before = c.Before, after = c.After }) }),
                }, DiagnosticWriter.JsonOptions));
                break;
            case OutputFormat.Markdown:
                WriteMarkdown(output, review, baseName);
                break;
            default:
                output.WriteLine($"changes against {baseName}: {Summary(review)}");
                foreach (var r in review.Reservations)
                {
                    output.WriteLine($"  reservation {r.Kind}: subnet {r.SubnetId} {r.Identifier}: {r.Before ?? "-"} -> {r.After ?? "-"}");
                }

                foreach (var file in review.Files)
                {
                    output.WriteLine($"{file.Server}: {file.File}: {(file.Changes.Count == 0 ? "no changes" : $"{file.Changes.Count} change(s)")}");
                    foreach (var change in file.Changes)
                    {
                        output.WriteLine($"  {Symbol(change.Kind)} {change.Path}: {Values(change)}");
                    }
                }

                break;
        }
    }

    private static void WriteMarkdown(TextWriter output, ReviewDiff review, string baseName)
    {
        output.WriteLine($"### keagitops: rendered Kea configs against `{baseName}`");
        output.WriteLine();
        if (!review.HasChanges)
        {
            output.WriteLine("No changes to any server's rendered configs.");
            return;
        }

        output.WriteLine(Summary(review));
        output.WriteLine();
        if (review.Reservations.Count > 0)
        {
            output.WriteLine("| reservation | subnet | identifier | before | after |");
            output.WriteLine("|---|---|---|---|---|");
            foreach (var r in review.Reservations)
            {
                output.WriteLine($"| {r.Kind} | {r.SubnetId} | `{r.Identifier}` | {Cell(r.Before)} | {Cell(r.After)} |");
            }

            output.WriteLine();
        }

        foreach (var file in review.Files.Where(f => f.Changes.Count > 0))
        {
            output.WriteLine($"<details><summary><b>{file.Server}</b>: {file.File}: {file.Changes.Count} change(s)</summary>");
            output.WriteLine();
            output.WriteLine("| | path | before | after |");
            output.WriteLine("|---|---|---|---|");
            foreach (var change in file.Changes.Take(MarkdownRowsPerFile))
            {
                output.WriteLine($"| {Symbol(change.Kind)} | `{change.Path}` | {Cell(change.Before)} | {Cell(change.After)} |");
            }

            if (file.Changes.Count > MarkdownRowsPerFile)
            {
                output.WriteLine($"| | … {file.Changes.Count - MarkdownRowsPerFile} more | | |");
            }

            output.WriteLine();
            output.WriteLine("</details>");
            output.WriteLine();
        }
    }

    private static string Summary(ReviewDiff review)
    {
        if (!review.HasChanges)
        {
            return "no changes";
        }

        var parts = review.Reservations.GroupBy(r => r.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} reservation(s) {g.Key}").ToList();
        if (review.Sections.Count > 0)
        {
            parts.Add("changed: " + string.Join(", ", review.Sections));
        }

        var servers = review.Files.Where(f => f.Changes.Count > 0).Select(f => f.Server).Distinct().Count();
        parts.Add($"{servers} server(s) affected");
        return string.Join("; ", parts);
    }

    private static string Symbol(ChangeKind kind) => kind switch { ChangeKind.Added => "+", ChangeKind.Removed => "-", _ => "~" };

    private static string Values(JsonChange change) => change.Kind switch
    {
        ChangeKind.Added => change.After!,
        ChangeKind.Removed => change.Before!,
        _ => $"{change.Before} -> {change.After}",
    };

    /// <summary>A value in a Markdown table cell: one line, pipes escaped, long values cut.</summary>
    private static string Cell(string? value)
    {
        if (value is null)
        {
            return "";
        }

        var flat = value.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal);
        return "`" + (flat.Length > 120 ? flat[..117] + "…" : flat).Replace("`", "'", StringComparison.Ordinal) + "`";
    }
}

using System.Globalization;
using System.Text;

namespace KeaGitOps.Core.Import;

/// <summary>
/// import-report.md: where each server's config came from, every conflict by kind, what was not imported
/// and what keagitops will render differently (each an <see cref="ImportNote"/>, written once here), and what
/// the writer assumed. The check after writing (<see cref="ImportCheck"/>) is appended by the caller.
/// </summary>
public static class ImportReport
{
    public static string Write(ImportPlan plan, IReadOnlyDictionary<string, string> sources, IReadOnlyList<string> assumptions)
    {
        var text = new StringBuilder();
        text.Append("# keagitops import report\n\n");
        foreach (var name in plan.ServerNames)
        {
            text.Append("- ").Append(name).Append(": ").Append(sources.TryGetValue(name, out var source) ? source : "?").Append(name == plan.Preferred ? " (preferred: its version wins every conflict)" : string.Empty).Append('\n');
        }

        text.Append('\n').Append(plan.Findings.Count.ToString(CultureInfo.InvariantCulture)).Append(plan.Findings.Count == 1 ? " conflict" : " conflicts")
            .Append(plan.Findings.Count == 0 ? ": the servers agree.\n" : "; each is marked `# import: conflict` in the written inventory where it has an entry.\n");
        Section(text, "Identity problems", plan.Findings, FindingCategory.Identity);
        Section(text, "Reservations only on one server", plan.Findings, FindingCategory.ReservationOnOneServer);
        Section(text, "Same identifier, different addresses", plan.Findings, FindingCategory.IdentifierWithDifferentAddresses);
        Section(text, "Same address, different identifiers", plan.Findings, FindingCategory.AddressForDifferentIdentifiers);
        Section(text, "Different options, timers, subnets and settings", plan.Findings, FindingCategory.DifferentSettings);
        Section(text, "Kea version", plan.Findings, FindingCategory.KeaVersion);

        text.Append("\n## Not imported (by JSON path)\n\n");
        PerServer(text, plan.NotImported, "nothing: every key was mapped");
        text.Append("\n## What keagitops will render differently\n\n");
        PerServer(text, plan.RenderedDifferently, "nothing");
        text.Append("\n## Assumed\n\n");
        text.Append(assumptions.Count == 0 ? "- nothing\n" : string.Concat(assumptions.Select(a => $"- {a}\n")));
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<ImportFinding> findings, FindingCategory category)
    {
        var items = findings.Where(f => f.Category == category).ToList();
        text.Append("\n## ").Append(title).Append(" (").Append(items.Count.ToString(CultureInfo.InvariantCulture)).Append(")\n\n");
        text.Append(items.Count == 0 ? "- none\n" : string.Concat(items.Select(i => $"- {InventoryWriter.CommentText(i.Message)}\n")));
    }

    private static void PerServer(StringBuilder text, IReadOnlyDictionary<string, IReadOnlyList<ImportNote>> items, string none)
    {
        foreach (var (server, list) in items)
        {
            text.Append("### ").Append(server).Append("\n\n");
            text.Append(list.Count == 0 ? $"- {none}\n" : string.Concat(list.Select(i => $"- {CodeSpan(i.ToString())}\n")));
            text.Append('\n');
        }
    }

    /// <summary>
    /// <paramref name="text"/> as one Markdown code span on one line: fenced by one backtick more than its
    /// longest run of backticks (CommonMark), padded when it starts or ends with one.
    /// </summary>
    internal static string CodeSpan(string text)
    {
        var line = InventoryWriter.CommentText(text);
        var longest = 0;
        for (var i = 0; i < line.Length;)
        {
            var run = 0;
            while (i < line.Length && line[i] == '`')
            {
                run++;
                i++;
            }

            longest = Math.Max(longest, run);
            i += run == 0 ? 1 : 0;
        }

        var fence = new string('`', longest + 1);
        var pad = line.StartsWith('`') || line.EndsWith('`') ? " " : string.Empty;
        return fence + pad + line + pad + fence;
    }

}

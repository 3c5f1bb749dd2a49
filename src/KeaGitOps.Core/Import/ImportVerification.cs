using System.Globalization;
using System.Text;
using System.Text.Json;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Sources;

namespace KeaGitOps.Core.Import;

/// <summary>What import found when it checked the inventory it wrote: validation, then the round trip.</summary>
/// <param name="Errors">validation errors left for the user (the inventory does not render until they are fixed).</param>
/// <param name="RoundTrip">per server, what rendering the inventory does not give back; null when it could not render.</param>
public sealed record ImportCheck(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, IReadOnlyDictionary<string, IReadOnlyList<string>>? RoundTrip)
{
    public const string Heading = "## Checked after writing";

    /// <summary>The report's last section: validation findings, then the round trip per server.</summary>
    public string ToMarkdown(string preferred)
    {
        var text = new StringBuilder();
        text.Append('\n').Append(Heading).Append("\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- `keagitops validate`: {Errors.Count} error(s), {Warnings.Count} warning(s)");
        text.Append(Errors.Count > 0 ? "; each error names the rule the written inventory breaks: fix it there, then validate again\n" : "\n");
        foreach (var finding in Errors.Concat(Warnings))
        {
            text.Append("  - ").Append(ImportReport.CodeSpan(finding)).Append('\n');
        }

        if (RoundTrip is null)
        {
            text.Append("- Round trip: not checked, the inventory does not render until the errors above are fixed\n");
            return text.ToString();
        }

        foreach (var (server, differences) in RoundTrip)
        {
            if (differences.Count == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"- Round trip: rendering this inventory gives back {server}'s config: every value, apart from what is listed under \"Not imported\" and \"What keagitops will render differently\", and no subnet, reservation or option it did not have\n");
                continue;
            }

            var why = server == preferred ? "keagitops cannot express these" : $"where {preferred}'s version won a conflict above, or keagitops cannot express it";
            text.Append(CultureInfo.InvariantCulture, $"- Round trip: {server}'s config comes back with {differences.Count} difference(s) ({why}):\n");
            foreach (var difference in differences)
            {
                text.Append("  - ").Append(ImportReport.CodeSpan(difference)).Append('\n');
            }
        }

        return text.ToString();
    }
}

public static class ImportVerification
{
    /// <summary>
    /// Validates the inventory <paramref name="written"/> (paths shown relative to it) and, when it renders, compares each
    /// server's render with the config it was imported from (<see cref="ImportRoundTrip"/>).
    /// </summary>
    public static ImportCheck Check(IFileSource written, IReadOnlyList<ImportSource> sources, ImportPlan plan)
    {
        var render = RenderPipeline.Default().Run(written, null, () => null);
        var errors = render.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToList();
        var warnings = render.Diagnostics.Where(d => !d.IsError).Select(d => d.ToString()).ToList();
        if (!render.Succeeded)
        {
            return new ImportCheck(errors, warnings, null);
        }

        var roundTrip = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (render.Servers!.FirstOrDefault(s => s.Name == source.Name) is not { } server)
            {
                continue;
            }

            // Each file is excused only by what was reported about that file.
            var reported = plan.NotImported[source.Name].Concat(plan.RenderedDifferently[source.Name]).ToList();
            using var rendered = JsonDocument.Parse(server.File(TemplateSet.Dhcp4).Text);
            var differences = ImportRoundTrip.Differences(source.Root, rendered.RootElement, reported.Where(n => n.File == KeaConfigFile.Dhcp4)).ToList();
            if (source.Agent is { } agent)
            {
                using var renderedAgent = JsonDocument.Parse(server.File(TemplateSet.ControlAgent).Text);
                differences.AddRange(ImportRoundTrip.Differences(agent, renderedAgent.RootElement, reported.Where(n => n.File == KeaConfigFile.ControlAgent)));
            }

            roundTrip[source.Name] = differences;
        }

        return new ImportCheck(errors, warnings, roundTrip);
    }
}

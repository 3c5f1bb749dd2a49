using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Rendering;

/// <summary>One rendered Kea file: canonical JSON text, ready to write or compare.</summary>
public sealed record RenderedFile(string Name, string Text);

public sealed record RenderedServer(string Name, IReadOnlyList<RenderedFile> Files)
{
    public RenderedFile File(string name) => Files.First(f => f.Name == name);
}

/// <summary>
/// Renders every server's Kea files from a validated inventory: template → strict JSON parse →
/// canonical JSON, then checks the pair's invariants on the result (each server's HA identity is its
/// own; the dhcp4 configs differ only in per-server facts). Templates are the user's to edit, so these
/// checks guard the output, not just the code.
/// </summary>
public sealed class InventoryRenderer(TemplateSet templates)
{
    public IReadOnlyList<RenderedServer>? Render(InventoryModel inventory, string inventoryDigest, SourceRevision? revision, DiagnosticBag diagnostics)
    {
        var builder = new RenderModelBuilder(inventory, inventoryDigest, revision);
        var servers = new List<RenderedServer>();
        foreach (var server in inventory.Servers)
        {
            var model = builder.For(server);
            var files = new List<RenderedFile>();
            foreach (var template in templates.Files)
            {
                if (RenderOne(template, model, diagnostics) is { } text)
                {
                    files.Add(new RenderedFile(template.OutputName, text));
                }
            }

            servers.Add(new RenderedServer(server.Name, files));
        }

        if (diagnostics.HasErrors)
        {
            return null;
        }

        RenderInvariants.Check(inventory, servers, templates, diagnostics);
        return diagnostics.HasErrors ? null : servers;
    }

    private static string? RenderOne(TemplateFile template, RenderModel model, DiagnosticBag diagnostics)
    {
        var output = TemplateSet.Run(template, model, diagnostics);
        if (output is null)
        {
            return null;
        }

        try
        {
            using var document = CanonicalJson.Parse(output);
            return CanonicalJson.Write(document.RootElement);
        }
        catch (JsonException e)
        {
            var lineIndex = (int)(e.LineNumber ?? 0);
            var lines = output.Split('\n');
            var outputLine = lineIndex < lines.Length ? lines[lineIndex] : string.Empty;
            var at = new SourceLocation(template.DisplayPath, TemplateSet.GuessTemplateLine(template, outputLine), 1);
            diagnostics.Add(DiagnosticCatalogue.TemplateJson(at, lineIndex + 1, outputLine.Trim(), FirstSentence(e.Message)));
            return null;
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}

using System.Text;
using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Rendering;

/// <summary>One rendered Kea file: canonical JSON, as the UTF-8 bytes to write and as text to compare.</summary>
public sealed class RenderedFile(string name, byte[] utf8)
{
    private string? _text;

    public string Name { get; } = name;

    /// <summary>The file's bytes (UTF-8, no BOM), exactly as written to disk or uploaded.</summary>
    public byte[] Utf8 { get; } = utf8;

    /// <summary>The same as text, decoded on first use.</summary>
    public string Text => _text ??= Encoding.UTF8.GetString(Utf8);
}

public sealed record RenderedServer(string Name, IReadOnlyList<RenderedFile> Files)
{
    public RenderedFile File(string name) => Files.First(f => f.Name == name);
}

/// <summary>
/// Renders every server's Kea files from a validated inventory: template → strict JSON parse →
/// canonical JSON, then checks the pair's invariants on the result (each server's HA identity is its
/// own; the dhcp4 configs differ only in per-server facts). Templates are the user's to edit, so these
/// checks guard the output, not just the code. Servers render in parallel: they share nothing mutable.
/// </summary>
public sealed class InventoryRenderer(TemplateSet templates)
{
    public IReadOnlyList<RenderedServer>? Render(InventoryModel inventory, string inventoryDigest, SourceRevision? revision, DiagnosticBag diagnostics)
    {
        RenderModelBuilder builder;
        using (PhaseTimer.Measure("model"))
        {
            builder = new RenderModelBuilder(inventory, inventoryDigest, revision);
        }

        var results = new (RenderedServer Server, JsonDocument? Dhcp4, DiagnosticBag Findings)[inventory.Servers.Count];
        try
        {
            Parallel.For(0, results.Length, i => results[i] = RenderServer(inventory.Servers[i], builder));
            foreach (var result in results)
            {
                diagnostics.AddRange(result.Findings.Items);
            }

            if (diagnostics.HasErrors)
            {
                return null;
            }

            using (PhaseTimer.Measure("invariants"))
            {
                RenderInvariants.Check(inventory, results.Select(r => r.Dhcp4!.RootElement).ToList(), templates, diagnostics);
            }

            return diagnostics.HasErrors ? null : results.Select(r => r.Server).ToList();
        }
        finally
        {
            foreach (var result in results)
            {
                result.Dhcp4?.Dispose();
            }
        }
    }

    private (RenderedServer, JsonDocument?, DiagnosticBag) RenderServer(Server server, RenderModelBuilder builder)
    {
        var findings = new DiagnosticBag();
        var model = builder.For(server);
        var files = new List<RenderedFile>();
        JsonDocument? dhcp4 = null;
        var own = server.HasOwnKeaKeys ? KeaKeysOverlay.ForServer(server) : null;
        foreach (var template in templates.Files)
        {
            var document = RenderOne(template, model, findings);
            if (document is null)
            {
                continue;
            }

            // The pair's Kea keys, then this server's own over them.
            foreach (var overlays in own is null ? [builder.Overlays] : new[] { builder.Overlays, own })
            {
                if (overlays.TryGetValue(template.OutputName, out var overlay) && !overlay.IsEmpty)
                {
                    using (PhaseTimer.Measure("kea keys " + template.OutputName))
                    {
                        var written = document;
                        document = overlay.Apply(written);
                        written.Dispose();
                    }
                }
            }

            using (PhaseTimer.Measure("canonical " + template.OutputName))
            {
                files.Add(new RenderedFile(template.OutputName, CanonicalJson.WriteUtf8WithConfigDigest(document.RootElement)));
            }

            if (template.OutputName == TemplateSet.Dhcp4)
            {
                dhcp4 = document; // kept for the invariant checks, disposed by Render
            }
            else
            {
                document.Dispose();
            }
        }

        return (new RenderedServer(server.Name, files), dhcp4, findings);
    }

    private static JsonDocument? RenderOne(TemplateFile template, RenderModel model, DiagnosticBag diagnostics)
    {
        string? output;
        using (PhaseTimer.Measure("template " + template.OutputName))
        {
            output = TemplateSet.Run(template, model, diagnostics);
        }

        if (output is null)
        {
            return null;
        }

        try
        {
            using var timer = PhaseTimer.Measure("parse " + template.OutputName);
            return CanonicalJson.Parse(output);
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

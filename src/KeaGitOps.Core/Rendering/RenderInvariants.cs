using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Core.Rendering;

/// <summary>
/// Checks on rendered output that make the user's incident impossible to ship: a server whose
/// this-server-name or own peer URL is not its own, or two configs that differ in more than this-server-name
/// and the per-server values the inventory declares (interfaces, servers[].dhcp4, servers[].high-availability).
/// </summary>
public static class RenderInvariants
{
    /// <summary>Paths that may differ between any two servers' kea-dhcp4.conf: the per-server facts every server has.</summary>
    private static readonly string[] PerServerPaths = ["Dhcp4.interfaces-config.interfaces"];

    /// <summary>Where the HA relationship's keys are in a rendered config's path (the hook's position aside).</summary>
    private const string RelationshipPath = "].parameters.high-availability[0].";

    private const string ThisServerNameSuffix = ".this-server-name";

    /// <param name="dhcp4">each server's rendered kea-dhcp4.conf, in the order of inventory.Servers.</param>
    public static void Check(InventoryModel inventory, IReadOnlyList<JsonElement> dhcp4, TemplateSet templates, DiagnosticBag diagnostics)
    {
        var template = templates.Files.First(f => f.OutputName == TemplateSet.Dhcp4);
        for (var i = 0; i < dhcp4.Count; i++)
        {
            CheckIdentity(inventory.Servers[i], inventory.HighAvailability.Port, dhcp4[i], template, diagnostics);
        }

        for (var i = 1; i < dhcp4.Count; i++)
        {
            var declared = Declared(inventory.Servers[0]).Concat(Declared(inventory.Servers[i])).ToList();
            var unexpected = JsonDiff.Compare(dhcp4[0], dhcp4[i])
                .Where(c => !c.Path.EndsWith(ThisServerNameSuffix, StringComparison.Ordinal)
                    && !PerServerPaths.Any(p => c.Path.StartsWith(p, StringComparison.Ordinal))
                    && !declared.Exists(d => d(c.Path)))
                .ToList();
            if (unexpected.Count > 0)
            {
                diagnostics.Add(DiagnosticCatalogue.ConfigsDiverge(SourceLocation.StartOf(template.DisplayPath), inventory.Servers[0].Name, inventory.Servers[i].Name, unexpected.Take(5).Select(c => c.Path).ToList(), unexpected.Count));
            }
        }
    }

    /// <summary>The values a server declares as its own (servers[].dhcp4 and .high-availability): tests of a changed path.</summary>
    private static IEnumerable<Func<string, bool>> Declared(Server server)
    {
        foreach (var (key, _) in server.Dhcp4?.KeaKeys ?? [])
        {
            var path = "Dhcp4." + key.Value;
            yield return changed => changed == path || changed.StartsWith(path + ".", StringComparison.Ordinal) || changed.StartsWith(path + "[", StringComparison.Ordinal);
        }

        foreach (var (key, _) in server.HighAvailability?.KeaKeys ?? [])
        {
            var member = RelationshipPath + key.Value;
            yield return changed => changed.StartsWith("Dhcp4.hooks-libraries[", StringComparison.Ordinal) && changed.Contains(member, StringComparison.Ordinal);
        }
    }

    private static void CheckIdentity(Server server, long haPort, JsonElement root, TemplateFile template, DiagnosticBag diagnostics)
    {
        var at = SourceLocation.StartOf(template.DisplayPath);
        var relationship = HaRelationship(root);
        if (relationship is not { } ha)
        {
            diagnostics.Add(DiagnosticCatalogue.IdentityWrong(at, server.Name, "no high-availability relationship was rendered in Dhcp4.hooks-libraries"));
            return;
        }

        var name = ha.TryGetProperty("this-server-name", out var n) ? n.GetString() : null;
        if (name != server.Name)
        {
            diagnostics.Add(DiagnosticCatalogue.IdentityWrong(at, server.Name, $"this-server-name is '{name}'"));
            return;
        }

        var own = ha.TryGetProperty("peers", out var peers)
            ? peers.EnumerateArray().FirstOrDefault(p => p.TryGetProperty("name", out var pn) && pn.GetString() == server.Name)
            : default;
        var url = own.ValueKind == JsonValueKind.Object && own.TryGetProperty("url", out var u) ? u.GetString() : null;
        var expected = RenderModelBuilder.PeerUrl(server, haPort);
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Host != server.Address?.ToString())
        {
            diagnostics.Add(DiagnosticCatalogue.IdentityWrong(at, server.Name, $"its own peer URL is '{url}', expected {expected}"));
        }
    }

    private static JsonElement? HaRelationship(JsonElement root)
    {
        if (!root.TryGetProperty("Dhcp4", out var dhcp4) || !dhcp4.TryGetProperty("hooks-libraries", out var hooks))
        {
            return null;
        }

        foreach (var hook in hooks.EnumerateArray())
        {
            if (hook.TryGetProperty("parameters", out var parameters)
                && parameters.TryGetProperty("high-availability", out var list)
                && list.ValueKind == JsonValueKind.Array
                && list.GetArrayLength() > 0)
            {
                return list[0];
            }
        }

        return null;
    }
}

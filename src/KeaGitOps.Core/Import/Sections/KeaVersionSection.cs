using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Kea;
using KeaGitOps.Core.Kea.Keys;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Core.Import.Sections;

/// <summary>Which Kea version the config is written for, read from the syntax it uses.</summary>
internal static class KeaVersionSection
{
    /// <summary>
    /// The Kea version the config is written for, told by syntax that only some versions read (Kea's
    /// grammar at each release): 3.0's new names mean 3.0; loggers' output-options and bare hook names
    /// mean 2.6 or later; a subnet without an id means 2.2 (2.6 and 3.0 refuse it). Older names that
    /// newer versions still read only break a tie: then the oldest version that fits. Evidence that
    /// no one version reads is a finding, and a choice between versions is written as an assumption:
    /// never a silent guess.
    /// </summary>
    public static KeaVersion Read(SectionContext c, JsonElement dhcp4)
    {
        var newer = new List<(KeaVersion AtLeast, string Path, string What)>();
        string? withoutId = null;
        string? olderName = null;
        Walk(dhcp4, "Dhcp4", null);

        var lowest = newer.Count == 0 ? KeaVersion.V2_2 : newer.Max(e => e.AtLeast);
        var highest = withoutId is null ? KeaVersion.V3_0 : KeaVersion.V2_2;
        var strongest = newer.Count == 0 ? default : newer.First(e => e.AtLeast == lowest);
        KeaVersion version;
        if (lowest > highest)
        {
            // The missing ids are written by the import anyway, so the newer syntax decides.
            version = lowest;
            c.Snapshot.KeaVersionReading = new KeaVersionReading(
                $"kea.version {version.Name()}: {strongest.Path} is {strongest.What}, but {withoutId} has no id, which Kea 2.6 and 3.0 refuse: no Kea version reads this config as it is; check which version the server runs",
                Contradictory: true);
        }
        else if (lowest == highest)
        {
            version = lowest;
        }
        else
        {
            version = olderName is null ? highest : lowest;
            var fitting = KeaVersions.All.Where(v => v.Version >= lowest && v.Version <= highest).Select(v => v.Name).ToList();
            var range = $"{string.Join(", ", fitting.SkipLast(1))} or {fitting[^1]}";
            var why = (olderName, newer.Count) switch
            {
                (not null, 0) => $"{olderName} is the older syntax, and nothing newer is written",
                (not null, _) => $"{strongest.Path} is {strongest.What}, and {olderName} is the older syntax",
                (null, 0) => "no syntax in the config tells the versions apart; the newest is assumed",
                (null, _) => $"{strongest.Path} is {strongest.What}, and nothing tells the newer versions apart; the newest is assumed",
            };
            c.Snapshot.KeaVersionReading = new KeaVersionReading(
                $"kea.version {version.Name()}: the config fits Kea {range}; {why}. Set kea.version if the server runs another",
                Contradictory: false);
        }

        version = ByKeyTable(c, dhcp4, version);
        c.Set("kea.version", YamlValue.String(version.Name()));
        return version;

        // By key and where it stands, never by a string value that happens to read like one.

        // list: the name of the list this element is an item of, if it is one.
        void Walk(JsonElement element, string path, string? list)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{i++}]", list);
                }

                return;
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (list == "subnet4" && !element.TryGetProperty("id", out _))
            {
                withoutId ??= path;
            }

            // A full path is no hint: 2.6 and 3.0 take one inside their hooks directory.
            if (list == "hooks-libraries" && Text(element, "library") is { Length: > 0 } library && !library.Contains('/', StringComparison.Ordinal))
            {
                newer.Add((KeaVersion.V2_6, path + ".library", "a bare hook name (Kea 2.6 on)"));
            }

            // lease_cmds reads binding-variables from Kea 2.7.7 on; older ones ignore them.
            if (list == "hooks-libraries" && Text(element, "library") is { } leaseCmds && KeaHooks.FileName(leaseCmds) == KeaHooks.LeaseCommands
                && Member(element, "parameters", JsonValueKind.Object) is { } parameters && parameters.TryGetProperty("binding-variables", out _))
            {
                newer.Add((KeaVersion.V3_0, path + ".parameters.binding-variables", "lease_cmds' binding-variables (Kea 3.0)"));
            }

            // A user-context holds the user's own keys, whatever they are named.
            foreach (var member in element.EnumerateObject().Where(m => !m.NameEquals("user-context")))
            {
                var at = $"{path}.{member.Name}";
                switch (member.Name)
                {
                    case "control-sockets" when path == "Dhcp4":
                    case "client-classes" when list is "pools" or "subnet4" or "shared-networks" or "option-data":
                    case "evaluate-additional-classes":
                    case "only-in-additional-list":
                        newer.Add((KeaVersion.V3_0, at, "Kea 3.0 syntax"));
                        break;
                    case "output-options" when list == "loggers":
                        newer.Add((KeaVersion.V2_6, at, "Kea 2.6 syntax"));
                        break;
                    case "output_options" when list == "loggers":
                    case "client-class" when list is "pools" or "subnet4" or "shared-networks":
                    case "require-client-classes":
                    case "only-if-required":
                        olderName ??= at;
                        break;
                }

                // The items of a list know its name (a pool is an item of pools); deeper objects do not.
                Walk(member.Value, at, member.Value.ValueKind == JsonValueKind.Array ? member.Name : null);
            }
        }
    }

    /// <summary>
    /// Kea's key table has the last word: when the version the syntax points to does not take every key
    /// the config has and another version does, the config is written for that one (the newest of them).
    /// </summary>
    private static KeaVersion ByKeyTable(SectionContext c, JsonElement dhcp4, KeaVersion version)
    {
        var nodes = (MappingNode)JsonAsNodes.From(dhcp4, SourceLocation.None);
        var refused = KeaConfigKeys.CheckDhcp4(KeaKeyTable.For(version), nodes).Find(p => p.UnknownKey);
        if (refused is null)
        {
            return version;
        }

        var taking = KeaVersions.All.Where(v => !KeaConfigKeys.CheckDhcp4(KeaKeyTable.For(v.Version), nodes).Exists(p => p.UnknownKey)).ToList();
        if (taking.Count == 0)
        {
            return version; // no version takes it all: validation of the written inventory names the keys
        }

        var chosen = taking[^1];
        var why = refused.Message.Split("; it takes:")[0];
        c.Snapshot.KeaVersionReading = new KeaVersionReading(
            $"kea.version {chosen.Name}: {why}, and Kea {string.Join(" and ", taking.Select(v => v.Name))} take{(taking.Count == 1 ? "s" : string.Empty)} every key of the config. Set kea.version if the server runs another",
            Contradictory: false);
        return chosen.Version;
    }
}

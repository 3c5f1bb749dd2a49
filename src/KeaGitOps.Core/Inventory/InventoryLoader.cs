using System.Security.Cryptography;
using System.Text;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Core.Inventory;

/// <summary>One file the inventory was read from, kept for the digest and for messages.</summary>
public sealed record InventoryFile(string FullPath, string RelativePath, string DisplayPath, byte[] Sha256);

/// <summary>The inventory's files merged into one tree, reservations files already spliced into their subnets.</summary>
public sealed record LoadedInventory(string Folder, MappingNode Root, IReadOnlyList<InventoryFile> Files, string Digest);

/// <summary>
/// Reads an inventory folder: every top-level <c>*.yaml</c>/<c>*.yml</c> file is a part of one mapping
/// (a key may appear in one file only), and each subnet's <c>reservations-from</c> names files or
/// folders whose lists of reservations are appended to the subnet's own <c>reservations</c>.
/// </summary>
public sealed class InventoryLoader
{
    public const string ReservationsFromKey = "reservations-from";
    private const string ReservationsKey = "reservations";
    private const string SubnetsKey = "subnets";

    private readonly string _workingDirectory;

    public InventoryLoader(string? workingDirectory = null)
    {
        _workingDirectory = Path.GetFullPath(workingDirectory ?? Directory.GetCurrentDirectory());
    }

    public LoadedInventory? Load(string folder, DiagnosticBag diagnostics)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!Directory.Exists(root))
        {
            diagnostics.Add(DiagnosticCatalogue.InventoryFolderMissing(Display(root)));
            return null;
        }

        var files = new List<InventoryFile>();
        var parts = YamlFilesIn(root, recursive: false);
        if (parts.Count == 0)
        {
            diagnostics.Add(DiagnosticCatalogue.InventoryFolderEmpty(Display(root)));
            return null;
        }

        var entries = new List<MappingEntry>();
        var firstPlace = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        var partUnreadable = false;
        foreach (var path in parts)
        {
            var parsed = ParseFile(root, path);
            Record(parsed, files, diagnostics);
            var node = parsed.Root;
            partUnreadable |= parsed.Findings.Count > 0 && node is null;
            if (node is null)
            {
                continue;
            }

            if (node is not MappingNode mapping)
            {
                diagnostics.Add(DiagnosticCatalogue.ExpectedMappingFile(node.Location, node.KindName));
                continue;
            }

            foreach (var entry in mapping.Entries)
            {
                if (firstPlace.TryGetValue(entry.Key.Value, out var first))
                {
                    diagnostics.Add(DiagnosticCatalogue.DuplicateKeyFound(entry.Key.Location, entry.Key.Value, first.Location));
                    continue;
                }

                firstPlace.Add(entry.Key.Value, entry.Key);
                entries.Add(entry.Key.Value == SubnetsKey ? SpliceReservations(root, entry, files, diagnostics) : entry);
            }
        }

        if (partUnreadable)
        {
            // Whole sections of the inventory are missing: schema and rules would only add noise.
            return null;
        }

        var merged = new MappingNode(entries, entries.Count > 0 ? entries[0].Key.Location with { Line = 1, Column = 1 } : SourceLocation.StartOf(Display(parts[0])));
        return new LoadedInventory(root, merged, files, Digest(files));
    }

    private MappingEntry SpliceReservations(string root, MappingEntry subnets, List<InventoryFile> files, DiagnosticBag diagnostics)
    {
        if (subnets.Value is not SequenceNode list)
        {
            return subnets;
        }

        // Resolve every subnet's sources first, then read and parse each file once, in parallel: opening a
        // file is slow on some file systems, and the fast reader for reservation files allocates little.
        var sources = list.Items
            .Select(item => item is MappingNode subnet && subnet.Find(ReservationsFromKey) is { } from ? ResolveSources(root, from, diagnostics) : null)
            .ToList();
        var paths = sources.Where(s => s is not null).SelectMany(s => s!).Distinct(StringComparer.Ordinal).ToList();
        var parsed = new ParsedFile[paths.Count];
        Parallel.For(0, paths.Count, i => parsed[i] = ParseFile(root, paths[i]));

        var byPath = new Dictionary<string, ParsedFile>(StringComparer.Ordinal);
        for (var i = 0; i < paths.Count; i++)
        {
            byPath.Add(paths[i], parsed[i]);
            Record(parsed[i], files, diagnostics);
            if (parsed[i].Root is { } node and not SequenceNode)
            {
                diagnostics.Add(DiagnosticCatalogue.ExpectedReservationList(node.Location, node.KindName));
            }
        }

        var items = new List<Node>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
        {
            items.Add(sources[i] is { } subnetSources ? WithReservations((MappingNode)list.Items[i], subnetSources.Select(p => byPath[p].Root).OfType<SequenceNode>()) : list.Items[i]);
        }

        return subnets with { Value = new SequenceNode(items, list.Location) };
    }

    /// <summary>The subnet with its inline reservations followed by those of its files, in file order.</summary>
    private static MappingNode WithReservations(MappingNode subnet, IEnumerable<SequenceNode> lists)
    {
        var from = subnet.Find(ReservationsFromKey)!;
        var inline = subnet.Find(ReservationsKey);
        var reservations = new List<Node>();
        if (inline?.Value is SequenceNode inlineList)
        {
            reservations.AddRange(inlineList.Items);
        }

        foreach (var list in lists)
        {
            reservations.AddRange(list.Items);
        }

        var entries = subnet.Entries.Where(e => e.Key.Value != ReservationsKey).ToList();
        var key = inline?.Key ?? new ScalarNode(ReservationsKey, isPlain: false, from.Key.Location);
        entries.Add(new MappingEntry(key, new SequenceNode(reservations, inline?.Value.Location ?? from.Value.Location)));
        return new MappingNode(entries, subnet.Location);
    }

    private List<string> ResolveSources(string root, MappingEntry from, DiagnosticBag diagnostics)
    {
        var sources = from.Value switch
        {
            ScalarNode { Kind: ScalarKind.String } one => [one],
            SequenceNode many => many.Items.OfType<ScalarNode>().Where(s => s.Kind == ScalarKind.String).ToList(),
            _ => new List<ScalarNode>(), // the schema reports the wrong type
        };
        return sources.SelectMany(source => ResolveSource(root, source, diagnostics)).ToList();
    }

    private List<string> ResolveSource(string root, ScalarNode source, DiagnosticBag diagnostics)
    {
        var full = Path.GetFullPath(Path.Combine(root, source.Value));
        var inside = full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        if (!inside)
        {
            diagnostics.Add(DiagnosticCatalogue.IncludeOutsideInventory(source.Location, source.Value));
            return [];
        }

        if (File.Exists(full))
        {
            return [full];
        }

        if (Directory.Exists(full))
        {
            return YamlFilesIn(full, recursive: true);
        }

        diagnostics.Add(DiagnosticCatalogue.IncludeMissing(source.Location, source.Value, Display(full)));
        return [];
    }

    /// <summary>A file read and parsed on its own, its findings kept apart.</summary>
    private sealed record ParsedFile(Node? Root, InventoryFile? File, IReadOnlyList<Diagnostic> Findings);

    private ParsedFile ParseFile(string root, string path)
    {
        var display = Display(path);
        var findings = new DiagnosticBag();
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            findings.Add(DiagnosticCatalogue.FileUnreadable(display, e.Message));
            return new ParsedFile(null, null, findings.Items);
        }

        var file = new InventoryFile(path, Path.GetRelativePath(root, path).Replace('\\', '/'), display, SHA256.HashData(bytes));
        var node = YamlReader.Read(new UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF'), display, findings);
        return new ParsedFile(node, file, findings.Items);
    }

    private static void Record(ParsedFile parsed, List<InventoryFile> files, DiagnosticBag diagnostics)
    {
        if (parsed.File is not null)
        {
            files.Add(parsed.File);
        }

        diagnostics.AddRange(parsed.Findings);
    }

    private static List<string> YamlFilesIn(string folder, bool recursive) =>
        Directory.EnumerateFiles(folder, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();

    private string Display(string fullPath) => DisplayPath.Of(fullPath, _workingDirectory);

    /// <summary>SHA-256 over each file's path (relative to the inventory) and content hash, in a fixed order.</summary>
    private static string Digest(IEnumerable<InventoryFile> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file.RelativePath + "\0"));
            hash.AppendData(file.Sha256);
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

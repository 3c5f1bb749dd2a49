using System.Security.Cryptography;
using System.Text;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Sources;

namespace KeaGitOps.Core.Inventory;

/// <summary>One file the inventory was read from, kept for the digest and for messages.</summary>
public sealed record InventoryFile(string RelativePath, string DisplayPath, byte[] Sha256);

/// <summary>The inventory's files merged into one tree, reservations files already spliced into their subnets.</summary>
/// <param name="Folder">the inventory as the user would name it.</param>
public sealed record LoadedInventory(string Folder, MappingNode Root, IReadOnlyList<InventoryFile> Files, string Digest);

/// <summary>
/// Reads an inventory: every top-level <c>*.yaml</c>/<c>*.yml</c> file is a part of one mapping (a key
/// may appear in one file only), and each subnet's <c>reservations-from</c> names files or folders whose
/// lists of reservations are appended to the subnet's own <c>reservations</c>. Every file is read through
/// an <see cref="IFileSource"/>, so an inventory on disk and one in a git tree load alike.
/// </summary>
public sealed class InventoryLoader
{
    public const string ReservationsFromKey = "reservations-from";
    private const string ReservationsKey = "reservations";
    private const string SubnetsKey = "subnets";
    private const string SharedNetworksKey = "shared-networks";

    /// <summary>Values that aliases may stand for in the whole inventory (each file also has its own limit).</summary>
    public const int MaxAliasValuesInAll = 1_000_000;

    private readonly string _workingDirectory;

    public InventoryLoader(string? workingDirectory = null)
    {
        _workingDirectory = Path.GetFullPath(workingDirectory ?? Directory.GetCurrentDirectory());
    }

    /// <summary>Loads the inventory in a folder on disk.</summary>
    public LoadedInventory? Load(string folder, DiagnosticBag diagnostics) => Load(new DiskFileSource(folder, _workingDirectory), diagnostics);

    public static LoadedInventory? Load(IFileSource source, DiagnosticBag diagnostics)
    {
        var root = source.Find(string.Empty);
        if (root.Kind != SourceEntryKind.Folder)
        {
            diagnostics.Add(DiagnosticCatalogue.InventoryFolderMissing(source.RootDisplay));
            return null;
        }

        var reading = new Reading(source, diagnostics);
        var parts = reading.YamlFiles(source.ListFiles(string.Empty, recursive: false), reference: null);
        if (parts.Count == 0)
        {
            if (!diagnostics.HasErrors)
            {
                diagnostics.Add(DiagnosticCatalogue.InventoryFolderEmpty(source.RootDisplay));
            }

            return null;
        }

        var entries = new List<MappingEntry>();
        var firstPlace = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        var partUnreadable = false;
        foreach (var part in parts)
        {
            var parsed = reading.Parse(part);
            reading.Record(parsed);
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
                entries.Add(entry.Key.Value switch
                {
                    SubnetsKey => reading.SpliceReservations(entry),
                    SharedNetworksKey => reading.SpliceSharedNetworks(entry),
                    _ => entry,
                });
            }
        }

        if (partUnreadable || !reading.WithinAliasBudget())
        {
            // Whole sections of the inventory are missing, or too large to check: schema and rules would only add noise.
            return null;
        }

        var merged = new MappingNode(entries, entries.Count > 0 ? entries[0].Key.Location with { Line = 1, Column = 1 } : SourceLocation.StartOf(source.Display(parts[0].Path)));
        return new LoadedInventory(source.RootDisplay, merged, reading.Files, Digest(reading.Files));
    }

    /// <summary>A file read and parsed on its own, its findings kept apart.</summary>
    private sealed record ParsedFile(Node? Root, InventoryFile? File, IReadOnlyList<Diagnostic> Findings, int AliasValues);

    /// <summary>One load: the source, the findings and the files read so far.</summary>
    private sealed class Reading(IFileSource source, DiagnosticBag diagnostics)
    {
        private readonly HashSet<string> _linksReported = new(StringComparer.Ordinal);
        private readonly List<(string Display, int AliasValues)> _aliasUse = [];

        /// <summary>Every reservations file a reservations-from has named so far, with the first reference that named it (across all subnet lists).</summary>
        private readonly Dictionary<string, (SourceEntry File, ScalarNode Reference)> _claimed = new(StringComparer.Ordinal);

        public List<InventoryFile> Files { get; } = [];

        /// <summary>Each shared network with its subnets' reservations files spliced in, as for the top-level subnets.</summary>
        public MappingEntry SpliceSharedNetworks(MappingEntry networks)
        {
            if (networks.Value is not SequenceNode list)
            {
                return networks;
            }

            var items = list.Items.Select(item => item is MappingNode network && network.Find(SubnetsKey) is { } subnets
                ? new MappingNode([.. network.Entries.Select(e => ReferenceEquals(e, subnets) ? SpliceReservations(e) : e)], network.Location)
                : item);
            return networks with { Value = new SequenceNode([.. items], list.Location) };
        }

        public MappingEntry SpliceReservations(MappingEntry subnets)
        {
            if (subnets.Value is not SequenceNode list)
            {
                return subnets;
            }

            // Resolve every subnet's sources first (each file claimed by the first reference that names it),
            // then read and parse each file once, in parallel: opening a file is slow on some file systems,
            // and the fast reader for reservation files allocates little.
            var sources = list.Items
                .Select(item => item is MappingNode subnet && subnet.Find(ReservationsFromKey) is { } from ? Claim(from) : null)
                .ToList();
            var files = sources.Where(s => s is not null).SelectMany(s => s!).ToList();
            var parsed = new ParsedFile[files.Count];
            Parallel.For(0, files.Count, i => parsed[i] = Parse(files[i]));

            var byPath = new Dictionary<string, ParsedFile>(StringComparer.Ordinal);
            for (var i = 0; i < files.Count; i++)
            {
                byPath.Add(files[i].Real, parsed[i]);
                Record(parsed[i]);
                if (parsed[i].Root is { } node and not SequenceNode)
                {
                    diagnostics.Add(DiagnosticCatalogue.ExpectedReservationList(node.Location, node.KindName));
                }
            }

            var items = new List<Node>(list.Items.Count);
            for (var i = 0; i < list.Items.Count; i++)
            {
                items.Add(sources[i] is { } subnetSources ? WithReservations((MappingNode)list.Items[i], subnetSources.Select(f => byPath[f.Real].Root).OfType<SequenceNode>()) : list.Items[i]);
            }

            return subnets with { Value = new SequenceNode(items, list.Location) };
        }

        /// <summary>
        /// The files a subnet's reservations-from names that no earlier reference named. A file named twice
        /// is one finding at the second reference, naming the first; its reservations are read once, so they
        /// do not each clash with themselves.
        /// </summary>
        private List<SourceEntry> Claim(MappingEntry from)
        {
            var references = from.Value switch
            {
                ScalarNode { Kind: ScalarKind.String } one => [one],
                SequenceNode many => many.Items.OfType<ScalarNode>().Where(s => s.Kind == ScalarKind.String).ToList(),
                _ => new List<ScalarNode>(), // the schema reports the wrong type
            };
            var kept = new List<SourceEntry>();
            foreach (var reference in references)
            {
                (SourceEntry File, SourceEntry First, ScalarNode FirstReference)? twice = null;
                foreach (var file in Resolve(reference))
                {
                    if (_claimed.TryGetValue(file.Real, out var first))
                    {
                        twice ??= (file, first.File, first.Reference);
                        continue;
                    }

                    _claimed.Add(file.Real, (file, reference));
                    kept.Add(file);
                }

                if (twice is { } again)
                {
                    diagnostics.Add(ReferenceEquals(again.FirstReference, reference)
                        ? DiagnosticCatalogue.ReachedTwice(reference.Location, reference.Value, source.Display(again.First.Path), source.Display(again.File.Path))
                        : DiagnosticCatalogue.ReferencedTwice(reference.Location, reference.Value, source.Display(again.First.Path), again.FirstReference.Value, again.FirstReference.Location));
                }
            }

            return kept;
        }

        private List<SourceEntry> Resolve(ScalarNode reference)
        {
            var path = SourcePath.Normalize(reference.Value);
            if (path is null)
            {
                diagnostics.Add(DiagnosticCatalogue.IncludeOutsideInventory(reference.Location, reference.Value));
                return [];
            }

            var entry = source.Find(path);
            if (entry.Problem != LinkProblem.None)
            {
                ReportLink(entry, reference.Location);
                return [];
            }

            switch (entry.Kind)
            {
                case SourceEntryKind.File:
                    return [entry];
                case SourceEntryKind.Folder:
                    try
                    {
                        return YamlFiles(source.ListFiles(path, recursive: true), reference.Location);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        diagnostics.Add(DiagnosticCatalogue.FileUnreadable(source.Display(path), e.Message));
                        return [];
                    }

                default:
                    diagnostics.Add(DiagnosticCatalogue.IncludeMissing(reference.Location, reference.Value, source.Display(path)));
                    return [];
            }
        }

        /// <summary>The YAML files of a listing; links that loop, leave the source or lead nowhere are findings at <paramref name="reference"/> (at the link itself for the top-level files).</summary>
        public List<SourceEntry> YamlFiles(IReadOnlyList<SourceEntry> listing, SourceLocation? reference)
        {
            var files = new List<SourceEntry>();
            foreach (var entry in listing)
            {
                var isYaml = IsYaml(entry.Path);
                if (entry.Problem == LinkProblem.None && entry.Kind == SourceEntryKind.File)
                {
                    if (isYaml)
                    {
                        files.Add(entry);
                    }
                }
                else if (isYaml || (reference is not null && entry.Kind == SourceEntryKind.Folder))
                {
                    // Folders count only where reservations are read recursively: at the top level they are never read.
                    ReportLink(entry, reference ?? SourceLocation.StartOf(source.Display(entry.Link ?? entry.Path)));
                }
            }

            return files;
        }

        private void ReportLink(SourceEntry entry, SourceLocation at)
        {
            var link = entry.Link ?? entry.Path;
            if (!_linksReported.Add(link))
            {
                return;
            }

            var display = source.Display(link);
            diagnostics.Add(entry.Problem switch
            {
                LinkProblem.Loop => DiagnosticCatalogue.LinkLoops(at, display, entry.Target),
                LinkProblem.Outside when entry.Link is null => DiagnosticCatalogue.IncludeOutsideInventory(at, entry.Path),
                LinkProblem.Outside => DiagnosticCatalogue.LinkLeavesInventory(at, display, entry.Target),
                _ => DiagnosticCatalogue.LinkBroken(at, display, entry.Target),
            });
        }

        public ParsedFile Parse(SourceEntry entry)
        {
            var display = source.Display(entry.Path);
            var findings = new DiagnosticBag();
            byte[] bytes;
            try
            {
                bytes = source.ReadAllBytes(entry.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                findings.Add(DiagnosticCatalogue.FileUnreadable(display, e.Message));
                return new ParsedFile(null, null, findings.Items, 0);
            }

            var file = new InventoryFile(entry.Path, display, SHA256.HashData(bytes));
            var text = SourceText.Decode(bytes, display, findings);
            var aliasValues = 0;
            var node = text is null ? null : YamlReader.Read(text, display, findings, out aliasValues);
            return new ParsedFile(node, file, findings.Items, aliasValues);
        }

        public void Record(ParsedFile parsed)
        {
            if (parsed.File is not null)
            {
                Files.Add(parsed.File);
                if (parsed.AliasValues > 0)
                {
                    _aliasUse.Add((parsed.File.DisplayPath, parsed.AliasValues));
                }
            }

            diagnostics.AddRange(parsed.Findings);
        }

        /// <summary>Each file keeps within its own alias limit; many such files together must keep within one more.</summary>
        public bool WithinAliasBudget()
        {
            var total = 0L;
            foreach (var (display, values) in _aliasUse.OrderBy(u => u.Display, StringComparer.Ordinal))
            {
                total += values;
                if (total > MaxAliasValuesInAll)
                {
                    diagnostics.Add(DiagnosticCatalogue.AliasesTooLargeInAll(SourceLocation.StartOf(display), MaxAliasValuesInAll));
                    return false;
                }
            }

            return true;
        }

        private static bool IsYaml(string path) =>
            path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
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

using System.Text.Json;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Sources;

namespace KeaGitOps.Core.Kea;

/// <summary>
/// One Kea configuration file, parsed once: a live file read as Kea reads it (comments, trailing commas,
/// includes resolved through the same source), or a render. Diff, deploy, the pull-request review, import
/// and its round trip all compare configs through <see cref="ChangesTo"/>, so they agree on what a change
/// is and on what keagitops' own metadata is (<see cref="KeaProvenance"/>).
/// </summary>
public sealed class KeaConfig : IDisposable
{
    private static readonly JsonDocumentOptions StrictJson = new() { MaxDepth = 256 };

    private readonly JsonDocument _document;
    private string? _settingsDigest;

    private KeaConfig(JsonDocument document, string display)
    {
        _document = document;
        Display = display;
        Provenance = KeaProvenance.Of(document.RootElement);
    }

    /// <summary>Where the config came from, for messages (<c>kea-dhcp-1:/etc/kea/kea-dhcp4.conf</c>).</summary>
    public string Display { get; }

    public JsonElement Root => _document.RootElement;

    /// <summary>keagitops' provenance in the config, or null when it was not rendered by keagitops.</summary>
    public KeaProvenance? Provenance { get; }

    /// <summary>The digest of the config's settings: its canonical text without the provenance. Two configs with equal digests configure Kea alike.</summary>
    public string SettingsDigest => _settingsDigest ??= CanonicalJson.ConfigDigest(Root);

    /// <summary>True when the config was rendered by keagitops and its settings changed since (a hand edit, or an API change written back).</summary>
    public bool EditedSinceRender => Provenance?.ConfigDigest is { } recorded && recorded != SettingsDigest;

    /// <summary>
    /// Reads absolute <paramref name="path"/> from <paramref name="root"/> (a source rooted at <c>/</c>: the
    /// local disk or a server) as Kea would, its includes from the same source. A missing file is <see cref="KeaConfigRead.Missing"/>; one Kea could not read is an error at
    /// its file:line:col.
    /// </summary>
    public static KeaConfigRead Load(IFileSource root, string path)
    {
        byte[]? bytes;
        try
        {
            bytes = root.ReadAt(path);
        }
        catch (IOException e)
        {
            return KeaConfigRead.Failed(new KeaJsonError(SourceLocation.StartOf(root.DisplayAt(path)), $"cannot read {root.DisplayAt(path)}: {e.Message}"));
        }

        return bytes is null ? KeaConfigRead.Missing : Parse(bytes, path, root);
    }

    /// <summary>Parses <paramref name="bytes"/>, the content of absolute <paramref name="path"/> in <paramref name="root"/> (rooted at <c>/</c>), which also gives its includes.</summary>
    public static KeaConfigRead Parse(byte[] bytes, string path, IFileSource root)
    {
        var parsed = KeaJson.Parse(System.Text.Encoding.UTF8.GetString(bytes), path, root);
        return parsed.Succeeded ? KeaConfigRead.Read(new KeaConfig(parsed.Document, root.DisplayAt(path))) : KeaConfigRead.Failed(parsed.Error);
    }

    /// <summary>A config keagitops rendered (strict JSON, no includes).</summary>
    public static KeaConfig FromRendered(ReadOnlyMemory<byte> utf8, string display) => new(JsonDocument.Parse(utf8, StrictJson), display);

    /// <summary>Takes over a document parsed elsewhere (it is disposed with this config).</summary>
    public static KeaConfig Adopt(JsonDocument document, string display) => new(document, display);

    /// <summary>
    /// What changes from this config to <paramref name="wanted"/>, by JSON path, keagitops' provenance aside:
    /// a new commit that renders the same settings changes nothing.
    /// </summary>
    public List<JsonChange> ChangesTo(KeaConfig wanted) => JsonDiff.Compare(Root, wanted.Root, KeaProvenance.IsAt);

    /// <summary>Where a config came from, in words: the commit it was rendered from and whether it was edited since; null without provenance.</summary>
    public string? DescribeOrigin()
    {
        if (Provenance is not { } provenance)
        {
            return null;
        }

        var source = provenance.SourceCommit is { } commit
            ? commit + (provenance.SourceDirty ? " with uncommitted edits" : string.Empty)
            : "an unknown commit (rendered outside git)";
        var edited = provenance.ConfigDigest is null ? "; it records no digest, so hand edits cannot be told"
            : EditedSinceRender ? ", and EDITED BY HAND since" : ", not edited since";
        return $"rendered from {source}{edited}";
    }

    public void Dispose() => _document.Dispose();
}

/// <summary>The outcome of reading a config: parsed, missing, or unreadable (with Kea's kind of error).</summary>
public sealed class KeaConfigRead : IDisposable
{
    public static readonly KeaConfigRead Missing = new(null, null);

    private KeaConfigRead(KeaConfig? config, KeaJsonError? error)
    {
        Config = config;
        Error = error;
    }

    public KeaConfig? Config { get; }

    public KeaJsonError? Error { get; }

    public bool IsMissing => Config is null && Error is null;

    public static KeaConfigRead Read(KeaConfig config) => new(config, null);

    public static KeaConfigRead Failed(KeaJsonError error) => new(null, error);

    public void Dispose() => Config?.Dispose();
}

using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Sources;

namespace KeaGitOps.Core.Kea;

/// <summary>How a server's file stands against its render.</summary>
public enum LiveStatus
{
    Unchanged,
    Changed,
    Missing,
    Unreadable,
}

/// <summary>
/// One rendered file against the file a server has: what <c>diff</c> shows and what <c>deploy</c> decides
/// on (a file that is not <see cref="LiveStatus.Unchanged"/> is replaced). Both read the live file the
/// same way: as Kea reads it, includes followed through the server's own files.
/// </summary>
public sealed class ConfigComparison : IDisposable
{
    private ConfigComparison(RenderedFile rendered, string livePath, LiveStatus status, KeaConfig? live, KeaJsonError? error, IReadOnlyList<JsonChange> changes, IReadOnlyList<JsonChange>? defaultsOnly = null)
    {
        DefaultsOnly = defaultsOnly ?? [];
        Rendered = rendered;
        LivePath = livePath;
        Status = status;
        Live = live;
        Error = error;
        Changes = changes;
    }

    public RenderedFile Rendered { get; }

    public string LivePath { get; }

    public LiveStatus Status { get; }

    /// <summary>The live config, when it exists and Kea could read it.</summary>
    public KeaConfig? Live { get; }

    /// <summary>Why the live file could not be read (<see cref="LiveStatus.Unreadable"/>).</summary>
    public KeaJsonError? Error { get; }

    /// <summary>The changes from live to rendered (empty unless <see cref="LiveStatus.Changed"/>).</summary>
    public IReadOnlyList<JsonChange> Changes { get; }

    /// <summary>
    /// Differences that are no change to Kea: a key one side writes and the other leaves out, whose value is
    /// Kea's default there (<see cref="KeaDefaults.IsDefaultOnly"/>). They alone never make a file changed;
    /// <c>diff --exact</c> shows them.
    /// </summary>
    public IReadOnlyList<JsonChange> DefaultsOnly { get; }

    /// <summary>Compares <paramref name="rendered"/> with <paramref name="liveBytes"/> (null: no such file), read from <paramref name="livePath"/> of <paramref name="server"/>.</summary>
    /// <param name="version">the Kea version the render is for, whose defaults are no change (null: only the defaults every version shares).</param>
    public static ConfigComparison Of(RenderedFile rendered, string livePath, byte[]? liveBytes, IFileSource server, KeaVersion? version = null)
    {
        if (liveBytes is null)
        {
            return new ConfigComparison(rendered, livePath, LiveStatus.Missing, null, null, []);
        }

        var read = KeaConfig.Parse(liveBytes, livePath, server);
        if (read.Config is not { } live)
        {
            return new ConfigComparison(rendered, livePath, LiveStatus.Unreadable, null, read.Error, []);
        }

        using var wanted = KeaConfig.FromRendered(rendered.Utf8, rendered.Name);
        var all = live.ChangesTo(wanted);
        var defaultsOnly = all.Where(c => KeaDefaults.IsDefaultOnly(c, version)).ToList();
        var changes = defaultsOnly.Count == 0 ? all : all.Except(defaultsOnly).ToList();
        return new ConfigComparison(rendered, livePath, changes.Count == 0 ? LiveStatus.Unchanged : LiveStatus.Changed, live, null, changes, defaultsOnly);
    }

    public void Dispose() => Live?.Dispose();
}

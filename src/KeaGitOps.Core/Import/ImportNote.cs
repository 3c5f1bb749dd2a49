namespace KeaGitOps.Core.Import;

/// <summary>Which of a server's configs a note is about.</summary>
public enum KeaConfigFile
{
    Dhcp4,
    ControlAgent,
}

public enum NoteKind
{
    /// <summary>The inventory cannot hold it: left out of the import.</summary>
    NotImported,

    /// <summary>Imported, but keagitops renders it differently (a layout it imposes).</summary>
    RenderedDifferently,
}

/// <summary>
/// One thing import did not carry over as it was: in which file, at which JSON path (as the report and
/// the round trip spell it: <c>Dhcp4.subnet4[0].pools[1]</c>; <c>[]</c> for every entry of a list), and why.
/// </summary>
public sealed record ImportNote(KeaConfigFile File, string Path, NoteKind Kind, string Reason)
{
    /// <summary>A secret left out on purpose (the inventory lives in git): the one thing import leaves out without losing a setting.</summary>
    public bool IsSecret { get; init; }

    /// <summary>Something Kea itself does not apply (another top-level object of the file), so leaving it out changes nothing.</summary>
    public bool IsIgnoredByKea { get; init; }

    /// <summary>Whether leaving it out changes what the server does: every not-imported note but a secret or what Kea ignores.</summary>
    public bool IsLoss => Kind == NoteKind.NotImported && !IsSecret && !IsIgnoredByKea;

    /// <summary>
    /// The report's line for it: <c>path: why</c>; a top-level key of kea-ctrl-agent.conf other than its
    /// Control-agent object says which file it is in (<c>Control-agent:$.key</c>).
    /// </summary>
    public override string ToString() =>
        File == KeaConfigFile.ControlAgent && Path.StartsWith('$') ? $"{KeaConfigReader.AgentPath}:{Path}: {Reason}" : $"{Path}: {Reason}";
}

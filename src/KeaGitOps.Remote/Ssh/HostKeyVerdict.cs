using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Remote.Ssh;

public enum HostKeyStatus
{
    /// <summary>A known_hosts entry for this host holds exactly this key.</summary>
    Trusted,

    /// <summary>No entry for this host holds a key of this type: the key has to be confirmed before use.</summary>
    Unknown,

    /// <summary>An entry for this host holds a different key of the same type: possibly a man in the middle.</summary>
    Changed,

    /// <summary>An <c>@revoked</c> entry names this key: refused whatever else the file says.</summary>
    Revoked,
}

/// <summary>
/// What known_hosts says about a server's host key. <paramref name="Fingerprint"/> is the key's
/// OpenSSH SHA256 fingerprint, as <c>ssh-keygen -lf</c> prints it. <paramref name="Entry"/> is the
/// line that decided: the matching key (Trusted), the revoking line (Revoked), the other key of the
/// same type (Changed), or, for Unknown, a key of another type the host is known by (if any).
/// <paramref name="LineToAdd"/>, for Unknown only, is the known_hosts line that would trust the key.
/// </summary>
public sealed record HostKeyVerdict(HostKeyStatus Status, string Fingerprint, SourceLocation? Entry, string? LineToAdd);

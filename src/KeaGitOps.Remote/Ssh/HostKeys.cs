namespace KeaGitOps.Remote.Ssh;

/// <summary>Placeholder gate until KnownHosts lands: refuses everything (never trusts blindly).</summary>
public static class HostKeys
{
    public static HostKeyGate Gate(string knownHostsFile) => (host, port, keyType, blob) => $"host key checking against {knownHostsFile} is not available in this build";
}

namespace KeaGitOps.Remote.Ssh;

/// <summary>
/// The host key policy: only keys known_hosts trusts. There is deliberately no option to accept an
/// unknown or changed key: the message says how to add a key after checking its fingerprint.
/// </summary>
public static class HostKeys
{
    public static HostKeyGate Gate(string knownHostsFile) => (host, port, keyType, blob) =>
    {
        if (!File.Exists(knownHostsFile))
        {
            return $"known_hosts file {knownHostsFile} does not exist; create it (ssh-keyscan, then check the fingerprints) and name it in ssh.known-hosts";
        }

        var verdict = KnownHosts.Load(knownHostsFile).Check(host, port, keyType, blob);
        return verdict.Status switch
        {
            HostKeyStatus.Trusted => null,
            HostKeyStatus.Unknown => $"host key {keyType} {verdict.Fingerprint} is not in {knownHostsFile}; if that fingerprint is the server's (check on its console: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), add this line: {verdict.LineToAdd}",
            HostKeyStatus.Changed => $"HOST KEY CHANGED: the server presents {keyType} {verdict.Fingerprint}, but {verdict.Entry} holds another key for it. Someone may be intercepting the connection; refusing. If the server was really reinstalled, replace that line after checking the new fingerprint on its console.",
            _ => $"host key {keyType} {verdict.Fingerprint} is marked @revoked at {verdict.Entry}; refusing.",
        };
    };
}

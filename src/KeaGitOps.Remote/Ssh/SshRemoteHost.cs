using System.Net;
using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KeaGitOps.Remote.Ssh;

/// <summary>How to reach one server over SSH. The passphrase comes from the environment, never from the inventory.</summary>
public sealed record SshEndpoint(string ServerName, string Host, int Port, string User, string KeyFile, string? Passphrase, TimeSpan ConnectTimeout);

/// <summary>Decides whether a host key is trusted; returns null to trust, or the reason for refusing (with the fingerprint).</summary>
public delegate string? HostKeyGate(string host, int port, string keyType, byte[] keyBlob);

/// <summary>
/// A server reached with SSH.NET over one SSH session: commands and files (cat) over exec channels, and
/// local port forwards for the Kea control channel. The connection is refused unless the host key passes the gate.
/// </summary>
public sealed class SshRemoteHost : IRemoteHost
{
    /// <summary>The exit status of a read whose file does not exist (cat itself exits 0 or 1).</summary>
    private const int Missing = 3;

    private static readonly TimeSpan TransferTimeout = TimeSpan.FromSeconds(120);

    private readonly SshClient _ssh;

    private SshRemoteHost(string serverName, SshClient ssh)
    {
        ServerName = serverName;
        _ssh = ssh;
    }

    public string ServerName { get; }

    public static async Task<SshRemoteHost> ConnectAsync(SshEndpoint endpoint, HostKeyGate gate, CancellationToken cancellation)
    {
        if (!File.Exists(endpoint.KeyFile))
        {
            throw new RemoteStepException($"SSH key file {endpoint.KeyFile} does not exist; set ssh.key-file in the inventory (or servers[].ssh.key-file).");
        }

        PrivateKeyFile key;
        try
        {
            key = endpoint.Passphrase is null ? new PrivateKeyFile(endpoint.KeyFile) : new PrivateKeyFile(endpoint.KeyFile, endpoint.Passphrase);
        }
        catch (Exception e) when (e is SshException or InvalidOperationException or ArgumentException)
        {
            throw new RemoteStepException($"cannot read SSH key {endpoint.KeyFile}: {e.Message} (a passphrase goes in KEAGITOPS_SSH_PASSPHRASE)");
        }

        var info = new ConnectionInfo(endpoint.Host, endpoint.Port, endpoint.User, new PrivateKeyAuthenticationMethod(endpoint.User, key)) { Timeout = endpoint.ConnectTimeout };
        string? refusal = null;
        var ssh = new SshClient(info);
        ssh.HostKeyReceived += (_, e) =>
        {
            refusal = gate(endpoint.Host, endpoint.Port, e.HostKeyName, e.HostKey);
            e.CanTrust = refusal is null;
        };
        try
        {
            await ssh.ConnectAsync(cancellation).ConfigureAwait(false);
            return new SshRemoteHost(endpoint.ServerName, ssh);
        }
        catch (Exception e) when (e is SshException or SocketException or TimeoutException or ProxyException)
        {
            ssh.Dispose();
            var why = refusal ?? e switch
            {
                SshAuthenticationException => $"authentication as {endpoint.User} with {endpoint.KeyFile} failed",
                SocketException s => $"cannot connect: {s.SocketErrorCode}",
                _ => e.Message,
            };
            throw new RemoteStepException($"{endpoint.ServerName} ({endpoint.Host}:{endpoint.Port}): {why}");
        }
    }

    public async Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellation)
    {
        using var ssh = _ssh.CreateCommand(command);
        ssh.CommandTimeout = timeout;
        try
        {
            await ssh.ExecuteAsync(cancellation).ConfigureAwait(false);
        }
        catch (SshOperationTimeoutException)
        {
            return new CommandResult(124, ssh.Result, $"timed out after {timeout.TotalSeconds:0} s");
        }
        catch (SshConnectionException e)
        {
            throw new RemoteStepException($"the SSH connection to {ServerName} dropped: {e.Message.TrimEnd('.')}");
        }

        return new CommandResult(ssh.ExitStatus ?? 255, ssh.Result, ssh.Error);
    }

    public async Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellation)
    {
        var quoted = ShellQuote.Quote(path);
        using var command = _ssh.CreateCommand($"if [ -e {quoted} ]; then exec cat -- {quoted}; else exit {Missing}; fi");
        command.CommandTimeout = TransferTimeout;
        await ExecuteAsync(command, $"read {path}", cancellation).ConfigureAwait(false);
        if (command.ExitStatus == Missing)
        {
            return null;
        }

        if (command.ExitStatus != 0)
        {
            throw new RemoteStepException($"cannot read {path} on {ServerName}: {new CommandResult(command.ExitStatus ?? 255, string.Empty, command.Error).Summary()}");
        }

        // The bytes as they are: Result would decode them as text.
        using var content = new MemoryStream();
        await command.OutputStream.CopyToAsync(content, cancellation).ConfigureAwait(false);
        return content.ToArray();
    }

    /// <summary>One exec (<see cref="Frames.Script"/>): a second round trip per file would cost as much as the reading.</summary>
    public async Task<(CommandResult First, IReadOnlyList<Task<byte[]?>> Files)> RunThenReadAsync(string first, IReadOnlyList<string> paths, TimeSpan timeout, CancellationToken cancellation)
    {
        using var command = _ssh.CreateCommand(Frames.Script(first, paths));
        command.CommandTimeout = timeout;
        try
        {
            await command.ExecuteAsync(cancellation).ConfigureAwait(false);
        }
        catch (SshOperationTimeoutException)
        {
            throw new RemoteStepException($"could not read {string.Join(", ", paths)} on {ServerName}: timed out after {timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is SshException or IOException)
        {
            throw new RemoteStepException($"the SSH connection to {ServerName} dropped: {e.Message.TrimEnd('.')}");
        }

        using var content = new MemoryStream();
        await command.OutputStream.CopyToAsync(content, cancellation).ConfigureAwait(false);
        return Frames.Parse(content.ToArray(), paths, new CommandResult(command.ExitStatus ?? 255, string.Empty, command.Error), ServerName);
    }

    /// <summary><see cref="RunThenReadAsync"/>'s shell script, and the reading of what it writes.</summary>
    internal static class Frames
    {
        /// <summary>
        /// Runs first, then writes "K" (first succeeded), per path "M" (missing) or "F" (there), the size of each
        /// file there (stat), and their bytes one after the other (one cat). Three processes in all: each costs
        /// about as much as the round trip itself on a small server. A file that changes between stat and cat
        /// makes the lengths disagree, which <see cref="Parse"/> reports rather than misreads.
        /// </summary>
        public static string Script(string first, IReadOnlyList<string> paths)
        {
            var script = new System.Text.StringBuilder();
            script.Append("{ ").Append(first).Append("\n} >/dev/null || exit $?\nprintf 'K\\n'\nset --\n");
            script.Append("for p in").AppendJoin(string.Empty, paths.Select(p => " " + ShellQuote.Quote(p))).Append("; do\n");
            script.Append("  if [ -e \"$p\" ]; then printf 'F\\n'; set -- \"$@\" \"$p\"; else printf 'M\\n'; fi\ndone\n");
            script.Append("[ $# -eq 0 ] || { stat -L -c %s -- \"$@\" && exec cat -- \"$@\"; }\n");
            return script.ToString();
        }

        public static (CommandResult First, IReadOnlyList<Task<byte[]?>> Files) Parse(byte[] output, IReadOnlyList<string> paths, CommandResult script, string server)
        {
            var at = 0;
            if (Line(output, ref at) != "K")
            {
                return (script, []);
            }

            var there = new List<bool>();
            foreach (var _ in paths)
            {
                there.Add(Line(output, ref at) == "F");
            }

            var sizes = new List<int>();
            for (var n = there.Count(t => t); n > 0 && Line(output, ref at) is { } line && int.TryParse(line, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size); n--)
            {
                sizes.Add(size);
            }

            // Every byte accounted for, or none is trusted: cat stopped (an unreadable file), or a file changed size.
            var complete = script.Succeeded && sizes.Count == there.Count(t => t) && at + sizes.Sum(s => (long)s) == output.Length;
            var why = !script.Succeeded ? script.Summary() : "a file changed while it was read; deploy again";
            var files = new List<Task<byte[]?>>();
            var next = 0;
            foreach (var (path, present) in paths.Zip(there))
            {
                if (!present)
                {
                    files.Add(Task.FromResult<byte[]?>(null));
                }
                else if (complete)
                {
                    files.Add(Task.FromResult<byte[]?>(output[at..(at + sizes[next])]));
                    at += sizes[next++];
                }
                else
                {
                    files.Add(Task.FromException<byte[]?>(new RemoteStepException($"cannot read {path} on {server}: {why}")));
                }
            }

            return (new CommandResult(0, string.Empty, string.Empty), files);
        }

        /// <summary>The ASCII line at <paramref name="at"/> (moved past its newline), or null at the end.</summary>
        private static string? Line(byte[] output, ref int at)
        {
            var end = Array.IndexOf(output, (byte)'\n', at);
            if (end < 0)
            {
                return null;
            }

            var line = System.Text.Encoding.ASCII.GetString(output, at, end - at);
            at = end + 1;
            return line;
        }
    }

    public async Task WriteFileAsync(string path, byte[] content, CancellationToken cancellation)
    {
        // A write is never cut short (Ctrl-C): half a file would be left beside the live one. The deploy
        // stops where it may, and removes its uploads there.
        using var command = _ssh.CreateCommand($"cat > {ShellQuote.Quote(path)}");
        command.CommandTimeout = TransferTimeout;
        var running = ExecuteAsync(command, $"write {path}", CancellationToken.None);
        await using (var input = command.CreateInputStream())
        {
            // Disposing the input is the end of the file.
            await input.WriteAsync(content, CancellationToken.None).ConfigureAwait(false);
        }

        await running.ConfigureAwait(false);
        if (command.ExitStatus != 0)
        {
            throw new RemoteStepException($"cannot write {path} on {ServerName}: {new CommandResult(command.ExitStatus ?? 255, string.Empty, command.Error).Summary()}");
        }
    }

    /// <summary>
    /// Files go through the command session (cat), not SFTP: a second SSH session per server would cost a
    /// second handshake, the largest part of reaching a server.
    /// </summary>
    private async Task ExecuteAsync(SshCommand command, string what, CancellationToken cancellation)
    {
        try
        {
            await command.ExecuteAsync(cancellation).ConfigureAwait(false);
        }
        catch (SshOperationTimeoutException)
        {
            throw new RemoteStepException($"could not {what} on {ServerName}: timed out after {TransferTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is SshException or IOException)
        {
            throw new RemoteStepException($"could not {what} on {ServerName}: the SSH connection failed ({e.Message.TrimEnd('.')})");
        }
    }

    public Task<Uri> ForwardAsync(string host, int port, CancellationToken cancellation)
    {
        // Bound to loopback only, on a port the system picks: nothing else on this machine can use it by accident.
        var forward = new ForwardedPortLocal(IPAddress.Loopback.ToString(), 0, host, (uint)port);
        try
        {
            _ssh.AddForwardedPort(forward);
            forward.Start();
        }
        catch (Exception e) when (e is SshException or IOException or System.Net.Sockets.SocketException)
        {
            // A dropped connection is a failed step like any other (the deploy rolls back or reports), never a crash.
            throw new RemoteStepException($"forwarding to {host}:{port} through {ServerName} failed: {e.Message}");
        }

        return Task.FromResult(new Uri($"http://127.0.0.1:{forward.BoundPort}/"));
    }

    public ValueTask DisposeAsync()
    {
        foreach (var forward in _ssh.ForwardedPorts.ToList())
        {
            forward.Stop();
        }

        _ssh.Dispose();
        return ValueTask.CompletedTask;
    }
}

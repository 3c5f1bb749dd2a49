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
/// A server reached with SSH.NET: commands over an exec channel, files over SFTP, and local port
/// forwards for the Kea control channel. The connection is refused unless the host key passes the gate.
/// </summary>
public sealed class SshRemoteHost : IRemoteHost
{
    private readonly SshClient _ssh;
    private readonly SftpClient _sftp;

    private SshRemoteHost(string serverName, SshClient ssh, SftpClient sftp)
    {
        ServerName = serverName;
        _ssh = ssh;
        _sftp = sftp;
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
        void Verify(object? sender, HostKeyEventArgs e)
        {
            refusal = gate(endpoint.Host, endpoint.Port, e.HostKeyName, e.HostKey);
            e.CanTrust = refusal is null;
        }

        var ssh = new SshClient(info);
        var sftp = new SftpClient(info);
        ssh.HostKeyReceived += Verify;
        sftp.HostKeyReceived += Verify;
        try
        {
            await ssh.ConnectAsync(cancellation).ConfigureAwait(false);
            await sftp.ConnectAsync(cancellation).ConfigureAwait(false);
            return new SshRemoteHost(endpoint.ServerName, ssh, sftp);
        }
        catch (Exception e) when (e is SshException or SocketException or TimeoutException or ProxyException)
        {
            ssh.Dispose();
            sftp.Dispose();
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

    public Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellation) => Sftp(() => _sftp.Exists(path) ? _sftp.ReadAllBytes(path) : null);

    public Task WriteFileAsync(string path, byte[] content, CancellationToken cancellation) => Sftp(() =>
    {
        _sftp.WriteAllBytes(path, content);
        return (byte[]?)null;
    });

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

    private Task<byte[]?> Sftp(Func<byte[]?> operation)
    {
        try
        {
            return Task.FromResult(operation());
        }
        catch (Exception e) when (e is SshException or IOException)
        {
            throw new RemoteStepException($"file transfer with {ServerName} failed: {e.Message}");
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var forward in _ssh.ForwardedPorts.ToList())
        {
            forward.Stop();
        }

        _sftp.Dispose();
        _ssh.Dispose();
        return ValueTask.CompletedTask;
    }
}

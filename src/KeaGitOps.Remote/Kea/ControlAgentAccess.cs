using System.Text;
using System.Text.Json;
using static KeaGitOps.Core.Diffing.JsonValues;

namespace KeaGitOps.Remote.Kea;

/// <summary>
/// Where a server's Control Agent listens and how to log in to it: from the inventory (what a deploy
/// installs) or from the server's live kea-ctrl-agent.conf (where the running agent listens now, which
/// differs once the inventory changes the agent's address, port or credentials).
/// </summary>
/// <param name="PasswordFile">a file on the server holding the password (Kea takes the whole file), or "user:password" when <paramref name="User"/> and <paramref name="UserFile"/> are null (Kea's password-file-only client).</param>
/// <param name="Password">the password as the live config writes it; kept in memory only, never printed.</param>
/// <param name="UserFile">a file on the server holding the user name.</param>
/// <param name="Unreachable">why keagitops cannot talk to this agent at all (it serves HTTPS only); null when it can.</param>
public sealed record ControlAgentAccess(string Host, int Port, string? User, string? PasswordFile, string? Password = null, string? UserFile = null, string? Unreachable = null)
{
    private const string Section = "Control-agent";

    // Kea's own defaults when kea-ctrl-agent.conf leaves them out (CtrlAgentCfgContext).
    private const string DefaultHost = "127.0.0.1";
    private const int DefaultPort = 8000;

    /// <summary>
    /// The running agent's access as its live config <paramref name="root"/> (read from <paramref name="path"/>)
    /// says; null when it is no Control Agent configuration at all (then only the inventory can tell).
    /// </summary>
    public static ControlAgentAccess? FromLiveConfig(JsonElement root, string path)
    {
        if (Member(root, Section, JsonValueKind.Object) is not { } agent)
        {
            return null;
        }

        var host = Text(agent, "http-host") ?? DefaultHost;
        var port = Member(agent, "http-port", JsonValueKind.Number) is { } p && p.TryGetInt32(out var number) ? number : DefaultPort;
        string? tls = Text(agent, "cert-file") is not null || Text(agent, "trust-anchor") is not null
            ? $"the running Control Agent serves HTTPS only ({path} sets cert-file/trust-anchor), and keagitops speaks plain HTTP to it through SSH; remove TLS from the live agent (keagitops' rendered agent has none) or deploy with the agent stopped"
            : null;
        if (Member(agent, "authentication", JsonValueKind.Object) is not { } authentication
            || (Text(authentication, "type") ?? "basic") != "basic"
            || Member(authentication, "clients", JsonValueKind.Array) is not { } clients
            || clients.GetArrayLength() == 0)
        {
            return new ControlAgentAccess(host, port, null, null, Unreachable: tls);
        }

        // Any client will do: the first, as import reads it.
        var client = clients[0];
        var directory = Text(authentication, "directory");
        return new ControlAgentAccess(
            host,
            port,
            Text(client, "user"),
            Text(client, "password-file") is { } file ? InDirectory(directory, file) : null,
            Text(client, "password"),
            Text(client, "user-file") is { } userFile ? InDirectory(directory, userFile) : null,
            tls);
    }

    /// <summary>Kea puts every credential file under the authentication directory, an absolute name too ("/" when there is none).</summary>
    private static string InDirectory(string? directory, string file) => $"{(directory ?? string.Empty).TrimEnd('/')}/{file.TrimStart('/')}";

    /// <summary>"user:password" for HTTP basic authentication, the files read on the server; null when the agent asks for none.</summary>
    public async Task<string?> CredentialsAsync(IRemoteHost host, CancellationToken cancellation)
    {
        if (User is null && UserFile is null && Password is null && PasswordFile is null)
        {
            return null;
        }

        var user = User ?? (UserFile is null ? null : await ReadAsync(host, UserFile, "user file", cancellation).ConfigureAwait(false));
        var password = Password ?? (PasswordFile is null ? string.Empty : await ReadAsync(host, PasswordFile, "password file", cancellation).ConfigureAwait(false));
        // Kea takes a credential file whole, a trailing newline included: send exactly that.
        return user is null ? password : $"{user}:{password}";
    }

    private static async Task<string> ReadAsync(IRemoteHost host, string path, string what, CancellationToken cancellation)
    {
        var bytes = await host.ReadFileAsync(path, cancellation).ConfigureAwait(false)
            ?? throw new RemoteStepException($"the Control Agent's {what} {path} does not exist on the server");
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The address as Kea's log and the user write it, for messages.</summary>
    public override string ToString() => $"{Host}:{Port}";
}

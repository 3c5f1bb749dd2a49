using System.Text;
using System.Text.Json;
using KeaGitOps.Remote;
using KeaGitOps.Remote.Kea;

namespace KeaGitOps.Tests.Remote;

/// <summary>Where a running Control Agent listens and how to log in to it, read from its live kea-ctrl-agent.conf as Kea reads it.</summary>
public sealed class ControlAgentAccessTests
{
    private static ControlAgentAccess? Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ControlAgentAccess.FromLiveConfig(document.RootElement, "/etc/kea/kea-ctrl-agent.conf");
    }

    [Fact]
    public void The_live_address_port_user_and_password_file_are_the_agents_own()
    {
        var access = Read("""{ "Control-agent": { "http-host": "192.0.2.7", "http-port": 8011, "authentication": { "type": "basic", "directory": "/etc/kea/", "clients": [ { "user": "ops", "password-file": "ops-password" } ] } } }""");

        Assert.Equal(new ControlAgentAccess("192.0.2.7", 8011, "ops", "/etc/kea/ops-password"), access);
    }

    [Fact]
    public void Left_out_address_and_port_are_Keas_defaults_and_no_authentication_sends_none()
    {
        var access = Read("""{ "Control-agent": { "control-sockets": { } } }""");

        Assert.Equal(new ControlAgentAccess("127.0.0.1", 8000, null, null), access);
    }

    [Fact]
    public void A_credential_file_goes_under_the_directory_as_Kea_puts_it_an_absolute_name_too()
    {
        var access = Read("""{ "Control-agent": { "authentication": { "type": "basic", "clients": [ { "user-file": "/srv/user", "password-file": "/srv/password" } ] } } }""");

        Assert.Equal("/srv/user", access!.UserFile);
        Assert.Equal("/srv/password", access.PasswordFile);
        Assert.Null(access.User);
    }

    [Fact]
    public async Task Credentials_are_the_written_password_the_files_read_whole_or_a_password_file_holding_both()
    {
        var files = new Dictionary<string, string> { ["/etc/kea/user"] = "ops", ["/etc/kea/password"] = "s3cret\n", ["/etc/kea/both"] = "ops:s3cret" };
        var host = new FileHost(files);

        Assert.Equal("ops:inline", await Read("""{ "Control-agent": { "authentication": { "type": "basic", "clients": [ { "user": "ops", "password": "inline" } ] } } }""")!.CredentialsAsync(host, CancellationToken.None));
        Assert.Equal("ops:s3cret\n", await Read("""{ "Control-agent": { "authentication": { "type": "basic", "directory": "/etc/kea", "clients": [ { "user-file": "user", "password-file": "password" } ] } } }""")!.CredentialsAsync(host, CancellationToken.None));
        Assert.Equal("ops:s3cret", await Read("""{ "Control-agent": { "authentication": { "type": "basic", "directory": "/etc/kea", "clients": [ { "password-file": "both" } ] } } }""")!.CredentialsAsync(host, CancellationToken.None));
        Assert.Null(await Read("""{ "Control-agent": { } }""")!.CredentialsAsync(host, CancellationToken.None));
    }

    [Fact]
    public void An_agent_serving_HTTPS_is_named_unreachable_with_the_reason_and_the_password_never_printed()
    {
        var access = Read("""{ "Control-agent": { "http-port": 8443, "cert-file": "/etc/kea/agent.pem", "key-file": "/etc/kea/agent.key", "authentication": { "type": "basic", "clients": [ { "user": "ops", "password": "do-not-print" } ] } } }""");

        Assert.Contains("serves HTTPS only", access!.Unreachable, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-print", access.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_no_agent_config_tells_nothing()
    {
        Assert.Null(Read("""{ "Dhcp4": { } }"""));
    }

    private sealed class FileHost(Dictionary<string, string> files) : IRemoteHost
    {
        public string ServerName => "kea-dhcp-1";

        public Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellation) =>
            Task.FromResult(files.TryGetValue(path, out var text) ? Encoding.UTF8.GetBytes(text) : null);

        public Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellation) => throw new NotSupportedException();

        public Task WriteFileAsync(string path, byte[] content, CancellationToken cancellation) => throw new NotSupportedException();

        public Task<Uri> ForwardAsync(string host, int port, CancellationToken cancellation) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

using System.Diagnostics;
using KeaGitOps.Cli;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Cli;

/// <summary>The keagitops executable as scripts meet it: exit codes and help.</summary>
public sealed class ProgramTests
{
    private static (int ExitCode, string Output, string Error) Keagitops(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryLayout.Root };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "keagitops.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "keagitops did not finish within a minute");
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void An_unknown_option_is_a_usage_error_with_its_own_exit_code()
    {
        var (code, _, error) = Keagitops("validate", "--bogus");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--bogus", error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("render")]
    [InlineData("diff")]
    [InlineData("deploy")]
    [InlineData("history")]
    [InlineData("import")]
    [InlineData("rules")]
    public void Every_command_has_help_that_exits_0(string command)
    {
        var (code, output, _) = Keagitops(command, "--help");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains($"keagitops {command}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--server", "kea-dhcp-1", "expected NAME=[USER@]HOST[:PORT]")]
    [InlineData("--server", "kea-dhcp-1=root@host:70000", "PORT 1-65535")]
    [InlineData("--server", "kea dhcp=host", "expected NAME=[USER@]HOST[:PORT]")]
    [InlineData("--server", "kea-dhcp-1=host;reboot", "expected NAME=[USER@]HOST[:PORT]")]
    [InlineData("--from", "kea-dhcp-1=a.conf", "choose one source")]
    public void Import_refuses_a_bad_server_or_two_sources_before_contacting_anything(string option, string value, string message)
    {
        var arguments = new List<string> { "import", option, value, "--out", Path.Combine(Path.GetTempPath(), "keagitops-never-" + Guid.NewGuid().ToString("N")) };
        if (option == "--from")
        {
            arguments.AddRange(["--server", "kea-dhcp-1=192.0.2.1"]);
        }

        var (code, output, _) = Keagitops([.. arguments]);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(arguments[^1]) && option == "--server");
    }

    [Fact]
    public void Validate_on_the_shipped_example_exits_0_with_its_one_warning()
    {
        var (code, output, _) = Keagitops("validate");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("0 errors, 1 warning", output, StringComparison.Ordinal);
    }
}

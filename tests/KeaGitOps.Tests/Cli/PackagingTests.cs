using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Cli;

/// <summary>
/// keagitops installs where monitoring runs, without a source checkout: the CLI packs as a .NET tool, and
/// that package installs with dotnet tool install from a folder and runs. Offline: the install reads a
/// NuGet config naming only the scratch folder.
/// </summary>
public sealed class PackagingTests
{
    [Fact]
    public void The_tool_package_installs_from_a_folder_and_runs_status_help_and_rules()
    {
        using var scratch = new ScratchFolder();
        var packages = Path.Combine(scratch.Path, "packages");
        var tools = Path.Combine(scratch.Path, "tools");
        Directory.CreateDirectory(packages);
        var config = Path.Combine(scratch.Path, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="scratch" value="{packages}" />
              </packageSources>
            </configuration>
            """);

        // The solution is built before the tests run (README, "Build and test"): pack what was built.
        ExternalProgram.Succeed("dotnet", "pack", Path.Combine(RepositoryLayout.Root, "src", "KeaGitOps.Cli"), "-c", "Release", "--no-build", "-o", packages, "--nologo");
        Assert.Single(Directory.GetFiles(packages, "keagitops.*.nupkg"));
        ExternalProgram.Succeed("dotnet", "tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", packages, "keagitops");

        var installed = Path.Combine(tools, "keagitops");
        var help = ExternalProgram.Run(installed, "status", "--help");
        var rules = ExternalProgram.Run(installed, "rules");

        Assert.True(help.ExitCode == 0, help.Stderr);
        Assert.Contains("--check", help.Text, StringComparison.Ordinal);
        Assert.Contains("prometheus", help.Text, StringComparison.Ordinal);
        Assert.True(rules.ExitCode == 0, rules.Stderr);
        Assert.StartsWith("| code | severity | rule | why | Stork checker |", rules.Text, StringComparison.Ordinal);
        Assert.Contains("| KGO001 |", rules.Text, StringComparison.Ordinal);
    }
}

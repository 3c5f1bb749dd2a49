using System.Text.RegularExpressions;
using KeaGitOps.Cli;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Cli;

/// <summary>
/// The CI pipeline files shipped in the repository stay runnable: they are valid YAML, and every
/// keagitops invocation in them names commands and flags that exist (parsed by the real command tree).
/// </summary>
public sealed partial class PipelineFilesTests
{
    public static TheoryData<string> PipelineFiles() => [".github/workflows/keagitops.yml", "ci/gitlab-ci.example.yml"];

    [Theory]
    [MemberData(nameof(PipelineFiles))]
    public void Pipeline_files_are_valid_YAML(string file)
    {
        var diagnostics = new DiagnosticBag();

        var root = YamlReader.Read(File.ReadAllText(Path.Combine(RepositoryLayout.Root, file)), file, diagnostics);

        Assert.Empty(diagnostics.Items);
        Assert.IsType<MappingNode>(root);
    }

    [Theory]
    [MemberData(nameof(PipelineFiles))]
    public void Every_keagitops_call_in_a_pipeline_parses_as_a_real_command(string file)
    {
        var calls = Invocation().Matches(File.ReadAllText(Path.Combine(RepositoryLayout.Root, file))).Select(m => m.Groups[1].Value).ToList();

        Assert.True(calls.Count >= 3, $"{file} should call keagitops");
        foreach (var call in calls)
        {
            var parse = CliCommands.Create().Parse(Words(call));
            Assert.True(parse.Errors.Count == 0, $"{file}: '$KEAGITOPS {call}': {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    [Fact]
    public void The_deploy_job_waits_for_an_approval()
    {
        var github = File.ReadAllText(Path.Combine(RepositoryLayout.Root, ".github/workflows/keagitops.yml"));
        var gitlab = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "ci/gitlab-ci.example.yml"));

        Assert.Contains("environment: production", github, StringComparison.Ordinal);
        Assert.Contains("when: manual", gitlab, StringComparison.Ordinal);
    }

    /// <summary>Shell words of a call, up to the first redirection or operator; quoted words keep their spaces.</summary>
    private static string[] Words(string call) =>
        ShellWord().Matches(call).Select(m => m.Value.Trim('"')).TakeWhile(w => w is not (">" or ">>" or "||" or "&&" or "|")).ToArray();

    [GeneratedRegex(@"\$KEAGITOPS ([^\n]+)")]
    private static partial Regex Invocation();

    [GeneratedRegex(@"""[^""]*""|[^\s]+")]
    private static partial Regex ShellWord();
}

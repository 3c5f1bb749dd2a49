using KeaGitOps.Remote.Ssh;
using KeaGitOps.Tests.Support;

namespace KeaGitOps.Tests.Remote;

public sealed class ShellQuoteTests
{
    // A file only a command substitution that escaped its quotes would create.
    private static readonly string Canary = Path.Combine(Path.GetTempPath(), $"keagitops-canary-{Guid.NewGuid():N}");

    private static readonly string[] HostileWords =
    [
        "",
        "two words",
        "  leading and trailing  ",
        "it's",
        "''",
        "\"double\"",
        $"$(touch {Canary})",
        $"`touch {Canary}`",
        "`id`",
        "${HOME}",
        "$HOME",
        "a; rm -rf /",
        "a && b || c | d & e",
        "line one\nline two\n",
        "tab\there",
        "*",
        "/etc/*.conf",
        "[a-z]?",
        "~",
        "~root",
        "-n",
        "--force",
        "=ls",
        "a=b",
        "back\\slash\\",
        "<in >out 2>&1",
        "#not a comment",
        "!!",
        "{a,b}",
        "(subshell)",
        "é ü 漢字 😀",
        "\u0001\u001b[31mred\u001b[0m",
    ];

    /// <summary>The arguments <paramref name="shell"/> hands to printf when it runs <paramref name="commandLine"/> after "printf '%s\0'".</summary>
    private static string[] ThroughShell(string commandLine, string shell = "/bin/sh")
    {
        var output = ExternalProgram.Run(shell, "-c", "printf '%s\\0' " + commandLine);
        Assert.True(output.ExitCode == 0, output.Stderr);
        Assert.Equal(string.Empty, output.Stderr);
        var text = output.Text;
        Assert.EndsWith("\0", text);
        return text[..^1].Split('\0');
    }

    [Theory]
    [InlineData("kea-dhcp4", "kea-dhcp4")]
    [InlineData("/etc/kea/kea-dhcp4.conf", "/etc/kea/kea-dhcp4.conf")]
    [InlineData("user@192.0.2.1:22", "user@192.0.2.1:22")]
    [InlineData("--config=a+b%c", "--config=a+b%c")]
    [InlineData("", "''")]
    [InlineData("two words", "'two words'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("=ls", "'=ls'")]
    [InlineData("a*", "'a*'")]
    [InlineData("é", "'é'")]
    public void Safe_words_stay_bare_and_others_are_single_quoted(string word, string quoted)
    {
        Assert.Equal(quoted, ShellQuote.Quote(word));
    }

    [Theory]
    [InlineData("/bin/sh")]
    [InlineData("/bin/bash")]
    public void Hostile_words_reach_the_command_unchanged_through_a_real_shell(string shell)
    {
        Assert.Equal(HostileWords, ThroughShell(ShellQuote.Join(HostileWords), shell));
        Assert.False(File.Exists(Canary), "a command substitution ran");
    }

    [Fact]
    public void Each_hostile_word_alone_is_one_argument()
    {
        foreach (var word in HostileWords)
        {
            Assert.Equal([word], ThroughShell(ShellQuote.Quote(word)));
        }
    }

    [Fact]
    public void Join_separates_words_with_single_spaces()
    {
        Assert.Equal("kea-dhcp4 -t '/etc/kea/my conf.json'", ShellQuote.Join("kea-dhcp4", "-t", "/etc/kea/my conf.json"));
        Assert.Equal(string.Empty, ShellQuote.Join());
    }

    [Fact]
    public void A_nul_character_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ShellQuote.Join("ok", "bad\0word"));

        Assert.Equal("word", error.ParamName);
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }
}

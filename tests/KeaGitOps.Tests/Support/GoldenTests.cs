using Xunit;

namespace KeaGitOps.Tests.Support;

public sealed class GoldenTests
{
    [Fact]
    public void Difference_shows_the_changed_block_from_its_first_line()
    {
        var difference = Golden.Difference("a\nb\nc\nd\n", "a\nB\nc\nd\n");

        Assert.Equal("@@ first difference at line 2 @@\n- b\n+ B\n", difference);
    }

    [Fact]
    public void Difference_shows_an_inserted_line_alone()
    {
        var difference = Golden.Difference("a\nc\n", "a\nb\nc\n");

        Assert.Equal("@@ first difference at line 2 @@\n+ b\n", difference);
    }

    [Fact]
    public void Missing_golden_file_fails_and_says_how_to_create_it()
    {
        if (Environment.GetEnvironmentVariable(Golden.UpdateVariable) == "1")
        {
            return; // in update mode a missing file is created, which this test must not do
        }

        var failure = Assert.ThrowsAny<Exception>(() => Golden.Assert("no-such-folder/no-such-file.txt", "text\n"));

        Assert.Contains($"{Golden.UpdateVariable}=1", failure.Message, StringComparison.Ordinal);
    }
}
